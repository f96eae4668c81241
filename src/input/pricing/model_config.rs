//! A model from its Hugging Face `config.json`: everything the sizing engine needs, derived
//! from the architecture's fields. Dense and mixture-of-experts feed-forward layers (routed,
//! shared and dense-first layers), grouped-query, multi-query and multi-head latent attention
//! (`DeepSeek`'s compressed KV cache), sliding-window layers (`layer_types`, or Gemma 3's
//! `sliding_window_pattern`) and a nested `text_config` are read, with the defaults `transformers`
//! gives the keys a family leaves out; an architecture the reader cannot size is refused with the missing
//! field named.
//!
//! Parameters are counted from the shapes: embeddings (`vocab x hidden`, twice unless tied),
//! per layer the attention projections and a gated MLP (`3 x hidden x intermediate`) or, in an
//! expert layer, every routed expert, the shared ones and the router. Active parameters count
//! the experts a token uses and leave out the input embedding, a table lookup that does no
//! arithmetic (`OpenAI`'s convention for gpt-oss; others count it: the difference is under 4%).

use crate::model::catalog::hardware::{Experts, OpenModel, SlidingWindow};
use crate::model::catalog::{Provenance, Tier};
use serde_json::{Map, Value};

/// Why a config cannot be sized.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    /// The file is not a JSON object.
    #[error("not a JSON object: {0}")]
    NotJson(String),
    /// A field the architecture needs is missing or not a number.
    #[error(
        "field `{0}` is missing or not a positive whole number; the sizing needs it for this architecture"
    )]
    Missing(&'static str),
    /// A field holds a value the reader does not size.
    #[error("field `{field}` is {value}: {why}")]
    Unsupported {
        /// The field.
        field: &'static str,
        /// Its value.
        value: String,
        /// What is not supported.
        why: &'static str,
    },
}

/// The architecture's numbers, before they become a catalog model.
#[derive(Debug, Clone, PartialEq)]
pub struct Architecture {
    /// Total parameters.
    pub params: f64,
    /// Parameters a token multiplies (the untied input embedding is a lookup).
    pub active_params: f64,
    /// The input embedding's parameters where not tied to the output projection.
    pub lookup_params: f64,
    /// The layers.
    pub layers: u32,
    /// Hidden size.
    pub hidden: u32,
    /// Query heads.
    pub heads: u32,
    /// Key/value heads.
    pub kv_heads: u32,
    /// Dimension of a head.
    pub head_dim: u32,
    /// Values cached per token per layer.
    pub kv_values_per_layer: u32,
    /// Context window, tokens.
    pub context_tokens: f64,
    /// Routed experts, when a mixture of experts.
    pub experts: Option<Experts>,
    /// Sliding-window layers, when some attend only to a window.
    pub sliding: Option<SlidingWindow>,
    /// The checkpoint's quantization method, as the config names it (`fp8`, `mxfp4`).
    pub quantization: Option<String>,
}

