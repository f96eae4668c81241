//! The pricing loader on arbitrary text, layered over the embedded catalog.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = llm_decide::input::catalog::profile_sources("default").unwrap_or_default();
    sources.push(llm_decide::input::catalog::Source {
        name: "fuzz.yaml".into(),
        text: text.to_string(),
    });
    let _ = llm_decide::input::catalog::build("default", &sources);
});
