//! CLI behaviour through the binary: each `tests/cmd/*.toml` case runs `llm-decide` with its
//! arguments (and its `*.in/` folder as the working directory) and checks the exact stdout,
//! stderr and exit status. Refresh expectations after an intended change with
//! `TRYCMD=overwrite cargo test --test cli` and review the diff.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .case("tests/cmd/*.toml")
        // The README's worked example is real output.
        .case("README.md");
}
