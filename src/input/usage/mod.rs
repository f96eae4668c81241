//! Usage exports read into records: the `OpenAI` organization Usage API's completions pages and
//! Anthropic's Admin API usage report for messages. Formats, where each is defined and what is
//! read: `tests/data/usage/README.md`.

mod anthropic;
mod openai;

use crate::model::date::Date;
use crate::model::problem::{Pos, Problem};
use crate::model::workload::usage::{Usage, UsageFormat, UsageRecord};
use serde_json::Value;

/// The format of a page, by the keys only it has.
fn format_of(page: &Value) -> Option<UsageFormat> {
    let bucket = page.get("data")?.as_array()?.first();
    match bucket {
        Some(b) if b.get("start_time").is_some() => Some(UsageFormat::OpenAi),
        Some(b) if b.get("starting_at").is_some() => Some(UsageFormat::Anthropic),
        None if page.get("object").and_then(Value::as_str) == Some("page") => {
            Some(UsageFormat::OpenAi)
        }
        _ => None,
    }
}

/// A page of an export, with where it is.
struct Page<'a> {
    file: &'a str,
    line: u64,
    value: Value,
}

impl Page<'_> {
    /// Where a bucket's row is, for a skipped row: the file, the page's line and the path.
    fn at(&self, bucket: usize, row: Option<usize>) -> String {
        match row {
            Some(r) => format!("{}:{} data[{bucket}].results[{r}]", self.file, self.line),
            None => format!("{}:{} data[{bucket}]", self.file, self.line),
        }
    }
}

/// A count at `key` of a row: `Ok(None)` when absent or null, `Err` with the reason when not a
/// whole, non-negative number.
fn count(row: &Value, key: &str) -> Result<Option<f64>, &'static str> {
    match row.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(v) if v < 0.0 => Err("a negative count"),
            Some(v) if v.is_finite() => Ok(Some(v)),
            _ => Err("a count that is not a number"),
        },
        Some(_) => Err("a count that is not a number"),
    }
}

/// Seconds since the epoch of an RFC 3339 time (`2026-08-03T09:00:00Z`, `...+00:00`, with or
/// without fractions of a second).
pub fn rfc3339(text: &str) -> Option<i64> {
    let date = Date::parse(text.get(..10)?).ok()?;
    let rest = text.get(10..)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (hms, zone) = rest.split_at(rest.find(['Z', 'z', '+', '-'])?);
    let hms = hms.split('.').next()?;
    let mut parts = hms.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let offset = match zone {
        "Z" | "z" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (oh, om) = z.get(1..)?.split_once(':')?;
            sign * (oh.parse::<i64>().ok()? * 3600 + om.parse::<i64>().ok()? * 60)
        }
    };
    Some(date.days_since_epoch() * 86_400 + h * 3600 + m * 60 + s - offset)
}

/// The pages of a file: one JSON page, an array of pages, or one page a line.
fn pages<'a>(file: &'a str, text: &str) -> Result<Vec<Page<'a>>, Problem> {
    let docs = crate::input::json_documents(
        file,
        text,
        "give the pages as the API returned them: one JSON page, an array of pages, or one page a line",
    )?;
    Ok(docs
        .into_iter()
        .flat_map(|(line, value)| {
            match value {
                Value::Array(list) => list,
                value => vec![value],
            }
            .into_iter()
            .map(move |value| Page { file, line, value })
        })
        .collect())
}

/// The export files named: files as given, folders as their `.json` and `.jsonl` files and
/// those of their subfolders.
pub fn files(paths: &[String]) -> Result<Vec<String>, Problem> {
    crate::input::json_files(
        paths,
        &[],
        "name the usage export files or the folder that holds them",
    )
}

/// Reads one export file into `usage`, the format detected from each page or forced.
pub fn read(
    file: &str,
    text: &str,
    forced: Option<UsageFormat>,
    usage: &mut Usage,
) -> Result<(), Problem> {
    for page in pages(file, text)? {
        let format = forced.or_else(|| format_of(&page.value)).ok_or_else(|| {
            Problem::new(file, "is not a usage export llm-decide reads")
                .at(Pos {
                    line: page.line,
                    column: 1,
                })
                .fix("give the JSON pages of OpenAI's organization Usage API (completions) or of Anthropic's usage report (messages); tests/data/usage/README.md lists the formats")
        })?;
        let Some(buckets) = page.value.get("data").and_then(Value::as_array) else {
            return Err(Problem::new(file, "has no `data` list of buckets")
                .at(Pos {
                    line: page.line,
                    column: 1,
                })
                .field("data")
                .fix(format!(
                    "give the {} usage pages as the API returned them",
                    format.name()
                )));
        };
        if !usage.formats.iter().any(|f| f == format.name()) {
            usage.formats.push(format.name().to_string());
        }
        for (b, bucket) in buckets.iter().enumerate() {
            let read = match format {
                UsageFormat::OpenAi => openai::bucket(bucket),
                UsageFormat::Anthropic => anthropic::bucket(bucket),
            };
            match read {
                Err(reason) => usage.skip(reason, || page.at(b, None)),
                Ok(rows) => {
                    for (r, row) in rows.into_iter().enumerate() {
                        match row {
                            Ok(record) => usage.records.push(record),
                            Err(reason) => usage.skip(reason, || page.at(b, Some(r))),
                        }
                    }
                }
            }
        }
    }
    if !usage.files.iter().any(|f| f == file) {
        usage.files.push(file.to_string());
    }
    Ok(())
}

