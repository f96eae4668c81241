//! The `llm-decide` binary: parse arguments, run, write, map the result to an exit status
//! (0 ran and checks passed, 1 a check failed, 2 bad input). A closed pipe is not an error.
//! The clock and the environment are read here and nowhere else.

use anyhow::Context;
use clap::Parser;
use llm_decide::cli::Cli;
use llm_decide::exit::ExitStatus;
use llm_decide::model::date::Date;
use llm_decide::options::Options;
use llm_decide::report::escape::terminal_lines;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    // A panic is a bug; report it in one line, never with a backtrace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal error ({info}); this is a bug in llm-decide, please report it");
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // --help and --version print through the error path and succeed.
            return if e.exit_code() == 0 {
                ExitStatus::Passed
            } else {
                ExitStatus::BadInput
            }
            .into();
        }
    };
    let mut options = match Options::from_cli(cli) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {}", terminal_lines(&e.to_string()));
            return ExitStatus::BadInput.into();
        }
    };
    if options.today.is_none() {
        match today() {
            Ok(d) => options.today = Some(d),
            Err(e) => {
                eprintln!("error: {}", terminal_lines(&e));
                return ExitStatus::BadInput.into();
            }
        }
    }
    // `--color auto`: what anstream (clap's terminal layer) decides for each stream: a
    // terminal, unless NO_COLOR is set or CLICOLOR=0; anywhere with CLICOLOR_FORCE.
    let wants = |choice: anstream::ColorChoice| choice != anstream::ColorChoice::Never;
    let stderr_color = options
        .color
        .unwrap_or_else(|| wants(anstream::AutoStream::choice(&std::io::stderr())));
    if options.color.is_none() {
        options.color = Some(
            options.output.is_none() && wants(anstream::AutoStream::choice(&std::io::stdout())),
        );
    }
    let outcome = match llm_decide::run(&options) {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("error: {}", terminal_lines(&e.to_string()));
            return ExitStatus::BadInput.into();
        }
    };
    let inputs = llm_decide::commands::output::inputs(&options);
    match write_output(options.output.as_deref(), outcome.text.as_bytes(), &inputs) {
        Ok(Written::All) => {}
        // A reader that stops early (`| head`) is not an error.
        Ok(Written::PipeClosed) => return ExitStatus::Passed.into(),
        Err(e) => {
            eprintln!("error: {}", terminal_lines(&format!("{e:#}")));
            return ExitStatus::BadInput.into();
        }
    }
    let mut err = std::io::stderr().lock();
    for m in &outcome.messages {
        let line = if stderr_color {
            llm_decide::report::text::message(m)
        } else {
            m.to_string()
        };
        let _ = writeln!(err, "{line}");
    }
    outcome.status.into()
}

/// Today (UTC), or the date `SOURCE_DATE_EPOCH` gives, for reproducible runs; a value that is
/// not a whole number of seconds is an error, not the clock.
fn today() -> Result<Date, String> {
    // Up to the last second of 9999-12-31: a date the reports can print.
    const LAST: i64 = 253_402_300_799;
    let seconds = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|v| (0..=LAST).contains(v))
            .ok_or_else(|| {
                format!(
                    "SOURCE_DATE_EPOCH={s:?} is not a whole number of seconds from 1970 to the year 9999; set it to one (e.g. 1795780800) or unset it"
                )
            })?,
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0)),
    };
    Ok(Date::at_seconds(seconds))
}

/// How the output went.
enum Written {
    /// Every byte was written.
    All,
    /// The reader of stdout went away.
    PipeClosed,
}

/// Writes the output to the file named (see `commands::output`), or to stdout.
fn write_output(path: Option<&str>, bytes: &[u8], inputs: &[PathBuf]) -> anyhow::Result<Written> {
    if let Some(path) = path {
        llm_decide::commands::output::write(Path::new(path), bytes, inputs)?;
        return Ok(Written::All);
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(Written::PipeClosed),
        other => {
            other.context("cannot write the output")?;
            Ok(Written::All)
        }
    }
}
