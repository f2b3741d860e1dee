//! Input formats and encodings: GBK, Big5, UTF-16, HTML charsets, DOCX, pinyin and width.

use fazhi_reader::{Format, read};

use crate::support::{bytes, docx, gbk};

#[test]
fn gbk_and_utf8_give_the_same_text() {
    let utf8 = read(&bytes("own/qingshan-2021.txt"), None).unwrap();
    let gbk = read(&gbk("own/qingshan-2021.txt"), None).unwrap();
    assert_eq!(gbk.source.encoding, "gb18030");
    assert_eq!(gbk.document.text(), utf8.document.text());
}

#[test]
fn big5_traditional_text_is_read() {
    let traditional = String::from_utf8(bytes("own/donghu-2022-traditional.txt")).unwrap();
    let (big5, _, _) = encoding_rs::BIG5.encode(&traditional);
    let report = read(&big5, None).unwrap();
    assert_eq!(report.source.encoding, "Big5");
    assert_eq!(
        report.meta.title.as_deref(),
        Some("东湖区2022年法治政府建设年度报告")
    );
}

#[test]
fn utf16_with_a_bom_is_read() {
    let text = String::from_utf8(bytes("own/linjiang-2020.txt")).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let report = read(&utf16, None).unwrap();
    assert_eq!(report.meta.year, Some(2020));
    let figure = &report.figures[0];
    assert_eq!(
        figure.original.len(),
        figure.text.encode_utf16().count() * 2
    );
}

#[test]
fn html_declared_gbk_is_decoded_and_furniture_dropped() {
    let page = String::from_utf8(bytes("own/donghu-2022.html"))
        .unwrap()
        .replace("charset=\"utf-8\"", "charset=\"gbk\"")
        .replace(
            "<meta charset=\"utf-8\">",
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
        );
    let (encoded, _, _) = encoding_rs::GBK.encode(&page);
    let report = read(&encoded, None).unwrap();
    assert_eq!(report.source.format, Format::Html);
    assert_eq!(report.source.encoding, "gb18030");
    let text: String = report
        .document
        .body_lines()
        .map(|line| report.document.normalised.slice(line.span))
        .collect::<Vec<_>>()
        .join("\n");
    for furniture in ["分享到", "无障碍", "ICP备", "var _hmt", "广告"] {
        assert!(!text.contains(furniture), "{furniture} left in:\n{text}");
    }
    assert_eq!(
        report.meta.published.map(|d| d.to_string()).as_deref(),
        Some("2023-03-20")
    );
}

#[test]
fn docx_paragraphs_become_lines_with_offsets_into_document_xml() {
    let text = String::from_utf8(bytes("own/qingshan-2021.txt")).unwrap();
    let report = read(&docx(&text), None).unwrap();
    assert_eq!(report.source.format, Format::Docx);
    assert_eq!(
        report.meta.title.as_deref(),
        Some("青山县人民政府关于2021年度法治政府建设情况的报告")
    );
    assert_eq!(report.sections.len(), 5);
}

#[test]
fn forced_formats_are_respected() {
    let page = bytes("own/donghu-2022.html");
    let as_text = read(&page, Some(Format::Text)).unwrap();
    assert_eq!(as_text.source.format, Format::Text);
    assert!(as_text.document.text().contains("<p"));
}

#[test]
fn html_and_big5_spans_point_at_the_original_bytes() {
    let page = bytes("own/donghu-2022.html");
    let report = read(&page, None).unwrap();
    for figure in &report.figures {
        let original =
            std::str::from_utf8(&page[figure.original.start..figure.original.end]).unwrap();
        assert_eq!(original, figure.text, "{figure:?}");
    }
    let traditional = String::from_utf8(bytes("own/donghu-2022-traditional.txt")).unwrap();
    let (big5, _, _) = encoding_rs::BIG5.encode(&traditional);
    let report = read(&big5, None).unwrap();
    let figure = report.figures.iter().find(|f| f.text == "4.6万件").unwrap();
    let (decoded, _) = encoding_rs::BIG5
        .decode_without_bom_handling(&big5[figure.original.start..figure.original.end]);
    assert_eq!(decoded, "4.6萬件");
}

#[test]
fn gbk_html_spans_point_at_the_original_bytes() {
    let page = bytes("own/nanjiang-2021.html");
    let report = read(&page, None).unwrap();
    assert_eq!(report.source.encoding, "gb18030");
    assert!(report.figures.len() >= 30);
    for figure in &report.figures {
        let (original, _) = encoding_rs::GB18030
            .decode_without_bom_handling(&page[figure.original.start..figure.original.end]);
        assert_eq!(original, figure.text, "{figure:?}");
    }
}
