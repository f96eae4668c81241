//! The formats of one request a row the reader knows by their keys: where each keeps its
//! figures (a field map, as `--map` writes one) and which of its rows are not model traffic.
//! Where each is defined: `tests/data/usage/README.md`.

use super::requests::{FieldMap, Preset, Row};
use crate::model::workload::usage::UsageFormat;

/// `LiteLLM`'s spend logs (`LiteLLM_SpendLogs`): `prompt_tokens` includes the cached tokens,
/// which sit in the row's metadata.
const LITELLM: &str = "timestamp=startTime,model=model,input=prompt_tokens,\
    output=completion_tokens,\
    cached=metadata.additional_usage_values.prompt_tokens_details.cached_tokens\
    |metadata.usage_object.prompt_tokens_details.cached_tokens\
    |metadata.additional_usage_values.cache_read_input_tokens";

/// Helicone's request rows: `prompt_tokens` excludes the cache reads and writes and
/// `completion_tokens` the reasoning tokens, each in its own column (older rows have none).
const HELICONE: &str = "timestamp=request_created_at,\
    model=model|request_model|response_model|model_override,\
    input=prompt_tokens+prompt_cache_read_tokens+prompt_cache_write_tokens|prompt_tokens,\
    output=completion_tokens+reasoning_tokens|completion_tokens,\
    cached=prompt_cache_read_tokens";

/// Langfuse's observations: `inputUsage` (v1: `usage.input`, `promptTokens`) sums every usage
/// key holding "input", cache reads and writes included.
const LANGFUSE: &str = "timestamp=startTime,model=model|providedModelName,\
    input=inputUsage|usage.input|promptTokens,output=outputUsage|usage.output|completionTokens,\
    cached=usageDetails.input_cached_tokens|usageDetails.cache_read_input_tokens\
    |usageDetails.input_cache_read";

/// `OpenRouter`'s generation records: the provider's own counts (`native_*`) where given.
const OPENROUTER_GENERATION: &str = "timestamp=created_at,model=model,\
    input=native_tokens_prompt|tokens_prompt,output=native_tokens_completion|tokens_completion,\
    cached=native_tokens_cached";

/// The per-request formats by the keys only they have, in that order.
pub fn preset_of(has: &dyn Fn(&str) -> bool) -> Option<Preset> {
    let all = |keys: &[&str]| keys.iter().all(|k| has(k));
    let format = if all(&["startTime", "prompt_tokens", "completion_tokens"]) {
        UsageFormat::LiteLlm
    } else if all(&["request_created_at", "prompt_tokens"]) {
        UsageFormat::Helicone
    } else if all(&["traceId", "startTime"])
        && ["inputUsage", "usage", "promptTokens"]
            .iter()
            .any(|k| has(k))
    {
        UsageFormat::Langfuse
    } else if has("created_at") && (has("native_tokens_prompt") || has("tokens_prompt")) {
        UsageFormat::OpenRouterGeneration
    } else {
        return None;
    };
    Some(preset(format, None))
}

/// The preset of a per-request format (`--usage-format litellm`), or the map given with
/// `--map`.
pub fn preset(format: UsageFormat, map: Option<&FieldMap>) -> Preset {
    if let Some(map) = map {
        return Preset::new(UsageFormat::Map, map.clone(), |_| None, &[]);
    }
    type Excluded = fn(&dyn Row) -> Option<&'static str>;
    let (text, excluded, also): (_, Excluded, &[&str]) = match format {
        UsageFormat::Helicone => (
            HELICONE,
            helicone_excluded,
            &["response_status", "cache_reference_id"],
        ),
        UsageFormat::Langfuse => (LANGFUSE, langfuse_excluded, &["type"]),
        UsageFormat::OpenRouterGeneration => (OPENROUTER_GENERATION, |_| None, &[]),
        _ => (
            LITELLM,
            litellm_excluded,
            &["status", "cache_hit", "call_type"],
        ),
    };
    let map = FieldMap::parse(text).expect("the presets' maps parse");
    Preset::new(format, map, excluded, also)
}

/// The text of a row's value at a top-level key.
fn text(row: &dyn Row, key: &str) -> Option<String> {
    row.top(key).and_then(|c| c.text().map(str::to_string))
}

/// `LiteLLM` rows that are not model traffic: a failed request, a hit on the proxy's own
/// response cache (`cache_hit` "True": no model ran), a call that is not a completion.
fn litellm_excluded(row: &dyn Row) -> Option<&'static str> {
    if text(row, "status").is_some_and(|s| !s.is_empty() && s != "success") {
        return Some(LITELLM_FAILED);
    }
    if text(row, "cache_hit").is_some_and(|c| c.eq_ignore_ascii_case("true")) {
        return Some(LITELLM_CACHE_HIT);
    }
    if text(row, "call_type").is_some_and(|c| LITELLM_OTHER_CALLS.iter().any(|o| c.contains(o))) {
        return Some(LITELLM_NOT_COMPLETION);
    }
    None
}

/// Why a `LiteLLM` row is left out: a failed request.
pub const LITELLM_FAILED: &str = "a failed request (status not success)";
/// Why a `LiteLLM` row is left out: answered by the proxy's own cache.
pub const LITELLM_CACHE_HIT: &str = "a hit on LiteLLM's response cache (no model ran)";
/// Why a `LiteLLM` row is left out: a call that is not a completion.
pub const LITELLM_NOT_COMPLETION: &str = "not a completion (call_type)";
/// The words in a `call_type` that is not a completion.
pub const LITELLM_OTHER_CALLS: [&str; 6] = [
    "embedding",
    "image",
    "transcription",
    "speech",
    "moderation",
    "rerank",
];

/// Helicone rows that are not model traffic: a status outside 200-299, a hit on Helicone's
/// cache (a `cache_reference_id` other than the zero id; its token counts are zero).
fn helicone_excluded(row: &dyn Row) -> Option<&'static str> {
    // Any status outside 2xx, negative ones (-3: cancelled) included.
    let status = row.top("response_status").and_then(|c| c.number());
    if status.is_some_and(|s| !(200.0..300.0).contains(&s)) {
        return Some("a failed request (response_status not 2xx)");
    }
    let zero = "00000000-0000-0000-0000-000000000000";
    if text(row, "cache_reference_id").is_some_and(|c| !c.is_empty() && c != zero) {
        return Some("a hit on Helicone's cache (no model ran)");
    }
    None
}

/// Langfuse observations that are not model calls: spans, events and the like.
fn langfuse_excluded(row: &dyn Row) -> Option<&'static str> {
    text(row, "type")
        .is_some_and(|t| t != "GENERATION")
        .then_some("not a generation (type)")
}
