//! Integration tests of `fazhi-app`, one binary (each file under `tests/` would link apart).
//! Store tests run on SQLite always and on PostgreSQL when `FAZHI_TEST_PG_URL` is set; a set but
//! unreachable URL fails them. Browser tests run when `FAZHI_TEST_BROWSER=1`.

mod support;

mod access;
mod api;
mod attachments;
mod auth;
mod browser;
mod bulk;
mod case_pages;
mod cases;
mod certificates;
mod demo_city;
mod external;
mod figures_tree;
mod headers;
mod hostile;
mod indicators;
mod jurisdiction_logs;
mod jurisdictions;
mod ledger;
mod ledger_batch;
mod migrations;
mod numbering;
mod org;
mod publicity;
mod references;
mod registries;
mod report;
mod siblings;
mod submissions;
mod supervision;
mod toy;
