//! The engine on the shipped definitions and on definitions written for the tests, with the
//! official calendar: each correction of a definition has a test named for it, citing its
//! article. One module per procedure; `support` builds cases step by step.

mod support;

mod disclosure;
mod litigation;
mod loader;
mod penalty;
mod properties;
mod reconsideration;
mod toy;
