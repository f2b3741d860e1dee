//! Certificate CSV imports: arbitrary bytes never panic the parser; a file is either wholly
//! accepted (every certificate checked: numbers unique and non-empty, validity in order) or
//! refused with every problem numbered inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match fazhi_app::certificates::parse_csv(data) {
        Ok(rows) => {
            assert!(!rows.is_empty());
            for (row, certificate) in &rows {
                assert!(*row >= 2);
                assert!(!certificate.number.is_empty());
                assert!(certificate.valid_from <= certificate.valid_until);
                assert_eq!(rows.iter().filter(|(_, other)| other.number == certificate.number).count(), 1);
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            let n_lines = data.iter().filter(|b| **b == b'\n').count() + 1;
            assert!(errors.iter().all(|e| e.row <= n_lines), "{errors:?}");
        }
    }
});
