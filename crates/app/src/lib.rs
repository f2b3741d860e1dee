//! Fazhi domain, store and web application.
