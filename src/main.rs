//! The `llm-decide` binary: parse arguments, run, write, map the result to an exit status
//! (0 ran and checks passed, 1 a check failed, 2 bad input). A closed pipe is not an error.
//! The clock, the environment and the terminal's width are read here and nowhere else.

use anyhow::Context;
use clap::Parser;
use llm_decide::RunError;
use llm_decide::cli::Cli;
use llm_decide::commands::spool::Body;
use llm_decide::exit::ExitStatus;
use llm_decide::model::date::Date;
use llm_decide::model::output::Format;
use llm_decide::model::problem::Problem;
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
    // Before the arguments are parsed, whether they ask for JSON (so that even a flag clap
    // refuses gets its error as a JSON document).
    let mut json = json_requested(std::env::args_os().skip(1));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version print through the error path and succeed.
        Err(e) if e.exit_code() == 0 => {
            let _ = e.print();
            return ExitStatus::Passed.into();
        }
        Err(e) => return bad_arguments(&e, json),
    };
    let options = match Options::from_cli(cli) {
        Ok(o) => o,
        Err(e) => return input_error(json, &e),
    };
    json = options.format == Format::Json;
    let mut options = match with_settings(options) {
        Ok(o) => o,
        Err(e) => return input_error(json, &e),
    };
    if options.today.is_none() {
        match today() {
            Ok(d) => options.today = Some(d),
            Err(e) => return bad_input(json, &[Problem::new("SOURCE_DATE_EPOCH", &e)], &e),
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
    options.width = match width(options.output.is_none()) {
        Ok(w) => w,
        Err(e) => return bad_input(json, &[Problem::new("COLUMNS", &e)], &e),
    };
    let outcome = match llm_decide::run(&options) {
        Ok(outcome) => outcome,
        Err(RunError::Input(e)) => return input_error(json, &e),
        Err(e) => {
            let text = e.to_string();
            return bad_input(json, &[Problem::new("", &text)], &text);
        }
    };
    let inputs = llm_decide::commands::output::inputs(&options);
    match write_output(options.output.as_deref(), &outcome.body, &inputs) {
        Ok(Written::All) => {}
        // A reader that stops early (`| head`) is not an error.
        Ok(Written::PipeClosed) => return ExitStatus::Passed.into(),
        Err(e) => {
            let text = format!("{e:#}");
            let source = options.output.as_deref().unwrap_or("stdout");
            return bad_input(json, &[Problem::new(source, &text)], &text);
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

/// The options with the defaults beyond the flags, below them: the pricing path in
/// `LLM_DECIDE_PRICING` (when not empty), else the `pricing:` of the project's settings file
/// (found from the working folder up to the repository's root or home); the file's price-age
/// warning, its budget checks and its currency (the flags' wins). Whatever is used is recorded
/// for the report to name.
fn with_settings(mut options: Options) -> Result<Options, llm_decide::model::problem::InputError> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let project = llm_decide::input::project::load(&cwd, home.as_deref())?;
    let pricing_env = std::env::var("LLM_DECIDE_PRICING").ok();
    if options.pricing.is_empty() {
        if let Some(env) = pricing_env.filter(|p| !p.trim().is_empty()) {
            options.pricing = vec![env.clone()];
            options.settings.pricing_env = Some(env);
        } else if let Some(p) = project.as_ref().filter(|p| !p.pricing.is_empty()) {
            options.pricing.clone_from(&p.pricing);
        }
    }
    options.settings.currency = llm_decide::input::project::currency::resolve(
        &options.currency,
        project.as_ref().and_then(|p| p.currency.as_ref()),
    )?;
    if let Some(p) = project {
        options.price_warning_days = options.price_warning_days.or(p.price_warning_days);
        options.default_budget = p.budget;
        options.settings.config = Some(llm_decide::model::output::SettingsFile {
            file: p.file,
            sha256: p.sha256,
        });
    }
    Ok(options)
}

/// Input that could not be used, as [`bad_input`] reports it.
fn input_error(json: bool, e: &llm_decide::model::problem::InputError) -> ExitCode {
    bad_input(json, &e.problems, &e.to_string())
}

/// Bad input: the error on stderr, and with `--format json` also as a JSON document on stdout
/// (a `--output` file is never written on error); exit status 2.
fn bad_input(json: bool, problems: &[Problem], message: &str) -> ExitCode {
    eprintln!("error: {}", terminal_lines(message));
    if json {
        print_json_error(problems, message);
    }
    ExitStatus::BadInput.into()
}

/// Arguments clap refuses: its message on stderr, and with `--format json` also as a JSON
/// document naming the flag.
fn bad_arguments(e: &clap::Error, json: bool) -> ExitCode {
    let _ = e.print();
    if json {
        let source = e
            .get(clap::error::ContextKind::InvalidArg)
            .map(ToString::to_string)
            .and_then(|a| a.split_whitespace().next().map(String::from))
            .unwrap_or_else(|| "command line".to_string());
        let text = e.render().to_string();
        let message = text.lines().next().unwrap_or_default();
        let message = message.strip_prefix("error: ").unwrap_or(message);
        print_json_error(&[Problem::new(source, message)], message);
    }
    ExitStatus::BadInput.into()
}

fn print_json_error(problems: &[Problem], message: &str) {
    let text = llm_decide::report::json::error(problems, message);
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Whether the arguments ask for JSON output: `--format json` or `--format=json`.
fn json_requested(args: impl Iterator<Item = std::ffi::OsString>) -> bool {
    let args: Vec<String> = args.map(|a| a.to_string_lossy().into_owned()).collect();
    args.iter().enumerate().any(|(i, a)| {
        a == "--format=json" || (a == "--format" && args.get(i + 1).is_some_and(|v| v == "json"))
    })
}

/// The columns the tables fit: `COLUMNS` when set and not empty (a whole number, at least 40), else the
/// terminal's width when the report goes to a terminal (at least 40), else none (100).
fn width(to_stdout: bool) -> Result<Option<usize>, String> {
    let min = llm_decide::report::text::MIN_WIDTH;
    if let Ok(s) = std::env::var("COLUMNS").map(|s| s.trim().to_string())
        && !s.is_empty()
    {
        return match s.trim().parse::<usize>() {
            Ok(w) if w >= min => Ok(Some(w)),
            _ => Err(format!(
                "COLUMNS={s:?} is not a whole number of columns from {min}; set it to one (e.g. 100) or unset it"
            )),
        };
    }
    let terminal = to_stdout
        .then(|| terminal_size::terminal_size_of(std::io::stdout()))
        .flatten();
    Ok(terminal.map(|(w, _)| usize::from(w.0).max(min)))
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
fn write_output(path: Option<&str>, body: &Body, inputs: &[PathBuf]) -> anyhow::Result<Written> {
    if let Some(path) = path {
        llm_decide::commands::output::write(Path::new(path), body, inputs)?;
        return Ok(Written::All);
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match body.write_to(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(Written::PipeClosed),
        other => {
            other.context("cannot write the output")?;
            Ok(Written::All)
        }
    }
}
