//! CLI behaviour through the binary: each `tests/cmd/*.toml` case runs `llm-decide` with its
//! arguments (and its `*.in/` folder as the working directory, and 2026-11-27 as today) and checks the exact stdout,
//! stderr and exit status. Refresh expectations after an intended change with
//! `TRYCMD=overwrite cargo test --test cli` and review the diff.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        // Price ages are measured from a fixed day, so expectations do not age.
        .env("SOURCE_DATE_EPOCH", "1795780800")
        // Tables fitted to 100 columns, whatever the terminal running the tests sets.
        .env("COLUMNS", "100")
        .case("tests/cmd/*.toml")
        // The README's worked example is real output.
        .case("README.md");
}
