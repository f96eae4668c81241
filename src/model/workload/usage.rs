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
    /// `OpenRouter`'s `GET /api/v1/activity`: a day's tokens by model.
    OpenRouter,
    /// ccusage's `daily --json` or `monthly --json` (coding-agent usage by day or month).
    Ccusage,
    /// `LiteLLM` proxy spend logs (`LiteLLM_SpendLogs`), one row a request.
    LiteLlm,
    /// Helicone's request rows (`POST /v1/request/query-clickhouse`, `@helicone/export`).
    Helicone,
    /// Langfuse's observations (its export, or `GET /api/public/observations`).
    Langfuse,
    /// `OpenRouter`'s generation records (`GET /api/v1/generation`).
    OpenRouterGeneration,
    /// One row a request, its fields named by `--map`.
    Map,
}

impl UsageFormat {
    /// Its name in messages and `--usage-format`.
    pub fn name(self) -> &'static str {
        match self {
            UsageFormat::OpenAi => "openai",
            UsageFormat::Anthropic => "anthropic",
            UsageFormat::OpenRouter => "openrouter",
            UsageFormat::Ccusage => "ccusage",
            UsageFormat::LiteLlm => "litellm",
            UsageFormat::Helicone => "helicone",
            UsageFormat::Langfuse => "langfuse",
            UsageFormat::OpenRouterGeneration => "openrouter-generation",
            UsageFormat::Map => "map",
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
    /// Input tokens read from the provider's prompt cache, where the export counts them.
    pub cached_tokens: Option<f64>,
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

/// How many requests had each length: exact below 10,000 tokens, to 3 significant digits from
/// there (bins of 100 to 99,900, of 1,000 to 999,000, ...: never below 10,000, so the bins stay
/// in the order of the lengths), so that the memory is bounded however many requests are read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Histogram {
    /// Counts of the lengths below 10,000, by length (grown as needed).
    exact: Vec<u64>,
    /// Counts of the longer ones, by 3-significant-digit bin.
    counts: std::collections::BTreeMap<u64, u64>,
    total: u64,
}

/// Lengths below this are counted exactly.
pub const EXACT_BELOW: u64 = 10_000;

impl Histogram {
    /// Counts a length.
    pub fn record(&mut self, tokens: f64) {
        self.record_many(tokens, 1);
    }

    /// Counts `n` requests of a length.
    pub fn record_many(&mut self, tokens: f64, n: u64) {
        let v = tokens.round().max(0.0) as u64;
        self.total += n;
        if v < EXACT_BELOW {
            let i = v as usize;
            if self.exact.len() <= i {
                self.exact.resize(i + 1, 0);
            }
            self.exact[i] += n;
            return;
        }
        let unit = 10_u64.pow(v.ilog10() - 2);
        *self.counts.entry(v / unit * unit).or_default() += n;
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, other: &Histogram) {
        if self.exact.len() < other.exact.len() {
            self.exact.resize(other.exact.len(), 0);
        }
        for (i, n) in other.exact.iter().enumerate() {
            self.exact[i] += n;
        }
        for (bin, n) in &other.counts {
            *self.counts.entry(*bin).or_default() += n;
        }
        self.total += other.total;
    }

    /// How many lengths were counted.
    pub fn len(&self) -> u64 {
        self.total
    }

    /// Whether none was.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The length at quantile `q` (0 to 1): the smallest bin holding at least `q` of the
    /// counts (nearest rank); 0 when empty.
    pub fn quantile(&self, q: f64) -> u64 {
        let rank = ((q * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        let exact = self.exact.iter().enumerate().map(|(v, n)| (v as u64, *n));
        for (bin, n) in exact.chain(self.counts.iter().map(|(b, n)| (*b, *n))) {
            seen += n;
            if seen >= rank {
                return bin;
            }
        }
        0
    }

    /// The largest bin counted; 0 when empty.
    pub fn max(&self) -> u64 {
        self.counts
            .keys()
            .next_back()
            .copied()
            .unwrap_or_else(|| self.exact.iter().rposition(|n| *n > 0).unwrap_or(0) as u64)
    }
}

/// The lengths of requests, where an export has one row a request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lengths {
    /// Input tokens a request, cached included.
    pub input: Histogram,
    /// Output tokens a request.
    pub output: Histogram,
}

impl Lengths {
    /// Adds another's counts.
    pub fn merge(&mut self, other: &Lengths) {
        self.input.merge(&other.input);
        self.output.merge(&other.output);
    }

