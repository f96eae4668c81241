//! Usage exports read into records: bucketed pages (`OpenAI`'s organization Usage API,
//! Anthropic's usage report, `OpenRouter`'s activity) and logs of one row a request
//! (`LiteLLM`'s spend logs, any CSV or JSON lines with `--map`), as JSON, JSON lines or CSV,
//! gzip-compressed or not, streamed. Formats, where each is defined and what is read:
//! `tests/data/usage/README.md`.

mod buckets;
mod parallel;
pub mod postgres;
pub(crate) mod presets;
pub mod requests;

use crate::model::date::Date;
use crate::model::problem::{Pos, Problem};
use crate::model::workload::usage::{Usage, UsageFormat};
use buckets::{Page, bucketed, ccusage, format_of};
use requests::{CsvRow, FieldMap, Preset, Requests};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

/// The largest JSON document read whole (one not split a line): larger exports stream as JSON
/// lines or CSV.
pub const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// File name endings read from folders.
pub const EXTENSIONS: [&str; 6] = ["json", "jsonl", "csv", "json.gz", "jsonl.gz", "csv.gz"];

const WHAT_IS_READ: &str = "give a usage export llm-decide reads (OpenAI's or Anthropic's usage API pages, OpenRouter's activity or generations, ccusage's JSON, LiteLLM's spend logs, Helicone's requests, Langfuse's observations; tests/data/usage/README.md lists them)";

/// A file that could not be read.
fn unreadable(file: &str, e: &std::io::Error) -> Problem {
    Problem::new(file, format!("cannot be read: {e}"))
}

/// Why a line of JSON lines could not be used: cut short at the end of the file, or not JSON.
fn bad_line(line: &[u8]) -> &'static str {
    if line.ends_with(b"\n") {
        "a line that is not JSON"
    } else {
        "a truncated last line"
    }
}

/// A reader that hashes the bytes it reads, when asked to.
struct Hashing<R> {
    inner: R,
    hash: Option<Sha256>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(h) = &mut self.hash {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}

/// Reads usage exports, file after file, into one [`Usage`].
pub struct Reader {
    forced: Option<UsageFormat>,
    map: Option<FieldMap>,
    usage: Usage,
    requests: Requests,
    /// The per-request format of the file being read, once its first row says which.
    preset: Option<Preset>,
    /// Whether the file's documents are bare request rows (then parsed for the preset's keys
    /// only).
    bare: bool,
    /// Whether each file's SHA-256 is wanted (a decision records its inputs' digests).
    digests: bool,
}

impl Reader {
    /// A reader of the format given (`--usage-format`, or `--map`), or of any it detects; with
    /// `digests`, each file's SHA-256 is computed as it is read.
    pub fn new(forced: Option<UsageFormat>, map: Option<FieldMap>, digests: bool) -> Reader {
        Reader {
            forced: if map.is_some() {
                Some(UsageFormat::Map)
            } else {
                forced
            },
            map,
            usage: Usage::default(),
            requests: Requests::default(),
            preset: None,
            bare: false,
            digests,
        }
    }

    /// Reads `LiteLLM`'s spend logs from the `PostgreSQL` database at `url` ([`postgres::read`]).
    pub fn read_postgres(
        &mut self,
        url: &str,
        password: Option<&str>,
        window: &postgres::Window,
        timeout_s: u32,
    ) -> Result<(), Problem> {
        postgres::read(url, password, window, timeout_s, &mut self.usage)
    }

    /// Everything read.
    pub fn finish(mut self) -> Usage {
        self.requests.finish(&mut self.usage);
        self.usage
    }

    /// Reads one file (gzip: decompressed as it is read) and returns its SHA-256 (of the
    /// file's bytes as they are on disk) if digests were asked for.
    pub fn read(&mut self, file: &str) -> Result<Option<String>, Problem> {
        let io = |e: std::io::Error| unreadable(file, &e);
        let mut raw = BufReader::with_capacity(
            1 << 18,
            Hashing {
                inner: std::fs::File::open(file).map_err(io)?,
                hash: self.digests.then(Sha256::new),
            },
        );
        self.preset = None;
        self.bare = false;
        // gzip, by its magic number rather than the name.
        if raw.fill_buf().map_err(io)?.starts_with(&[0x1f, 0x8b]) {
            let mut r = BufReader::with_capacity(1 << 18, flate2::read::MultiGzDecoder::new(raw));
            self.stream(file, &mut r)?;
            raw = r.into_inner().into_inner();
        } else {
            self.stream(file, &mut raw)?;
        }
        std::io::copy(&mut raw, &mut std::io::sink()).map_err(io)?;
        let raw = raw.into_inner();
        if !self.usage.files.iter().any(|f| f == file) {
            self.usage.files.push(file.to_string());
        }
        Ok(raw.hash.map(|h| crate::input::digest::hex(&h.finalize())))
    }

