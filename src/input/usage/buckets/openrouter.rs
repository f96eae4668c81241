//! `OpenRouter`'s activity (`GET /api/v1/activity`, `OpenRouterTeam/go-sdk`
//! `models/components/activityitem.go`): a `data` list of items, each a UTC day's
//! `prompt_tokens`, `completion_tokens` and `requests` of one model and endpoint. Daily only,
//! so no hourly shape; no cached-input count.

use super::{BucketRows, count};
use crate::model::date::Date;
use crate::model::workload::usage::UsageRecord;
use serde_json::Value;

/// An item: one day's row.
pub(super) fn bucket(item: &Value) -> BucketRows {
    let day = item
        .get("date")
        .and_then(Value::as_str)
        .and_then(|d| Date::parse(d).ok())
        .ok_or("an item without a date (YYYY-MM-DD)")?;
    let start = day.days_since_epoch() * 86_400;
    Ok(vec![row(item, start, start + 86_400)])
}

fn row(r: &Value, start: i64, end: i64) -> Result<UsageRecord, &'static str> {
    Ok(UsageRecord {
        start,
        end,
        model: r.get("model").and_then(Value::as_str).map(str::to_string),
        input_tokens: count(r, "prompt_tokens")?.ok_or("a row without prompt_tokens")?,
        cached_tokens: None,
        output_tokens: count(r, "completion_tokens")?.ok_or("a row without completion_tokens")?,
        requests: count(r, "requests")?,
    })
}