fn whole(c: &Map<String, Value>, keys: &[&'static str]) -> Option<u64> {
    keys.iter()
        .find_map(|k| c.get(*k).and_then(Value::as_u64))
        .filter(|v| *v > 0)
}

fn need(c: &Map<String, Value>, key: &'static str) -> Result<u64, ConfigError> {
    whole(c, &[key]).ok_or(ConfigError::Missing(key))
}

/// Which layers are expert layers: after the dense-first layers (`first_k_dense_replace`),
/// every `moe_layer_freq`-th or `interleave_moe_layer_step`-th or `decoder_sparse_step`-th
/// layer, less `mlp_only_layers`; all of them when the config says nothing.
fn expert_layers(c: &Map<String, Value>, layers: u64) -> Vec<bool> {
    let first_dense = whole(c, &["first_k_dense_replace"]).unwrap_or(0);
    let step = whole(
        c,
        &[
            "interleave_moe_layer_step",
            "decoder_sparse_step",
            "moe_layer_freq",
        ],
    )
    .unwrap_or(1);
    let dense_only: Vec<u64> = c
        .get("mlp_only_layers")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    (0..layers)
        .map(|i| {
            let by_step = if c.contains_key("first_k_dense_replace") {
                i % step == 0
            } else {
                (i + 1) % step == 0
            };
            i >= first_dense && by_step && !dense_only.contains(&i)
        })
        .collect()
}

/// Attention parameters of one layer and values it caches per token.
fn attention(c: &Map<String, Value>, hidden: f64, heads: f64) -> Result<(f64, f64), ConfigError> {
    if c.contains_key("kv_lora_rank") {
        // Multi-head latent attention: queries through an optional low-rank projection, keys
        // and values through a shared latent of `kv_lora_rank` plus a rotary part.
        let f = |k| need(c, k).map(|v| v as f64);
        let (kv_rank, nope, rope, v_dim) = (
            f("kv_lora_rank")?,
            f("qk_nope_head_dim")?,
            f("qk_rope_head_dim")?,
            f("v_head_dim")?,
        );
        let q = match whole(c, &["q_lora_rank"]) {
            Some(r) => hidden * r as f64 + r as f64 * heads * (nope + rope),
            None => hidden * heads * (nope + rope),
        };
        let params = q
            + hidden * (kv_rank + rope)
            + kv_rank * heads * (nope + v_dim)
            + heads * v_dim * hidden;
        return Ok((params, kv_rank + rope));
    }
    let kv_heads = whole(c, &["num_key_value_heads"]).map_or(heads, |v| v as f64);
    let head_dim = whole(c, &["head_dim"]).map_or(hidden / heads, |v| v as f64);
    let params = 2.0 * hidden * heads * head_dim + 2.0 * hidden * kv_heads * head_dim;
    Ok((params, 2.0 * kv_heads * head_dim))
}

/// The layers that attend to a bounded span, with that span: the sliding-window layers of
/// `layer_types` (`sliding_attention` against `full_attention`), or Llama 4's chunked-attention
/// layers (its `RoPE` layers attend within chunks of `attention_chunk_size`; a `NoPE` layer every
/// `no_rope_layer_interval`, 4 by default, attends to everything), counted as a window of one
/// chunk.
fn sliding(c: &Map<String, Value>) -> Option<SlidingWindow> {
    if let Some(chunk) = whole(c, &["attention_chunk_size"]) {
        let layers = whole(c, &["num_hidden_layers"])?;
        let listed: Vec<u64> = c
            .get("no_rope_layers")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_u64).collect())
            .unwrap_or_default();
        let chunked = if listed.is_empty() {
            let interval = whole(c, &["no_rope_layer_interval"]).unwrap_or(4);
            layers - layers / interval
        } else {
            listed.iter().filter(|&&v| v == 1).count() as u64
        };
        return (chunked > 0).then(|| SlidingWindow {
            window_tokens: chunk as f64,
            layers: u32::try_from(chunked).unwrap_or(u32::MAX),
        });
    }
    let window = whole(c, &["sliding_window"])?;
    let layers = match (c.get("layer_types"), whole(c, &["sliding_window_pattern"])) {
        (Some(types), _) => types
            .as_array()?
            .iter()
            .filter(|t| t.as_str() == Some("sliding_attention"))
            .count(),
        // Every `pattern`-th layer attends globally, the others within the window.
        (None, Some(pattern)) if pattern > 0 => {
            let all = whole(c, &["num_hidden_layers"])?;
            usize::try_from(all - all / pattern).ok()?
        }
        _ => return None,
    };
    (layers > 0).then(|| SlidingWindow {
        window_tokens: window as f64,
        layers: u32::try_from(layers).unwrap_or(u32::MAX),
    })
}

