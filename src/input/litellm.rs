//! `LiteLLM`'s community price list, `model_prices_and_context_window.json` (USD per token,
//! keyed by model), converted to this tool's API pricing entries (USD per 1M tokens, with a
//! `checked` date and a `source`). Only chat models with per-token prices are converted; every
//! other entry is counted by the reason it was skipped.

use crate::model::catalog::{ApiModel, Catalog, DatedBy, Import, ImportedApi, LongContext, Tier};
use crate::model::date::Date;
use crate::model::problem::{InputError, Problem};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How to convert.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOptions {
    /// The date written as each entry's `checked`.
    pub checked: Date,
    /// Where that date came from.
    pub dated_by: DatedBy,
    /// Only these providers (this tool's ids, after mapping); empty: all.
    pub providers: Vec<String>,
    /// Keep models whose deprecation date is before `checked`.
    pub include_deprecated: bool,
    /// Tier for models the catalog does not know.
    pub tier: Tier,
}

/// `LiteLLM` provider ids that are a provider this catalog already names differently.
const PROVIDER_ALIASES: &[(&str, &str)] = &[
    ("gemini", "google"),
    ("vertex_ai-language-models", "google"),
];

/// The largest amount of money the catalog reads.
const MAX_USD: f64 = crate::model::units::MAX_USD;

fn per_mtok(v: f64) -> f64 {
    // USD per token to USD per 1M tokens, without binary noise (2.5e-06 -> 2.5).
    (v * 1e6 * 1e9).round() / 1e9
}

fn number(entry: &Map<String, Value>, key: &str) -> Option<f64> {
    entry
        .get(key)
        .and_then(Value::as_f64)
        .filter(|v| v.is_finite() && *v >= 0.0)
}

/// Converts the text of a `LiteLLM` price file.
pub fn convert(
    file: &str,
    text: &str,
    options: &ImportOptions,
    catalog: &Catalog,
) -> Result<Import, InputError> {
    let value = super::parse_json(
        file,
        text,
        "pass LiteLLM's model_prices_and_context_window.json (in the litellm package, litellm/model_prices_and_context_window_backup.json)",
    )?;
    let Some(entries) = value.as_object() else {
        return Err(
            Problem::new(file, "the file is not a JSON object of models")
                .fix("pass LiteLLM's model_prices_and_context_window.json")
                .into(),
        );
    };
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut skip = |reason: String| *skipped.entry(reason).or_default() += 1;
    let mut apis = Vec::new();
    for (key, entry) in entries {
        match convert_entry(key, entry, options, catalog) {
            Ok(api) => apis.push(api),
            Err(reason) => skip(reason),
        }
    }
    if apis.is_empty() {
        let reasons: Vec<String> = skipped.iter().map(|(r, n)| format!("{n} {r}")).collect();
        return Err(Problem::new(
            file,
            if reasons.is_empty() {
                "holds no models".to_string()
            } else {
                format!(
                    "holds no chat model this tool can convert (skipped: {})",
                    reasons.join(", ")
                )
            },
        )
        .fix("pass LiteLLM's model_prices_and_context_window.json; nothing was written")
        .into());
    }
    let known: Vec<&str> = catalog.providers.iter().map(String::as_str).collect();
    let mut new_providers: Vec<String> = apis
        .iter()
        .map(|a| a.provider.clone())
        .filter(|p| !known.contains(&p.as_str()))
        .collect();
    new_providers.sort();
    new_providers.dedup();
    Ok(Import {
        file: file.to_string(),
        sha256: super::sha256_hex(text.as_bytes()),
        checked: options.checked,
        dated_by: options.dated_by,
        last_modified: None,
        new_providers,
        apis,
        skipped,
    })
}

/// One entry converted, or the reason it is skipped.
fn convert_entry(
    key: &str,
    entry: &Value,
    options: &ImportOptions,
    catalog: &Catalog,
) -> Result<ImportedApi, String> {
    let Some(entry) = entry.as_object() else {
        return Err("not a model entry".into());
    };
    let (input, output) = chat_prices(key, entry)?;
    let deprecation = entry
        .get("deprecation_date")
        .and_then(Value::as_str)
        .map(str::to_string);
    if !options.include_deprecated
        && let Some(d) = deprecation.as_deref().and_then(|d| Date::parse(d).ok())
        && d < options.checked
    {
        return Err(format!("deprecated before {}", options.checked));
    }
    let litellm_provider = entry
        .get("litellm_provider")
        .and_then(Value::as_str)
        .unwrap_or("unknown")
        .to_string();
    let provider = PROVIDER_ALIASES
        .iter()
        .find(|(from, _)| *from == litellm_provider)
        .map_or(litellm_provider.clone(), |(_, to)| (*to).to_string());
    if !options.providers.is_empty() && !options.providers.contains(&provider) {
        return Err("provider not selected".into());
    }
    let batch_discount = batch_discount(entry, input, output);
    let (refreshes, known) = catalog_entry(catalog, key);
    let mut source = format!("LiteLLM model_prices_and_context_window.json, key {key}");
    if let Some(url) = entry.get("source").and_then(Value::as_str) {
        let _ = write!(source, " (LiteLLM cites {url})");
    }
    // A price the catalog would refuse (past the money limit) is not converted.
    let cached = number(entry, "cache_read_input_token_cost").map(per_mtok);
    let prices = [per_mtok(input), per_mtok(output)];
    if prices
        .iter()
        .chain(cached.iter())
        .any(|p| !p.is_finite() || *p > MAX_USD)
    {
        return Err(format!(
            "a price past {} per 1M tokens",
            crate::model::units::fmt_usd(MAX_USD)
        ));
    }
    Ok(ImportedApi {
        id: refreshes.map_or_else(|| key.to_string(), |a| a.id.clone()),
        provider: refreshes.map_or(provider, |a| a.provider.clone()),
        litellm_provider,
        input_usd_per_mtok: prices[0],
        output_usd_per_mtok: prices[1],
        cached_input_usd_per_mtok: cached,
        batch_discount,
        tier: known.map_or(options.tier, |a| a.tier),
        tier_known: known.is_some(),
        context_tokens: number(entry, "max_input_tokens")
            .filter(|v| *v > 0.0 && *v <= crate::model::units::MAX_TOKENS),
        long_context: long_context(entry),
        deprecation_date: deprecation,
        source,
        litellm_key: key.to_string(),
        refreshes: refreshes.map(|a| Box::new(a.clone())),
    })
}

