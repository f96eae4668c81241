//! Anthropic's Admin API usage report for messages
//! (`GET /v1/organizations/usage_report/messages`): pages of buckets with `starting_at` and
//! `ending_at` as RFC 3339 times, each with rows of `uncached_input_tokens`,
//! `cache_read_input_tokens`, `cache_creation` (5-minute and 1-hour writes), `output_tokens`
//! and, grouped by model, `model`. Input is the four input counts together; there is no
//! request count.

use super::{BucketRows, count, rows};
use crate::input::usage::rfc3339;
use crate::model::workload::usage::UsageRecord;
use serde_json::Value;

/// A bucket's rows.
pub(super) fn bucket(b: &Value) -> BucketRows {
    let time = |key: &str| b.get(key).and_then(Value::as_str).and_then(rfc3339);
    rows(
        b,
        (time("starting_at"), time("ending_at")),
        "a bucket without starting_at and ending_at as RFC 3339 times",
        row,
    )
}

fn row(r: &Value, start: i64, end: i64) -> Result<UsageRecord, &'static str> {
    let uncached =
        count(r, "uncached_input_tokens")?.ok_or("a row without uncached_input_tokens")?;
    let read = count(r, "cache_read_input_tokens")?.unwrap_or(0.0);
    let writes = match r.get("cache_creation") {
        Some(c) => {
            count(c, "ephemeral_5m_input_tokens")?.unwrap_or(0.0)
                + count(c, "ephemeral_1h_input_tokens")?.unwrap_or(0.0)
        }
        None => 0.0,
    };
    let output = count(r, "output_tokens")?.ok_or("a row without output_tokens")?;
    Ok(UsageRecord {
        start,
        end,
        model: r.get("model").and_then(Value::as_str).map(str::to_string),
        input_tokens: uncached + read + writes,
        cached_tokens: Some(read),
        output_tokens: output,
        requests: None,
    })
}
