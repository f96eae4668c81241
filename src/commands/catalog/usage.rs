//! `usage`: API usage exports read and summarized into the workload they describe.

use super::super::Done;
use crate::Message;
use crate::RunError;
use crate::engine::usage::summarize;
use crate::exit::ExitStatus;
use crate::input::usage::{self, Reader, requests::FieldMap};
use crate::model::catalog::Catalog;
use crate::model::problem::{Problem, Problems};
use crate::model::workload::usage::UsageFormat;
use crate::options::UsageRequest;
use crate::report::{Document, UsageReport};

/// Reads every export (all their problems at once) and summarizes them.
pub(in crate::commands) fn usage(r: &UsageRequest, catalog: &Catalog) -> Result<Done, RunError> {
    let map = match &r.map {
        Some(text) => Some(FieldMap::parse(text).map_err(|e| {
            Problem::new("--map", e).fix(format!(
                "give --map timestamp=FIELD,input=FIELD,output=FIELD[,model=FIELD][,cached=FIELD], e.g. {}",
                "--map timestamp=created_at,model=model,input=prompt_tokens,output=completion_tokens"
            ))
        })?),
        None => None,
    };
    let (report, _) = usage_report(&r.files, r.format, map, catalog, false)?;
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

/// The usage summary of exports, and with `digests` each file's name and SHA-256 (for
/// `--usage`, whose report records its inputs).
pub(in crate::commands) fn usage_report(
    files: &[String],
    format: Option<UsageFormat>,
    map: Option<FieldMap>,
    catalog: &Catalog,
    digests: bool,
) -> Result<(UsageReport, Vec<(String, String)>), RunError> {
    let mut problems = Problems::default();
    let mut reader = Reader::new(format, map, digests);
    let mut sums = Vec::new();
    for file in usage::files(files)? {
        if let Some(Some(sha256)) = problems.take(reader.read(&file)) {
            sums.push((file, sha256));
        }
    }
    let read = problems.finish(reader.finish()).map_err(RunError::from)?;
    let Some(summary) = summarize(catalog, &read.records, read.lengths.as_ref()) else {
        return Err(
            Problem::new(&files[0], "holds no usage: no bucket or request has a row")
                .fix("export a period with traffic, grouped by model")
                .into(),
        );
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
