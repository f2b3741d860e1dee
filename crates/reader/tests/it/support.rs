//! Shared helpers: test data paths and builders for GBK and DOCX inputs.

use std::io::Write;
use std::path::PathBuf;

/// A file under `crates/reader/test_data/`.
pub fn test_data(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("test_data")
        .join(relative)
}

/// The bytes of a test data file.
pub fn bytes(relative: &str) -> Vec<u8> {
    std::fs::read(test_data(relative)).unwrap_or_else(|error| panic!("{relative}: {error}"))
}

/// GBK bytes of a UTF-8 test file (encoded with encoding_rs, as a GBK site would serve it).
pub fn gbk(relative: &str) -> Vec<u8> {
    let text = String::from_utf8(bytes(relative)).expect("utf-8 test file");
    let (encoded, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable, "{relative} has characters GBK cannot encode");
    encoded.into_owned()
}

/// A minimal DOCX (zip with `word/document.xml`), one `<w:p>` per non-empty line, lines split
/// over several runs the way Word does.
pub fn docx(text: &str) -> Vec<u8> {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    for line in text.lines() {
        xml.push_str("<w:p><w:pPr><w:jc w:val=\"both\"/></w:pPr>");
        let chars: Vec<char> = line.chars().collect();
        for chunk in chars.chunks(7) {
            let run: String = chunk
                .iter()
                .collect::<String>()
                .replace('&', "&amp;")
                .replace('<', "&lt;");
            xml.push_str(&format!("<w:r><w:rPr><w:rFonts w:eastAsia=\"仿宋_GB2312\"/></w:rPr><w:t xml:space=\"preserve\">{run}</w:t></w:r>"));
        }
        xml.push_str("</w:p>");
    }
    xml.push_str("</w:body></w:document>");
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("[Content_Types].xml", options).expect("zip");
        zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#).expect("zip");
        zip.start_file("word/document.xml", options).expect("zip");
        zip.write_all(xml.as_bytes()).expect("zip");
        zip.finish().expect("zip");
    }
    buffer.into_inner()
}