/// Feed-forward parameters of all layers, those a token uses, and the routed experts: a gated
/// MLP (`3 x hidden x intermediate`) in a dense layer; in an expert layer every routed expert,
/// the shared ones and the router, of which a token uses its experts, the shared and the router.
fn feed_forward(
    c: &Map<String, Value>,
    h: f64,
    layers: u64,
) -> Result<(f64, f64, Option<Experts>), ConfigError> {
    let routed = whole(c, &["n_routed_experts", "num_local_experts", "num_experts"]);
    let per_token = whole(c, &["num_experts_per_tok", "experts_per_token"]);
    let dense_inter = whole(c, &["intermediate_size_mlp", "intermediate_size"]);
    let experts = match (routed, per_token) {
        (Some(e), Some(k)) if e > 1 => {
            if k > e {
                return Err(ConfigError::Unsupported {
                    field: "num_experts_per_tok",
                    value: k.to_string(),
                    why: "more experts per token than routed experts",
                });
            }
            Some((e, k))
        }
        _ => None,
    };
    let moe = experts.map_or_else(
        || vec![false; layers as usize],
        |_| expert_layers(c, layers),
    );
    let (mut params, mut active) = (0.0, 0.0);
    for is_expert in moe {
        let Some((e, k)) = experts.filter(|_| is_expert) else {
            let inter = dense_inter.ok_or(ConfigError::Missing("intermediate_size"))? as f64;
            params += 3.0 * h * inter;
            active += 3.0 * h * inter;
            continue;
        };
        let expert_inter = whole(c, &["moe_intermediate_size", "intermediate_size"])
            .ok_or(ConfigError::Missing("moe_intermediate_size"))?
            as f64;
        let one = 3.0 * h * expert_inter;
        // Llama 4's shared expert has the MLP's intermediate size; DeepSeek's count the
        // routed experts' size.
        let shared = if c.get("model_type").and_then(Value::as_str) == Some("llama4_text") {
            3.0 * h * whole(c, &["intermediate_size"]).unwrap_or(0) as f64
        } else if let Some(s) = whole(c, &["shared_expert_intermediate_size"]) {
            // Qwen2-MoE: one shared expert of its own size, behind a one-output gate.
            3.0 * h * s as f64 + h
        } else {
            whole(c, &["n_shared_experts"]).unwrap_or(0) as f64 * one
        };
        let router = h * e as f64;
        params += e as f64 * one + shared + router;
        active += k as f64 * one + shared + router;
    }
    let experts = experts.map(|(e, k)| Experts {
        count: u32::try_from(e).unwrap_or(u32::MAX),
        per_token: u32::try_from(k).unwrap_or(u32::MAX),
    });
    Ok((params, active, experts))
}

/// The values `transformers` gives the keys a family's `config.json` leaves out, where the
/// sizing needs them: Gemma 3's text config (`Gemma3TextConfig` in
/// `src/transformers/models/gemma3/configuration_gemma3.py`, huggingface/transformers @d98ac17)
/// omits its vocabulary (262,208), context (131,072), tied embeddings and its 5-local:1-global
/// layer pattern (`sliding_window_pattern` 6) in the released 27B config; a size that also
/// omits its heads gets the class's (`head_dim` 256, 8 heads, 4 KV heads).
fn with_defaults(c: &Map<String, Value>) -> Map<String, Value> {
    let mut out = c.clone();
    let defaults: &[(&str, Value)] = match c.get("model_type").and_then(Value::as_str) {
        Some("gemma3_text") => &[
            ("vocab_size", Value::from(262_208)),
            ("head_dim", Value::from(256)),
            ("num_attention_heads", Value::from(8)),
            ("num_key_value_heads", Value::from(4)),
            ("max_position_embeddings", Value::from(131_072)),
            ("tie_word_embeddings", Value::from(true)),
            ("sliding_window", Value::from(4096)),
            ("sliding_window_pattern", Value::from(6)),
        ],
        _ => &[],
    };
    for (key, value) in defaults {
        out.entry(*key).or_insert_with(|| value.clone());
    }
    out
}