    /// A file's content: one JSON document, JSON lines, or CSV with a header.
    fn stream(&mut self, file: &str, r: &mut dyn BufRead) -> Result<(), Problem> {
        let io = |e: std::io::Error| unreadable(file, &e);
        let mut line = Vec::new();
        let mut n = 0_u64;
        loop {
            line.clear();
            if r.read_until(b'\n', &mut line).map_err(io)? == 0 {
                return Err(Problem::new(file, "is empty").fix(WHAT_IS_READ));
            }
            n += 1;
            if n == 1 && line.starts_with(b"\xEF\xBB\xBF") {
                line.drain(..3);
            }
            if !line.trim_ascii().is_empty() {
                break;
            }
        }
        if !line.trim_ascii_start().starts_with(b"{") && !line.trim_ascii_start().starts_with(b"[")
        {
            return self.csv(file, std::io::Cursor::new(line).chain(r), n);
        }
        if let Ok(value) = serde_json::from_slice::<Value>(&line) {
            self.document(file, n, value)?;
            return self.json_lines(file, r, n);
        }
        // One document over many lines.
        let mut all = line;
        r.take(MAX_DOCUMENT_BYTES)
            .read_to_end(&mut all)
            .map_err(io)?;
        if all.len() as u64 >= MAX_DOCUMENT_BYTES {
            return Err(Problem::new(
                file,
                format!(
                    "holds a JSON document over {} MiB",
                    MAX_DOCUMENT_BYTES >> 20
                ),
            )
            .fix("export it as JSON lines (one page or row a line) or CSV, which are streamed"));
        }
        let value = serde_json::from_slice::<Value>(&all).map_err(|e| {
            Problem::new(file, format!("not valid JSON: {e}"))
                .at(Pos {
                    line: e.line() as u64 + n - 1,
                    column: e.column() as u64,
                })
                .fix(WHAT_IS_READ)
        })?;
        self.document(file, n, value)
    }

    /// The lines after the first of a JSON-lines file; a line that is not JSON is a skipped
    /// row (the last one, cut short, a truncated line).
    fn json_lines(&mut self, file: &str, r: &mut dyn BufRead, mut n: u64) -> Result<(), Problem> {
        if self.bare
            && let Some(preset) = &self.preset
        {
            return parallel::lines(file, r, n, preset, &mut self.requests, &mut self.usage);
        }
        let mut line = Vec::new();
        loop {
            line.clear();
            let read = r
                .read_until(b'\n', &mut line)
                .map_err(|e| unreadable(file, &e))?;
            if read == 0 {
                return Ok(());
            }
            n += 1;
            if line.trim_ascii().is_empty() {
                continue;
            }
            let keys = self.preset.as_ref().filter(|_| self.bare).map(|p| &p.keys);
            let parsed = match keys {
                Some(keys) => requests::parse_keeping(&line, keys).ok_or(()),
                None => serde_json::from_slice::<Value>(&line).map_err(|_| ()),
            };
            match parsed {
                Ok(value) => self.document(file, n, value)?,
                Err(()) => self.usage.skip(bad_line(&line), || format!("{file}:{n}")),
            }
        }
    }

    /// A JSON document: a page of buckets, a list of them, an envelope of request rows
    /// (`{"data": [rows]}`), or one request row.
    fn document(&mut self, file: &str, line: u64, value: Value) -> Result<(), Problem> {
        if let Value::Array(items) = value {
            for (i, item) in items.into_iter().enumerate() {
                match item {
                    Value::Object(_) if self.is_row(&item) => {
                        self.row(&item, || format!("{file}:{line} [{i}]"))?;
                    }
                    item => self.document(file, line, item)?,
                }
            }
            return Ok(());
        }
        let format = self
            .forced
            .filter(|f| bucketed(*f))
            .or_else(|| self.forced.is_none().then(|| format_of(&value)).flatten());
        if let Some(format) = format {
            let (buckets, rows) = match format {
                UsageFormat::Ccusage => (
                    ccusage::periods(&value).unwrap_or("daily"),
                    "modelBreakdowns",
                ),
                _ => ("data", "results"),
            };
            let page = Page {
                file,
                line,
                value,
                buckets,
                rows,
            };
            return self.page(&page, format);
        }
        match value.get("data") {
            Some(Value::Array(rows)) => {
                for (i, row) in rows.iter().enumerate() {
                    self.row(row, || format!("{file}:{line} data[{i}]"))?;
                }
                return Ok(());
            }
            // One record in its envelope (OpenRouter's `GET /api/v1/generation`).
            Some(row @ Value::Object(_)) => {
                return self.row(row, || format!("{file}:{line} data"));
            }
            _ => {}
        }
        self.bare = true;
        self.row(&value, || format!("{file}:{line}"))
    }

