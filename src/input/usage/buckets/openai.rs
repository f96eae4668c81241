//! `OpenAI`'s organization Usage API, completions (`GET /v1/organization/usage/completions`,
//! openai/openai-openapi `openapi.yaml`, `UsageCompletionsResult`): pages of buckets with
//! `start_time`/`end_time` in Unix seconds, each with rows of `input_tokens` (cached ones
//! included), `input_cached_tokens`, `output_tokens`, `num_model_requests` and, grouped by
//! model, `model`.

use super::{BucketRows, count, rows};
use crate::model::workload::usage::UsageRecord;
use serde_json::Value;

/// A bucket's rows.
pub(super) fn bucket(b: &Value) -> BucketRows {
    let time = |key: &str| b.get(key).and_then(Value::as_i64);
    rows(
        b,
        (time("start_time"), time("end_time")),
        "a bucket without start_time and end_time in Unix seconds",
        row,
    )
}

fn row(r: &Value, start: i64, end: i64) -> Result<UsageRecord, &'static str> {
    let input = count(r, "input_tokens")?.ok_or("a row without input_tokens")?;
    let output = count(r, "output_tokens")?.ok_or("a row without output_tokens")?;
    let cached = count(r, "input_cached_tokens")?.unwrap_or(0.0);
    if cached > input {
        return Err("more cached input tokens than input tokens");
    }
    Ok(UsageRecord {
        start,
        end,
        model: r.get("model").and_then(Value::as_str).map(str::to_string),
        input_tokens: input,
        cached_tokens: Some(cached),
        output_tokens: output,
        requests: count(r, "num_model_requests")?,
    })
}
