//! ccusage's JSON (`ccusage daily --json`, `monthly --json`; `ccusage claude daily --json`
//! from v19; ryoppippi/ccusage `apps/ccusage/src/commands/daily.ts` @c6861275 and
//! `rust/crates/ccusage/src/output.rs` @5816e640): `{"daily": [row], "totals": {..}}`, each
//! row a day (`date` or, for all agents, `period`) or a month (`month`) with its
//! `modelBreakdowns`: `inputTokens` (uncached), `cacheCreationTokens`, `cacheReadTokens` and
//! `outputTokens` by `modelName`. Days are the local calendar days of the machine that ran it
//! (or of `--timezone`), read as UTC days; there is no request count.

use super::{BucketRows, count};
use crate::model::date::Date;
use crate::model::workload::usage::UsageRecord;
use serde_json::Value;

/// The list of a ccusage document and its key: `daily` or `monthly`, beside `totals`.
pub fn periods(doc: &Value) -> Option<&'static str> {
    doc.get("totals")?;
    ["daily", "monthly"]
        .into_iter()
        .find(|k| doc.get(*k).is_some_and(Value::is_array))
}

/// Whether a row is one agent's where the document also has rows for all agents together.
pub fn one_agent_of_all(row: &Value, list: &[Value]) -> bool {
    let agent = |r: &Value| r.get("agent").and_then(Value::as_str).map(str::to_string);
    agent(row).is_some_and(|a| a != "all")
        && list.iter().any(|r| agent(r).as_deref() == Some("all"))
}

/// A day's or month's row: its models' rows.
pub(super) fn bucket(b: &Value) -> BucketRows {
    let key = ["date", "period", "month"]
        .into_iter()
        .find_map(|k| b.get(k).and_then(Value::as_str))
        .ok_or("a row without a date, period or month")?;
    let (start, end) = span(key).ok_or("a date that is not YYYY-MM-DD nor YYYY-MM")?;
    let rows = b
        .get("modelBreakdowns")
        .and_then(Value::as_array)
        .ok_or("a row without modelBreakdowns")?;
    Ok(rows.iter().map(|r| row(r, start, end)).collect())
}

/// The seconds a day (`2026-08-03`) or a month (`2026-08`) spans, as UTC.
fn span(key: &str) -> Option<(i64, i64)> {
    if key.len() == 10 {
        let start = Date::parse(key).ok()?.start_seconds();
        return Some((start, start + 86_400));
    }
    let first = Date::parse(&format!("{key}-01")).ok()?;
    Some((first.start_seconds(), first.next_month().start_seconds()))
}

fn row(r: &Value, start: i64, end: i64) -> Result<UsageRecord, &'static str> {
    let uncached = count(r, "inputTokens")?.ok_or("a model without inputTokens")?;
    let writes = count(r, "cacheCreationTokens")?.unwrap_or(0.0);
    let reads = count(r, "cacheReadTokens")?.unwrap_or(0.0);
    Ok(UsageRecord {
        start,
        end,
        model: r
            .get("modelName")
            .and_then(Value::as_str)
            .map(str::to_string),
        input_tokens: uncached + writes + reads,
        cached_tokens: Some(reads),
        output_tokens: count(r, "outputTokens")?.ok_or("a model without outputTokens")?,
        requests: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_months_by_hand() {
        assert_eq!(span("1970-01-02"), Some((86_400, 172_800)));
        // December 2026 runs to 2027-01-01, 31 days.
        let (a, b) = span("2026-12").unwrap();
        assert_eq!(b - a, 31 * 86_400);
        assert_eq!(span("2026-13"), None);
    }
}
