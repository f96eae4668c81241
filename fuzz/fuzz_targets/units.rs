//! Every unit parser on arbitrary text: no panic, and any accepted value is finite and within
//! the parser's contract.
#![no_main]

use libfuzzer_sys::fuzz_target;
use llm_decide::model::units;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for v in [
        units::parse_tokens(text),
        units::parse_count(text),
        units::parse_usd(text),
        units::parse_number(text),
        units::parse_duration_ms(text, None),
        units::parse_duration_ms(text, Some(1.0)),
    ]
    .into_iter()
    .flatten()
    {
        assert!(v.is_finite() && v >= 0.0, "{text:?} gave {v}");
    }
    if let Ok(s) = units::parse_share(text) {
        assert!((0.0..=1.0).contains(&s), "{text:?} gave share {s}");
    }
    if let Ok((a, b)) = units::parse_price_pair(text) {
        assert!(a.is_finite() && b.is_finite() && a >= 0.0 && b >= 0.0);
    }
});
