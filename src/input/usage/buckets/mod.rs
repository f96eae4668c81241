//! Exports of buckets: tokens by model over an hour, a day or a month, as `OpenAI`'s
//! organization Usage API, Anthropic's usage report, `OpenRouter`'s activity and ccusage give
//! them. Each format's module reads a bucket's rows; this one finds the format and the
//! buckets' shared rules.

mod anthropic;
pub mod ccusage;
mod openai;
mod openrouter;

use super::requests;
use crate::model::workload::usage::{UsageFormat, UsageRecord};
use serde_json::Value;

/// A bucket's rows, read as `format` writes them.
pub fn bucket(format: UsageFormat, b: &Value) -> BucketRows {
    match format {
        UsageFormat::OpenAi => openai::bucket(b),
        UsageFormat::Anthropic => anthropic::bucket(b),
        UsageFormat::Ccusage => ccusage::bucket(b),
        _ => openrouter::bucket(b),
    }
}

/// The format of a page, by the keys only it has.
pub fn format_of(page: &Value) -> Option<UsageFormat> {
    if ccusage::periods(page).is_some() {
        return Some(UsageFormat::Ccusage);
    }
    let bucket = page.get("data")?.as_array()?.first();
    match bucket {
        Some(b) if b.get("start_time").is_some() => Some(UsageFormat::OpenAi),
        Some(b) if b.get("starting_at").is_some() => Some(UsageFormat::Anthropic),
        Some(b) if b.get("date").is_some() && b.get("model_permaslug").is_some() => {
            Some(UsageFormat::OpenRouter)
        }
        None if page.get("object").and_then(Value::as_str) == Some("page") => {
            Some(UsageFormat::OpenAi)
        }
        _ => None,
    }
}

/// Whether a format's pages are buckets (not one row a request).
pub fn bucketed(format: UsageFormat) -> bool {
    matches!(
        format,
        UsageFormat::OpenAi
            | UsageFormat::Anthropic
            | UsageFormat::OpenRouter
            | UsageFormat::Ccusage
    )
}

/// A page of an export, with where it is and the keys of its buckets and their rows.
pub struct Page<'a> {
    /// The file.
    pub file: &'a str,
    /// The line the page starts on.
    pub line: u64,
    /// The page.
    pub value: Value,
    /// The key of its list of buckets.
    pub buckets: &'static str,
    /// The key of a bucket's rows.
    pub rows: &'static str,
}

impl Page<'_> {
    /// Where a bucket's row is, for a skipped row: the file, the page's line and the path.
    pub fn at(&self, bucket: usize, row: Option<usize>) -> String {
        let (file, line, buckets) = (self.file, self.line, self.buckets);
        match row {
            Some(r) => format!("{file}:{line} {buckets}[{bucket}].{}[{r}]", self.rows),
            None => format!("{file}:{line} {buckets}[{bucket}]"),
        }
    }
}

/// A count at `key` of a row: `Ok(None)` when absent or null, `Err` with the reason when not a
/// whole, non-negative number.
fn count(row: &Value, key: &str) -> Result<Option<f64>, &'static str> {
    match row.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_f64()
            .map_or(Err("a count that is not a number"), requests::checked),
        Some(_) => Err("a count that is not a number"),
    }
}

/// A bucket's rows read, or why the bucket cannot be used.
pub type BucketRows = Result<Vec<Result<UsageRecord, &'static str>>, &'static str>;

/// A bucket's rows, each read by `row` with the bucket's times: the times as the format gives
/// them (`missing` says which when it does not), a bucket that ends before it starts refused.
fn rows(
    b: &Value,
    times: (Option<i64>, Option<i64>),
    missing: &'static str,
    row: fn(&Value, i64, i64) -> Result<UsageRecord, &'static str>,
) -> BucketRows {
    let (Some(start), Some(end)) = times
        .0
        .zip(times.1)
        .filter(|(s, e)| {
            (0..=requests::LAST_SECOND).contains(s) && (0..=requests::LAST_SECOND).contains(e)
        })
        .map_or((None, None), |(s, e)| (Some(s), Some(e)))
    else {
        return Err(missing);
    };
    if end <= start {
        return Err("a bucket that ends before it starts");
    }
    let rows = b
        .get("results")
        .and_then(Value::as_array)
        .ok_or("a bucket without results")?;
    Ok(rows.iter().map(|r| row(r, start, end)).collect())
}