/// A bucket's rows read, or why the bucket cannot be used.
type BucketRows = Result<Vec<Result<UsageRecord, &'static str>>, &'static str>;

/// A bucket's rows, each read by `row` with the bucket's times: the times as the format gives
/// them (`missing` says which when it does not), a bucket that ends before it starts refused.
fn rows(
    b: &Value,
    times: (Option<i64>, Option<i64>),
    missing: &'static str,
    row: fn(&Value, i64, i64) -> Result<UsageRecord, &'static str>,
) -> BucketRows {
    let (Some(start), Some(end)) = times else {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times_by_hand() {
        // 2026-08-03 is day 20,668 since 1970-01-01: 1,785,715,200 s.
        for (text, want) in [
            ("2026-08-03T00:00:00Z", Some(1_785_715_200)),
            ("2026-08-03T09:00:00Z", Some(1_785_747_600)),
            ("2026-08-03T09:00:00.123456Z", Some(1_785_747_600)),
            ("2026-08-03T11:00:00+02:00", Some(1_785_747_600)),
            ("2026-08-03T07:30:00-01:30", Some(1_785_747_600)),
            ("2026-08-03", None),
            ("2026-08-03T25:00:00Z", None),
            ("yesterday", None),
        ] {
            assert_eq!(rfc3339(text), want, "{text}");
        }
    }

    /// An `OpenAI` page of two hourly buckets: the first's row is read (its input includes its
    /// cached tokens), the second's has a negative count and is skipped with its place.
    #[test]
    fn openai_rows_are_read_and_bad_ones_counted_where_they_are() {
        let text = r#"{"object": "page", "data": [
            {"object": "bucket", "start_time": 3600, "end_time": 7200, "results": [
                {"object": "organization.usage.completions.result", "input_tokens": 300,
                 "input_cached_tokens": 100, "output_tokens": 50, "num_model_requests": 2,
                 "model": "gpt-4o-2024-08-06"}]},
            {"object": "bucket", "start_time": 7200, "end_time": 10800, "results": [
                {"object": "organization.usage.completions.result", "input_tokens": -1,
                 "output_tokens": 5, "num_model_requests": 1}]}],
            "has_more": false, "next_page": null}"#;
        let mut usage = Usage::default();
        read("o.json", text, None, &mut usage).unwrap();
        assert_eq!(usage.formats, ["openai"]);
        assert_eq!(
            usage.records,
            [UsageRecord {
                start: 3600,
                end: 7200,
                model: Some("gpt-4o-2024-08-06".into()),
                input_tokens: 300.0,
                cached_tokens: 100.0,
                output_tokens: 50.0,
                requests: Some(2.0),
            }]
        );
        assert_eq!(usage.skipped.len(), 1);
        assert_eq!(
            (
                usage.skipped[0].reason.as_str(),
                usage.skipped[0].count,
                usage.skipped[0].first.as_str()
            ),
            ("a negative count", 1, "o.json:1 data[1].results[0]")
        );
    }

    /// Anthropic's input is its uncached, cache-read and both cache-write counts: 100 + 400 +
    /// 50 + 10 = 560, 400 of them cached; no requests.
    #[test]
    fn anthropic_input_is_its_four_counts() {
        let text = r#"{"data": [{"starting_at": "1970-01-01T01:00:00Z", "ending_at": "1970-01-01T02:00:00Z",
            "results": [{"uncached_input_tokens": 100, "cache_read_input_tokens": 400,
            "cache_creation": {"ephemeral_5m_input_tokens": 50, "ephemeral_1h_input_tokens": 10},
            "output_tokens": 70, "model": "claude-sonnet-4-5-20250929"}]}],
            "has_more": false, "next_page": null}"#;
        let mut usage = Usage::default();
        read("a.json", text, None, &mut usage).unwrap();
        let r = &usage.records[0];
        assert_eq!((r.start, r.end), (3600, 7200));
        assert_eq!(
            (r.input_tokens, r.cached_tokens, r.output_tokens, r.requests),
            (560.0, 400.0, 70.0, None)
        );
        let err = read("x.json", r#"{"rows": []}"#, None, &mut usage).unwrap_err();
        assert_eq!(err.message, "is not a usage export llm-decide reads");
    }
}
