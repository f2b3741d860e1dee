//! Integration tests of the exporters: each builds a realistic report, exports it, and reads the
//! result back the way a consumer would (the DOCX is unzipped and its XML parsed).

mod docx;
mod fixture;
mod html;
mod markdown;
