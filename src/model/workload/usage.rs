//! Observed API usage, as providers' exports record it: buckets (or requests) of tokens by
//! model over time, what `llm-decide usage` derives a workload from.

use serde::Serialize;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageFormat {
    /// `GET /v1/organization/usage/completions` pages.
    OpenAi,
    /// `GET /v1/organizations/usage_report/messages` pages.
    Anthropic,
}

impl UsageFormat {
    /// Its name in messages and `--usage-format`.
    pub fn name(self) -> &'static str {
        match self {
            UsageFormat::OpenAi => "openai",
            UsageFormat::Anthropic => "anthropic",
        }
    }
}

/// One bucket of usage of one model (or one request), in UTC seconds since the epoch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsageRecord {
    /// Start of the bucket, inclusive.
    pub start: i64,
    /// End of the bucket, exclusive.
    pub end: i64,
    /// The model as the export writes it, when the export is grouped by model.
    pub model: Option<String>,
    /// Input tokens, cached ones included.
    pub input_tokens: f64,
    /// Input tokens read from the provider's prompt cache.
    pub cached_tokens: f64,
    /// Output tokens.
    pub output_tokens: f64,
    /// Requests, where the export counts them.
    pub requests: Option<f64>,
}

/// Rows of an export not used, by reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// Why.
    pub reason: String,
    /// How many.
    pub count: u64,
    /// Where the first was: file and line, or file and JSON path.
    pub first: String,
}

/// Everything read from the usage exports.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Usage {
    /// The formats read, by name.
    pub formats: Vec<String>,
    /// The files read.
    pub files: Vec<String>,
    /// The usable records.
    pub records: Vec<UsageRecord>,
    /// The rows not used.
    pub skipped: Vec<Skipped>,
}

impl Usage {
    /// Counts a row not used, keeping where the first of its reason was.
    pub fn skip(&mut self, reason: &str, at: impl FnOnce() -> String) {
        match self.skipped.iter_mut().find(|s| s.reason == reason) {
            Some(s) => s.count += 1,
            None => self.skipped.push(Skipped {
                reason: reason.to_string(),
                count: 1,
                first: at(),
            }),
        }
    }
}
