//! The scrubber of public free text: arbitrary bytes (read as UTF-8, lossily) never panic it, and
//! scrubbing its result again changes nothing. The first line names the natural persons to mask,
//! separated by `|`; the rest is the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let (names, text) = input.split_once('\n').unwrap_or(("", &input));
    let names: Vec<&str> = names.split('|').take(4).collect();
    let once = fazhi_app::scrub::scrub(text, &names);
    assert_eq!(fazhi_app::scrub::scrub(&once, &names), once, "{text:?} with {names:?}");
});
