//! llm-decide: should a team pay for an LLM API, self-host an open model, or run a hybrid?
//!
//! The pipeline runs one way: `cli` (clap) -> `options` (resolved) -> `input` (YAML files
//! and the embedded catalog, validated) -> `model` (domain values) -> `engine` (pure
//! computation) -> `report` (one renderer per format) -> `main` (writes, maps errors to exit
//! statuses). `commands` ties them together, one file per subcommand.

pub mod cli;
pub mod commands;
pub mod engine;
pub mod exit;
pub mod input;
pub mod model;
pub mod options;
pub mod report;

use engine::EngineError;
use model::problem::InputError;

/// Why a run could not produce a report (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Bad input: a flag, a file, a value.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The engine could not compute with the input.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The machine could not hold the output while the files were decided (the spool of
    /// `compare` and `check`): one error however many files were being written.
    #[error(
        "cannot {what} a temporary file for the output: {source}; set TMPDIR to a folder with room that this user can write, or name fewer files"
    )]
    Spool {
        /// `create` or `write`.
        what: &'static str,
        /// What the system said.
        source: std::io::Error,
    },
}

/// What a run produced.
#[derive(Debug)]
pub struct Outcome {
    /// The rendered output.
    pub body: commands::spool::Body,
    /// Passed, or a check failed.
    pub status: exit::ExitStatus,
    /// Lines for stderr: failed checks, warnings and notes.
    pub messages: Vec<Message>,
}

/// What a line on stderr is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// A failed check (`check failed:`), as a warning when checks only warn.
    CheckFailed {
        /// `--warn-only`: the run still passes.
        warn_only: bool,
    },
    /// Something the user should know (`warning:`).
    Warning,
    /// What a command did (`wrote FILE`, `converted N models`).
    Info,
}

/// A line for stderr.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// What it is.
    pub kind: MessageKind,
    /// The text after its lead word.
    pub text: String,
}

impl Message {
    /// A warning.
    pub fn warning(text: impl Into<String>) -> Message {
        Message {
            kind: MessageKind::Warning,
            text: text.into(),
        }
    }

    /// A note of what a command did.
    pub fn info(text: impl Into<String>) -> Message {
        Message {
            kind: MessageKind::Info,
            text: text.into(),
        }
    }

    /// The lead word, with its colon and space: `warning: `, `check failed: `, or nothing.
    pub fn lead(&self) -> &'static str {
        match self.kind {
            MessageKind::CheckFailed { warn_only: false } => "check failed: ",
            MessageKind::CheckFailed { warn_only: true } => "warning: check failed: ",
            MessageKind::Warning => "warning: ",
            MessageKind::Info => "",
        }
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}{}",
            self.lead(),
            report::escape::terminal_lines(&self.text)
        )
    }
}

/// The ready-made scenarios, embedded so `--scenario NAME` works from any directory.
pub const SCENARIOS: &[(&str, &str)] = &[
    (
        "saas-startup",
        include_str!("../scenarios/saas-startup.yaml"),
    ),
    ("healthcare", include_str!("../scenarios/healthcare.yaml")),
    ("ecommerce", include_str!("../scenarios/ecommerce.yaml")),
    ("trading", include_str!("../scenarios/trading.yaml")),
    (
        "hybrid-80-20",
        include_str!("../scenarios/hybrid-80-20.yaml"),
    ),
];

pub use commands::run;

impl From<model::problem::Problem> for RunError {
    fn from(p: model::problem::Problem) -> Self {
        RunError::Input(p.into())
    }
}