    /// Whether an array's item is a request row rather than a page.
    fn is_row(&self, item: &Value) -> bool {
        self.preset.is_some() || item.get("data").is_none()
    }

    /// One request row; the file's first row sets its format (or is refused, naming what is
    /// missing).
    fn row(&mut self, row: &dyn requests::Row, at: impl Fn() -> String) -> Result<(), Problem> {
        if self.preset.is_none() {
            self.adopt(&|k| row.top(k).is_some(), &at)?;
        }
        let preset = self.preset.as_ref().expect("set above");
        self.requests.row(preset, row, &mut self.usage, at);
        Ok(())
    }

    /// Takes the per-request format the file's first row (or header) says, by its keys `has`,
    /// as the file's.
    fn adopt(
        &mut self,
        has: &dyn Fn(&str) -> bool,
        at: &dyn Fn() -> String,
    ) -> Result<(), Problem> {
        let preset = self.preset_for(has, at)?;
        self.note_format(preset.format);
        self.preset = Some(preset);
        Ok(())
    }

    /// The per-request format of a file whose first row (or header) has the keys `has` says.
    fn preset_for(
        &self,
        has: &dyn Fn(&str) -> bool,
        at: &dyn Fn() -> String,
    ) -> Result<Preset, Problem> {
        let preset = match self.forced {
            Some(f) if !bucketed(f) => presets::preset(f, self.map.as_ref()),
            Some(f) => {
                return Err(Problem::new(at(), format!("is not a page of {} buckets", f.name()))
                    .fix("drop --usage-format to detect each file's format, or name the right one"));
            }
            None => presets::preset_of(has).ok_or_else(|| {
                Problem::new(at(), "is not a usage export llm-decide reads").fix(format!(
                    "{WHAT_IS_READ}; for another log of one request a row, name its fields: --map timestamp=..,model=..,input=..,output=..,cached=.. (--usage-map with --usage)"
                ))
            })?,
        };
        if let Some((key, looked)) = preset.map.absent(has, preset.format == UsageFormat::Map) {
            return Err(Problem::new(at(), format!("not in the file's columns or keys (the {} format reads it from `{looked}`)", preset.format.name()))
                .field(key)
                .fix("name the field with --map KEY=FIELD (a column of a CSV, a key of a JSON row, dots into nested JSON)"));
        }
        Ok(preset)
    }

    fn note_format(&mut self, format: UsageFormat) {
        if !self.usage.formats.iter().any(|f| f == format.name()) {
            self.usage.formats.push(format.name().to_string());
        }
    }

