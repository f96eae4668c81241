//! The pricing loader on arbitrary text: the file alone, and, when it parses as a pricing
//! file, layered over the embedded catalog (re-parsing the nine embedded files is the slow
//! part, so it is done only for inputs that get past the YAML).
#![no_main]

use libfuzzer_sys::fuzz_target;
use llm_decide::input::catalog::{Source, build, profile_sources};
use llm_decide::input::pricing::raw::RawPricingFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let user = Source {
        name: "fuzz.yaml".into(),
        text: text.to_string(),
    };
    let _ = build("default", std::slice::from_ref(&user));
    if llm_decide::input::yaml::parse::<RawPricingFile>("fuzz.yaml", text).is_ok() {
        let mut sources = profile_sources("default").unwrap_or_default();
        sources.push(user);
        let _ = build("default", &sources);
    }
});
