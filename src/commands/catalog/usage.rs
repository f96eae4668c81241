//! `usage`: API usage exports read and summarized into the workload they describe.

use super::super::Done;
use crate::Message;
use crate::RunError;
use crate::engine::usage::summarize;
use crate::exit::ExitStatus;
use crate::input::usage::postgres::{self, Window};
use crate::input::usage::{self, Reader, requests::FieldMap};
use crate::model::catalog::Catalog;
use crate::model::problem::{Problem, Problems};
use crate::model::workload::usage::UsageFormat;
use crate::options::UsageRequest;
use crate::report::{Document, UsageReport};

/// Reads every export (all their problems at once) and summarizes them.
pub(in crate::commands) fn usage(r: &UsageRequest, catalog: &Catalog) -> Result<Done, RunError> {
    let map = field_map(r.map.as_deref(), "--map")?;
    let window = Window {
        from: r.window.0.clone(),
        to: r.window.1.clone(),
    };
    flags_fit_sources(r)?;
    let statement_timeout = r.statement_timeout.unwrap_or(60);
    if r.explain {
        return Ok(Done::doc(Document::Text(postgres::explain(
            &window,
            statement_timeout,
        ))));
    }
    let source = Source {
        files: &r.files,
        format: r.format,
        map,
        window,
        statement_timeout,
    };
    let (report, _) = usage_report(&source, catalog, false)?;
    if r.strict && !report.skipped.is_empty() {
        let mut problems = Problems::default();
        for s in &report.skipped {
            problems.push(
                Problem::new(
                    &s.first,
                    format!("{} row(s) with {}, the first here", s.count, s.reason),
                )
                .fix("correct the export, or drop --strict to count such rows as skipped"),
            );
        }
        return Err(problems.finish(()).unwrap_err().into());
    }
    let mut messages = Vec::new();
    if let Some(path) = &r.write_scenario {
        let inputs: Vec<std::path::PathBuf> = report.files.iter().map(Into::into).collect();
        let text = crate::report::view::usage_scenario(&report);
        let body = super::super::spool::Body::Text(text);
        super::super::output::write(std::path::Path::new(path), &body, &inputs)
            .map_err(|e| Problem::new(path, e.to_string()))?;
        messages.push(Message::info(format!(
            "wrote {path}; next: llm-decide --scenario {path}"
        )));
    }
    let skipped: u64 = report.skipped.iter().map(|s| s.count).sum();
    if skipped > 0 {
        messages.push(Message::warning(format!(
            "{skipped} row(s) skipped (see `skipped`); --strict refuses them"
        )));
    }
    Ok(Done {
        doc: Document::Usage(Box::new(report)),
        status: ExitStatus::Passed,
        messages,
        items: None,
    })
}

/// The fields of a log of one request a row, as `flag` gave them.
pub(in crate::commands) fn field_map(
    text: Option<&str>,
    flag: &str,
) -> Result<Option<FieldMap>, Problem> {
    text.map(|text| {
        FieldMap::parse(text).map_err(|e| {
            Problem::new(flag, e).fix(format!(
                "give {flag} timestamp=FIELD,input=FIELD,output=FIELD[,model=FIELD][,cached=FIELD], e.g. {flag} {}",
                "timestamp=created_at,model=model,input=prompt_tokens,output=completion_tokens"
            ))
        })
    })
    .transpose()
}

/// Where usage is read from: files and folders, or `LiteLLM`'s database.
pub(in crate::commands) struct Source<'a> {
    /// Files, folders or postgres:// URLs.
    pub files: &'a [String],
    /// The format forced, if any.
    pub format: Option<UsageFormat>,
    /// The fields of a log of one request a row, if given.
    pub map: Option<FieldMap>,
    /// A database's window.
    pub window: Window,
    /// A database query's longest run, seconds.
    pub statement_timeout: u32,
}

impl<'a> Source<'a> {
    /// Files or URLs, each read in the way it is detected.
    pub fn files(files: &'a [String]) -> Source<'a> {
        Source {
            files,
            format: None,
            map: None,
            window: Window::default(),
            statement_timeout: 60,
        }
    }
}

/// Refuses flags that the sources named cannot use: the database's with files only, the
/// files' with a database, a window that ends before it starts.
fn flags_fit_sources(r: &UsageRequest) -> Result<(), Problem> {
    let database = r.files.iter().any(|f| postgres::is_url(f));
    let files = r.files.iter().any(|f| !postgres::is_url(f));
    let database_flags = [
        ("--from", r.window.0.is_some()),
        ("--to", r.window.1.is_some()),
        ("--explain", r.explain),
        ("--statement-timeout", r.statement_timeout.is_some()),
    ];
    let file_flags = [
        ("--usage-format", r.format.is_some()),
        ("--map", r.map.is_some()),
    ];
    if let Some((flag, _)) = database_flags.iter().find(|(_, set)| *set && !database) {
        return Err(Problem::new(*flag, "applies to a postgres:// source only").fix(
            "name LiteLLM's database as postgres://USER@HOST/DB, or drop the flag (files are read whole)",
        ));
    }
    if let Some((flag, _)) = file_flags.iter().find(|(_, set)| *set && !files) {
        return Err(Problem::new(*flag, "applies to files only")
            .fix("drop it: a postgres:// source is LiteLLM's spend-log table, read as such"));
    }
    if let (Some(from), Some(to)) = &r.window
        && from >= to
    {
        return Err(
            Problem::new("--to", format!("{to} is not after --from {from}"))
                .fix("give a window that ends after it starts (--to is the first day not read)"),
        );
    }
    Ok(())
}

/// The usage summary of exports, and with `digests` each file's name and SHA-256 (for
/// `--usage`, whose report records its inputs; a database has none).
pub(in crate::commands) fn usage_report(
    source: &Source,
    catalog: &Catalog,
    digests: bool,
) -> Result<(UsageReport, Vec<(String, String)>), RunError> {
    let files = source.files;
    let mut problems = Problems::default();
    let mut reader = Reader::new(source.format, source.map.clone(), digests);
    let mut sums = Vec::new();
    let (urls, paths): (Vec<String>, Vec<String>) =
        files.iter().cloned().partition(|f| postgres::is_url(f));
    // The password of a URL without one: PostgreSQL's own variable.
    let password = std::env::var("PGPASSWORD").ok();
    for url in &urls {
        problems.take(reader.read_postgres(
            url,
            password.as_deref(),
            &source.window,
            source.statement_timeout,
        ));
    }
    let paths = if paths.is_empty() {
        Vec::new()
    } else {
        usage::files(&paths)?
    };
    for file in paths {
        if let Some(Some(sha256)) = problems.take(reader.read(&file)) {
            sums.push((file, sha256));
        }
    }
    let read = problems.finish(reader.finish()).map_err(RunError::from)?;
    let Some(summary) = summarize(catalog, &read.records, read.lengths.as_ref(), read.window)
    else {
        return Err(Problem::new(
            postgres::shown(&files[0]),
            "holds no usage: no bucket or request has a row",
        )
        .fix("export a period with traffic, grouped by model")
        .into());
    };
    let report = UsageReport {
        formats: read.formats,
        files: read.files,
        summary,
        skipped: read.skipped,
        excluded: read.excluded,
    };
    Ok((report, sums))
}
