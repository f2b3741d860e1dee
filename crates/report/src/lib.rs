//! The statutory annual report on rule-of-law government construction as a document.
//!
//! [`model`] is the report as the app stores it (one JSON value per version); the exporters turn
//! it into the official document (DOCX in the GB/T 9704-2012 layout), a web page and Markdown.
//! Nothing here touches a database: the app drafts a [`model::Report`] from its indicators and
//! hands it over.

pub mod docx;
pub mod html;
pub mod markdown;
pub mod model;
pub mod phrase;
pub mod workbook;