/// Reads a `config.json`'s text.
///
/// # Errors
/// The text is not a JSON object, or the architecture lacks a field its sizing needs.
pub fn read(text: &str) -> Result<Architecture, ConfigError> {
    let root: Value =
        serde_json::from_str(text).map_err(|e| ConfigError::NotJson(e.to_string()))?;
    let root = root
        .as_object()
        .ok_or_else(|| ConfigError::NotJson("the top level is not an object".into()))?;
    let c = &with_defaults(
        root.get("text_config")
            .and_then(Value::as_object)
            .unwrap_or(root),
    );
    let hidden = need(c, "hidden_size")?;
    let layers = need(c, "num_hidden_layers")?;
    let vocab = need(c, "vocab_size")?;
    let heads = need(c, "num_attention_heads")?;
    let (h, n) = (hidden as f64, heads as f64);
    let (attn, kv_values) = attention(c, h, n)?;
    let tied = [c, root]
        .iter()
        .find_map(|m| m.get("tie_word_embeddings").and_then(Value::as_bool))
        .unwrap_or(false);
    // The output projection is a matmul every token does; the input embedding a lookup.
    let embedding = vocab as f64 * h;
    let (ffn, ffn_active, experts) = feed_forward(c, h, layers)?;
    let attention_all = attn * layers as f64;
    let params = embedding * if tied { 1.0 } else { 2.0 } + attention_all + ffn;
    let active = embedding + attention_all + ffn_active;
    let lookup = if tied { 0.0 } else { embedding };
    let kv_heads = whole(c, &["num_key_value_heads"]).unwrap_or(heads);
    let head_dim = whole(c, &["head_dim", "v_head_dim"]).unwrap_or(hidden / heads);
    let small = |v: u64, field: &'static str| {
        u32::try_from(v).map_err(|_| ConfigError::Unsupported {
            field,
            value: v.to_string(),
            why: "too large",
        })
    };
    let quantization = [c, root].iter().find_map(|m| {
        m.get("quantization_config")?
            .get("quant_method")?
            .as_str()
            .map(str::to_string)
    });
    Ok(Architecture {
        params,
        active_params: active,
        lookup_params: lookup,
        layers: small(layers, "num_hidden_layers")?,
        hidden: small(hidden, "hidden_size")?,
        heads: small(heads, "num_attention_heads")?,
        kv_heads: small(kv_heads, "num_key_value_heads")?,
        head_dim: small(head_dim, "head_dim")?,
        kv_values_per_layer: kv_values as u32,
        context_tokens: need(c, "max_position_embeddings")? as f64,
        experts,
        sliding: sliding(c),
        quantization,
    })
}

/// The catalog precision of a checkpoint's `quant_method`, where the catalog has it.
fn native_precision(method: &str) -> Option<String> {
    match method {
        "fp8" => Some("fp8".into()),
        "mxfp4" => Some("mxfp4".into()),
        _ => None,
    }
}

impl Architecture {
    /// The catalog model this architecture is, under `id`, with the tier the user gives.
    pub fn model(&self, id: &str, tier: Tier, source: &str) -> OpenModel {
        OpenModel {
            id: id.to_string(),
            name: id.to_string(),
            params_b: self.params / 1e9,
            active_params_b: self.active_params / 1e9,
            lookup_params_b: self.lookup_params / 1e9,
            layers: self.layers,
            hidden_size: self.hidden,
            attention_heads: self.heads,
            kv_heads: self.kv_heads,
            head_dim: self.head_dim,
            kv_values_per_layer: self.kv_values_per_layer,
            context_tokens: self.context_tokens,
            experts: self.experts,
            sliding: self.sliding,
            native_precision: self.quantization.as_deref().and_then(native_precision),
            tier,
            index: None,
            provenance: Provenance {
                checked: None,
                source: source.to_string(),
            },
        }
    }
}
