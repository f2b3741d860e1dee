//! Integration tests of the reader, one binary (`[[test]] name = "it"`): the sample reports,
//! our own annotated reports in other styles, bad input, and properties.
mod bad_input;
mod formats;
mod lint;
mod own_reports;
mod properties;
mod samples;
mod support;
