//! Calendar tests: worked cases derived by hand from the notices (each case says how), the data
//! file's consistency, and properties over random dates and lengths.

mod properties;
mod worked;
