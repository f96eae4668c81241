//! The scenario loader on arbitrary text: read, resolve against the embedded catalog and
//! analyze; errors are fine, panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn catalog() -> &'static llm_decide::model::catalog::Catalog {
    static C: OnceLock<llm_decide::model::catalog::Catalog> = OnceLock::new();
    C.get_or_init(|| llm_decide::input::catalog::load(&[]).unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok((spec, problems)) = llm_decide::input::scenario::read_scenario("fuzz.yaml", text) else {
        return;
    };
    if !problems.is_empty() {
        return;
    }
    if let Ok(mut w) = llm_decide::input::scenario::resolve(&spec, catalog(), "fuzz") {
        w.draws = Some(w.draws.unwrap_or(0).min(100));
        let _ = llm_decide::engine::analyze(catalog(), &w);
    }
});