    /// A CSV with a header, one request a row.
    fn csv(&mut self, file: &str, reader: impl Read, first: u64) -> Result<(), Problem> {
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let headers = csv
            .headers()
            .map_err(|e| Problem::new(file, format!("has no CSV header: {e}")).fix(WHAT_IS_READ))?
            .clone();
        let columns: HashMap<String, usize> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim().to_string(), i))
            .collect();
        self.adopt(&|k| columns.contains_key(k), &|| format!("{file}:{first}"))?;
        let preset = self.preset.clone().expect("set above");
        let mut record = csv::StringRecord::new();
        loop {
            match csv.read_record(&mut record) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    let line = record.position().map_or(0, csv::Position::line) + first - 1;
                    let row = CsvRow {
                        record: &record,
                        columns: &columns,
                    };
                    self.requests
                        .row(&preset, &row, &mut self.usage, || format!("{file}:{line}"));
                }
                Err(e) => {
                    let line = e.position().map_or(0, csv::Position::line) + first - 1;
                    match e.kind() {
                        csv::ErrorKind::Utf8 { .. } => {
                            self.usage
                                .skip("a row that is not UTF-8", || format!("{file}:{line}"));
                        }
                        _ => {
                            return Err(Problem::new(
                                format!("{file}:{line}"),
                                format!("cannot be read as CSV: {e}"),
                            )
                            .fix("export the log as CSV with a header line (RFC 4180 quoting), or as JSON lines"));
                        }
                    }
                }
            }
        }
    }

    /// A page of buckets.
    fn page(&mut self, page: &Page<'_>, format: UsageFormat) -> Result<(), Problem> {
        let Some(buckets) = page.value.get(page.buckets).and_then(Value::as_array) else {
            return Err(Problem::new(
                page.file,
                format!("has no `{}` list of buckets", page.buckets),
            )
            .at(Pos {
                line: page.line,
                column: 1,
            })
            .field(page.buckets)
            .fix(format!(
                "give the {} usage pages as the API returned them",
                format.name()
            )));
        };
        self.note_format(format);
        for (b, bucket) in buckets.iter().enumerate() {
            if format == UsageFormat::Ccusage && ccusage::one_agent_of_all(bucket, buckets) {
                self.usage
                    .exclude("one agent's row (the rows of all agents are read)", || {
                        page.at(b, None)
                    });
                continue;
            }
            match buckets::bucket(format, bucket) {
                Err(reason) => self.usage.skip(reason, || page.at(b, None)),
                Ok(rows) => {
                    for (r, row) in rows.into_iter().enumerate() {
                        match row {
                            Ok(record) => self.usage.records.push(record),
                            Err(reason) => self.usage.skip(reason, || page.at(b, Some(r))),
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Seconds since the epoch of an RFC 3339 time (`2026-08-03T09:00:00Z`, `...+00:00`, with or
/// without fractions of a second).
pub fn rfc3339(text: &str) -> Option<i64> {
    time(text, false)
}

/// Seconds since the epoch of a request log's time: RFC 3339, a space for the `T`, and the
/// zone as `+00`, `+0000` or none (UTC), as databases print times.
pub fn timestamp(text: &str) -> Option<i64> {
    time(text, true)
}

fn time(text: &str, lenient: bool) -> Option<i64> {
    let date = Date::parse(text.get(..10)?).ok()?;
    let rest = text.get(10..)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let split = match rest.find(['Z', 'z', '+', '-']) {
        Some(at) => at,
        None if lenient => rest.len(),
        None => return None,
    };
    let (hms, zone) = rest.split_at(split);
    let hms = hms.split('.').next()?;
    let mut parts = hms.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let offset = match zone {
        "Z" | "z" | "" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let digits = z.get(1..)?;
            let (oh, om) = match digits.split_once(':') {
                Some(pair) => pair,
                None if lenient && digits.len() == 2 && digits.is_ascii() => (digits, "0"),
                None if lenient && digits.len() == 4 && digits.is_ascii() => digits.split_at(2),
                None => return None,
            };
            sign * (oh.parse::<i64>().ok()? * 3600 + om.parse::<i64>().ok()? * 60)
        }
    };
    Some(date.days_since_epoch() * 86_400 + h * 3600 + m * 60 + s - offset)
}

/// The export files named: files as given, folders as their JSON, JSON-lines and CSV files
/// (gzipped or not) and those of their subfolders.
pub fn files(paths: &[String]) -> Result<Vec<String>, Problem> {
    crate::input::data_files(
        paths,
        &[],
        &EXTENSIONS,
        "name the usage export files or the folder that holds them",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::workload::usage::UsageRecord;

    /// What a file of `text` reads into.
    fn read(file: &str, text: &str) -> Result<Usage, Problem> {
        let mut r = Reader::new(None, None, false);
        r.stream(file, &mut text.as_bytes())?;
        Ok(r.finish())
    }

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
            ("2026-08-03 09:00:00", None),
            ("2026-08-03T25:00:00Z", None),
            ("yesterday", None),
        ] {
            assert_eq!(rfc3339(text), want, "{text}");
        }
        for (text, want) in [
            ("2026-08-03 09:00:00", Some(1_785_747_600)),
            ("2026-08-03 09:00:00.204+00", Some(1_785_747_600)),
            ("2026-08-03 11:00:00+0200", Some(1_785_747_600)),
            ("2026-08-03T09:00:00Z", Some(1_785_747_600)),
            ("2026-08-03", None),
            ("2026-08-03 09:00:00+1€", None),
        ] {
            assert_eq!(timestamp(text), want, "{text}");
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
        let usage = read("o.json", text).unwrap();
        assert_eq!(usage.formats, ["openai"]);
        assert_eq!(
            usage.records,
            [UsageRecord {
                start: 3600,
                end: 7200,
                model: Some("gpt-4o-2024-08-06".into()),
                input_tokens: 300.0,
                cached_tokens: Some(100.0),
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
        let usage = read("a.json", text).unwrap();
        let r = &usage.records[0];
        assert_eq!((r.start, r.end), (3600, 7200));
        assert_eq!(
            (r.input_tokens, r.cached_tokens, r.output_tokens, r.requests),
            (560.0, Some(400.0), 70.0, None)
        );
        let err = read("x.json", r#"{"rows": []}"#).unwrap_err();
        assert_eq!(err.message, "is not a usage export llm-decide reads");
    }
}