/// A chat model's per-token input and output prices, or why the entry is not one.
fn chat_prices(key: &str, entry: &Map<String, Value>) -> Result<(f64, f64), String> {
    if key == "sample_spec" {
        return Err("the sample_spec documentation entry".into());
    }
    // The key becomes the entry's id: one word, or the catalog would refuse the file.
    if key.is_empty() || key.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("a key that is empty or holds spaces or control characters".into());
    }
    match entry.get("mode").and_then(Value::as_str) {
        Some("chat") => {}
        Some(mode) => {
            return Err(format!("mode {mode}"));
        }
        None => {
            return Err("no mode".into());
        }
    }
    match (
        number(entry, "input_cost_per_token"),
        number(entry, "output_cost_per_token"),
    ) {
        (Some(input), Some(output)) => Ok((input, output)),
        _ => Err("chat without per-token input and output prices".into()),
    }
}

/// The batch discount: one for both sides, the smaller, so costs are not understated.
fn batch_discount(entry: &Map<String, Value>, input: f64, output: f64) -> Option<f64> {
    let ratio = |batch: &str, base: f64| {
        number(entry, batch)
            .filter(|_| base > 0.0)
            .map(|b| b / base)
    };
    match (
        ratio("input_cost_per_token_batches", input),
        ratio("output_cost_per_token_batches", output),
    ) {
        (Some(i), Some(o)) => Some(1.0 - i.max(o)),
        (Some(r), None) | (None, Some(r)) => Some(1.0 - r),
        (None, None) => None,
    }
    .map(|d| (d.clamp(0.0, 1.0) * 1e6).round() / 1e6)
}

/// The catalog's entry for the model at `key`: the one whose `litellm_key` it is (refreshed,
/// keeping its id), and the entry its tier is copied from (that one, else the same id, or one
/// converted from this key before).
fn catalog_entry<'a>(
    catalog: &'a Catalog,
    key: &str,
) -> (Option<&'a ApiModel>, Option<&'a ApiModel>) {
    let refreshes = catalog
        .apis
        .iter()
        .find(|a| a.litellm_key.as_deref() == Some(key));
    let from_key = format!("key {key}");
    let known = refreshes.or_else(|| catalog.api(key)).or_else(|| {
        catalog
            .apis
            .iter()
            .find(|a| a.provenance.source.ends_with(&from_key))
    });
    (refreshes, known)
}

/// The lowest long-context threshold's prices (`input_cost_per_token_above_200k_tokens`...).
fn long_context(entry: &Map<String, Value>) -> Option<LongContext> {
    let threshold = |key: &str| -> Option<f64> {
        let rest = key.strip_prefix("input_cost_per_token_above_")?;
        let n = rest.strip_suffix("_tokens")?;
        let (digits, scale) = match n.strip_suffix('k') {
            Some(d) => (d, 1e3),
            None => (
                n.strip_suffix('m').unwrap_or(n),
                if n.ends_with('m') { 1e6 } else { 1.0 },
            ),
        };
        digits
            .parse::<f64>()
            .ok()
            .map(|v| (v * scale, n))
            .map(|(v, _)| v)
    };
    let (above, suffix) = entry
        .keys()
        .filter_map(|k| {
            threshold(k).map(|t| {
                (
                    t,
                    k.trim_start_matches("input_cost_per_token_above_")
                        .to_string(),
                )
            })
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))?;
    Some(LongContext {
        above_input_tokens: above,
        input_usd_per_mtok: per_mtok(number(
            entry,
            &format!("input_cost_per_token_above_{suffix}"),
        )?),
        output_usd_per_mtok: per_mtok(number(
            entry,
            &format!("output_cost_per_token_above_{suffix}"),
        )?),
        cached_input_usd_per_mtok: number(
            entry,
            &format!("cache_read_input_token_cost_above_{suffix}"),
        )
        .map(per_mtok),
    })
}
