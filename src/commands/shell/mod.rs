//! Commands for the shell around the tool: the starter scenario (`init`), completion scripts
//! and the manual page.

use super::Done;
use crate::RunError;
use crate::exit::ExitStatus;
use crate::model::problem::Problem;
use crate::options::Shell;
use crate::report::Document;
use clap::CommandFactory;

/// The starter scenario `init` writes.
pub const STARTER: &str = include_str!("../../../templates/scenario.yaml");

/// The starter scenario, to print or to write to `file` (the caller writes it, all or nothing).
pub(super) fn init(file: Option<&str>, force: bool) -> Result<Done, RunError> {
    let mut messages = Vec::new();
    if let Some(f) = file {
        if !force && std::path::Path::new(f).exists() {
            return Err(Problem::new(f, "the file exists")
                .fix("pick another name, or pass --force to replace it")
                .into());
        }
        messages.push(crate::Message::info(format!(
            "wrote {f}; next: llm-decide validate {f}, then llm-decide --scenario {f}"
        )));
    }
    Ok(Done {
        doc: Document::Text(STARTER.to_string()),
        status: ExitStatus::Passed,
        messages,
    })
}

/// A completion script for `shell`.
pub(super) fn completions(shell: Shell) -> String {
    use clap_complete::Shell as S;
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
        Shell::Elvish => S::Elvish,
    };
    let mut out = Vec::new();
    clap_complete::generate(
        shell,
        &mut crate::cli::Cli::command(),
        "llm-decide",
        &mut out,
    );
    String::from_utf8_lossy(&out).into_owned()
}

/// The manual page, roff: the command, its flags, and a section per subcommand.
pub(super) fn man_page() -> String {
    let mut cmd = crate::cli::Cli::command();
    cmd.build();
    let mut out = Vec::new();
    // Rendering into memory cannot fail.
    let _ = clap_mangen::Man::new(cmd.clone()).render(&mut out);
    for sub in cmd.get_subcommands() {
        let title = format!("llm-decide-{}", sub.get_name());
        let _ = clap_mangen::Man::new(sub.clone())
            .title(title)
            .render(&mut out);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The JSON Schema of every document the tool prints (docs/report.schema.json).
const SCHEMA: &str = include_str!("../../../docs/report.schema.json");

/// The JSON Schema of all documents, or of one (`pricing-diff`: the definition
/// `pricing_diff`), standing alone: the definition as the root, every definition beside it.
pub(in crate::commands) fn schema(document: Option<&str>) -> String {
    let Some(document) = document else {
        return SCHEMA.to_string();
    };
    let all: serde_json::Value = serde_json::from_str(SCHEMA).expect("the embedded schema is JSON");
    let name = document.replace('-', "_");
    let mut one = serde_json::json!({
        "$schema": all["$schema"],
        "$id": all["$id"]
            .as_str()
            .unwrap_or_default()
            .replace("report.schema.json", &format!("{name}.schema.json")),
        "title": format!("llm-decide JSON output: {document} (schema_version 1)"),
        "$ref": format!("#/$defs/{name}"),
        "$defs": all["$defs"],
    });
    if let Some(d) = all["$defs"][&name].get("description") {
        one["description"] = d.clone();
    }
    let mut text = serde_json::to_string_pretty(&one).expect("a JSON value prints");
    text.push('\n');
    text
}
