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
        items: None,
    })
}

/// A completion script for `shell`: every flag, the values of each list flag, and the
/// catalog's ids for each flag that takes one (the embedded catalog's and any `--pricing`
/// file's, as of when the script is made).
pub(super) fn completions(shell: Shell, catalog: &crate::model::catalog::Catalog) -> String {
    use clap_complete::Shell as S;
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
        Shell::Elvish => S::Elvish,
    };
    let ids = |list: Vec<&str>| list.into_iter().map(str::to_string).collect::<Vec<_>>();
    let apis = ids(catalog.apis.iter().map(|a| a.id.as_str()).collect());
    let models = ids(catalog.models.iter().map(|m| m.id.as_str()).collect());
    let precisions = ids(catalog.precisions.iter().map(|p| p.id.as_str()).collect());
    let catalog_ids = [
        ("api", apis.clone()),
        ("frontier_api", apis),
        ("model", models.clone()),
        ("small_model", models.clone()),
        ("draft_model", models),
        (
            "gpu",
            ids(catalog.gpus.iter().map(|g| g.id.as_str()).collect()),
        ),
        (
            "setup",
            ids(catalog.setups.iter().map(|s| s.id.as_str()).collect()),
        ),
        ("precision", precisions.clone()),
        ("kv_precision", precisions),
        (
            "engine",
            ids(catalog.engines.iter().map(|e| e.id.as_str()).collect()),
        ),
    ];
    let mut cmd = with_ids(crate::cli::Cli::command(), &catalog_ids);
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "llm-decide", &mut out);
    let script = String::from_utf8_lossy(&out).into_owned();
    // clap_complete 4.6's bash script labels a hyphenated binary's subcommand sections with
    // the hyphen read as a separator (`llm__subcmd__decide__subcmd__capacity`), while its
    // dispatch computes `llm__decide__subcmd__capacity`: without the rename no subcommand's
    // flags complete.
    if shell == S::Bash {
        script.replace("llm__subcmd__decide", "llm__decide")
    } else {
        script
    }
}

/// `cmd` and its subcommands with each flag of `ids` completing to those ids.
fn with_ids(mut cmd: clap::Command, ids: &[(&str, Vec<String>)]) -> clap::Command {
    for (id, values) in ids {
        if cmd.get_arguments().any(|a| a.get_id() == id) {
            let values = values.clone();
            cmd = cmd.mut_arg(*id, move |a| {
                a.value_parser(clap::builder::PossibleValuesParser::new(values))
            });
        }
    }
    let subs: Vec<clap::Command> = cmd.get_subcommands().cloned().collect();
    for sub in subs {
        let name = sub.get_name().to_string();
        let done = with_ids(sub, ids);
        cmd = cmd.mut_subcommand(name, |_| done);
    }
    cmd
}

/// The manual pages, roff: the command's, then one a subcommand, each ending with its exit
/// status.
pub(super) fn man_page() -> String {
    let mut cmd = crate::cli::Cli::command();
    cmd.build();
    let mut out = Vec::new();
    // Rendering into memory cannot fail.
    let _ = clap_mangen::Man::new(cmd.clone()).render(&mut out);
    out.extend(exit_status("llm-decide").as_bytes());
    for sub in cmd.get_subcommands() {
        let title = format!("llm-decide-{}", sub.get_name());
        let _ = clap_mangen::Man::new(sub.clone())
            .title(title)
            .render(&mut out);
        out.extend(exit_status(sub.get_name()).as_bytes());
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A manual page's EXIT STATUS section: the commands that gate say when they fail.
fn exit_status(command: &str) -> String {
    let gate = match command {
        "llm-decide" => Some("a check given by a flag or the scenario's budget block failed"),
        "check" => Some("a check of a scenario failed, or the usage crossed --alert-at"),
        "diff" => Some("--fail-on-flip or --max-increase failed"),
        _ => None,
    };
    let mut s = String::from(".SH \"EXIT STATUS\"\n.TP\n0\n");
    s.push_str(match command {
        "validate" => "every file is valid\n",
        _ if gate.is_some() => "it ran and every check passed\n",
        _ => "it ran\n",
    });
    if let Some(g) = gate {
        s += ".TP\n1\n";
        s += g;
        s += " (0 with --warn-only, where the command has it)\n";
    }
    s.push_str(".TP\n2\nbad input: a flag, a file or a value that cannot be used, named with its fix; nothing is written (with --format json, the error as a JSON document on stdout)\n");
    s
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
