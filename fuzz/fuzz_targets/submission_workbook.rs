//! The department submission workbook: any uploaded bytes are read without panicking, refusals
//! are well-formed (a stable rule id, a message that starts with the cell it names), and whatever
//! is accepted is exactly one value per item that passes the same rules again as plain figures.
#![no_main]

use fazhi_report::workbook::{Sheet, parse, validate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The sheet the seeds in fuzz/seeds/submission_workbook/ were made from.
    let sheet = Sheet::example();
    match parse(data, &sheet) {
        Ok(values) => {
            let ids: Vec<&str> = values.iter().map(|v| v.id.as_str()).collect();
            let want: Vec<&str> = sheet.items.iter().map(|i| i.id.as_str()).collect();
            assert_eq!(ids, want);
            assert_eq!(validate(&values, &sheet), vec![]);
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for error in &errors {
                assert!(error.rule.contains('.'), "{error:?}");
                assert!(
                    error.message.starts_with(&format!("{}：", error.cell))
                        || error.cell.is_empty(),
                    "{error:?}"
                );
            }
        }
    }
});
