//! Calendar tests: the shipped data checked against itself and the law, worked cases derived by
//! hand from the notices (each case says how), and properties over random dates and lengths.

mod data;
mod properties;
mod worked;