    /// Counts one request's lengths.
    pub fn record(&mut self, input: f64, output: f64) {
        self.input.record(input);
        self.output.record(output);
    }
}

#[cfg(test)]
mod tests {
    use super::Histogram;

    /// Lengths 1..=100 and one of 123,456 tokens: the median is the 51st of 101 (51), the 99th
    /// percentile the 100th (100), the longest binned to 3 significant digits (123,000). Around
    /// 10,000 the bins keep the lengths' order: 9,999 exact, 10,049 in 10,000, 10,051 in 10,000.
    #[test]
    fn quantiles_by_hand() {
        let mut h = Histogram::default();
        for v in 1..=100 {
            h.record(f64::from(v));
        }
        h.record(123_456.0);
        assert_eq!(
            (
                h.len(),
                h.quantile(0.5),
                h.quantile(0.99),
                h.quantile(1.0),
                h.max()
            ),
            (101, 51, 100, 123_000, 123_000)
        );
        let mut g = Histogram::default();
        for v in [9_999.4, 10_049.0, 10_051.0, 99_999.0] {
            g.record(v);
        }
        assert_eq!(
            (
                g.exact[9_999],
                g.counts.iter().map(|(b, n)| (*b, *n)).collect::<Vec<_>>()
            ),
            (1, vec![(10_000, 2), (99_900, 1)])
        );
        assert_eq!(
            (g.quantile(0.25), g.quantile(0.5), g.max()),
            (9_999, 10_000, 99_900)
        );
        // Merged, the counts add up.
        h.merge(&g);
        assert_eq!((h.len(), h.max()), (105, 123_000));
        assert_eq!(Histogram::default().quantile(0.5), 0);
    }
}

/// Everything read from the usage exports.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Usage {
    /// The formats read, by name.
    pub formats: Vec<String>,
    /// The files read.
    pub files: Vec<String>,
    /// The usable records.
    pub records: Vec<UsageRecord>,
    /// The rows not used because they cannot be read.
    pub skipped: Vec<Skipped>,
    /// Rows read and left out by design (a failed request, a proxy cache hit), by reason.
    pub excluded: Vec<Skipped>,
    /// Request lengths, where some export has one row a request.
    pub lengths: Option<Lengths>,
    /// The window read, where the user gave one (a database's `--from`, `--to`): the period
    /// is that window, not the span of its traffic.
    pub window: (Option<i64>, Option<i64>),
}

impl Usage {
    /// Counts a row not used, keeping where the first of its reason was.
    pub fn skip(&mut self, reason: &str, at: impl FnOnce() -> String) {
        count(&mut self.skipped, reason, 1, at);
    }

    /// Counts a row left out by design, keeping where the first of its reason was.
    pub fn exclude(&mut self, reason: &str, at: impl FnOnce() -> String) {
        count(&mut self.excluded, reason, 1, at);
    }

    /// Counts `n` rows not used (`left_out`: by design, else unreadable) at once.
    pub fn not_used(&mut self, left_out: bool, reason: &str, n: u64, at: impl FnOnce() -> String) {
        let list = if left_out {
            &mut self.excluded
        } else {
            &mut self.skipped
        };
        count(list, reason, n, at);
    }
}

fn count(list: &mut Vec<Skipped>, reason: &str, n: u64, at: impl FnOnce() -> String) {
    match list.iter_mut().find(|s| s.reason == reason) {
        Some(s) => s.count += n,
        None => list.push(Skipped {
            reason: reason.to_string(),
            count: n,
            first: at(),
        }),
    }
}
