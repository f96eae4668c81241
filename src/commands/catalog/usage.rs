//! `usage`: API usage exports read and summarized into the workload they describe.

use super::super::Done;
use crate::Message;
use crate::RunError;
use crate::engine::usage::summarize;
use crate::exit::ExitStatus;
use crate::input::usage;
use crate::model::catalog::Catalog;
use crate::model::problem::{InputError, Problem, Problems};
use crate::model::workload::usage::{Usage, UsageFormat};
use crate::options::UsageRequest;
use crate::report::{Document, UsageReport};

/// Reads every export (all their problems at once) and summarizes them.
pub(in crate::commands) fn usage(r: &UsageRequest, catalog: &Catalog) -> Result<Done, RunError> {
    let (read, _) = read(&r.files, r.format)?;
    if r.strict && !read.skipped.is_empty() {
        let mut problems = Problems::default();
        for s in &read.skipped {
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
    let Some(summary) = summarize(catalog, &read.records) else {
        return Err(
            Problem::new(&r.files[0], "holds no usage: no bucket has a row")
                .fix("export a period with traffic, grouped by model")
                .into(),
        );
    };
    let report = UsageReport {
        formats: read.formats,
        files: read.files,
        summary,
        skipped: read.skipped,
    };
    let mut messages = Vec::new();
    if let Some(path) = &r.write_scenario {
        let inputs: Vec<std::path::PathBuf> = report.files.iter().map(Into::into).collect();
        let text = crate::report::view::usage_scenario(&report);
        super::super::output::write(std::path::Path::new(path), text.as_bytes(), &inputs)
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
    })
}

/// The summary of what was read, or a problem when it holds no usage.
fn summary(read: Usage, files: &[String], catalog: &Catalog) -> Result<UsageReport, RunError> {
    let Some(summary) = summarize(catalog, &read.records) else {
        return Err(
            Problem::new(&files[0], "holds no usage: no bucket has a row")
                .fix("export a period with traffic, grouped by model")
                .into(),
        );
    };
    Ok(UsageReport {
        formats: read.formats,
        files: read.files,
        summary,
        skipped: read.skipped,
    })
}

/// The usage summary of exports, and each file's text, for `--usage`.
pub(in crate::commands) fn usage_report(
    files: &[String],
    format: Option<UsageFormat>,
    catalog: &Catalog,
) -> Result<(UsageReport, Vec<(String, String)>), RunError> {
    let (read, texts) = read(files, format)?;
    Ok((summary(read, files, catalog)?, texts))
}

/// Every export read (every problem at once), with each file's text.
fn read(
    files: &[String],
    format: Option<UsageFormat>,
) -> Result<(Usage, Vec<(String, String)>), InputError> {
    let mut problems = Problems::default();
    let mut out = Usage::default();
    let mut texts = Vec::new();
    for file in usage::files(files)? {
        let text = crate::input::read_text(std::path::Path::new(&file), &file);
        if let Some(text) = problems.take(text) {
            let read = usage::read(&file, &text, format, &mut out);
            problems.take(read);
            texts.push((file, text));
        }
    }
    problems.finish((out, texts))
}
