//! The KV cache of a deployment: its precision (the one asked for, else the engine's default
//! for the weights on the GPU) and the tokens a running sequence holds.

use super::sizing::Config;
use crate::engine::EngineError;
use crate::model::catalog::Catalog;
use crate::model::catalog::hardware::{Gpu, Precision, Serving};

/// Bytes per cached value: the KV precision asked for, else the engine's default for these
/// weights on this GPU.
pub fn kv_bytes(serving: &Serving, kv: Option<&Precision>, weights: &Precision, gpu: &Gpu) -> f64 {
    kv.map_or_else(
        || serving.default_kv_bytes(weights, gpu),
        |p| p.bytes_per_weight,
    )
}

/// The KV-cache precision a request names, looked up in the catalog; `None` when it names
/// none (the engine's default applies).
///
/// # Errors
/// The id is not in the catalog.
pub fn kv_precision<'a>(
    catalog: &'a Catalog,
    id: Option<&str>,
) -> Result<Option<&'a Precision>, EngineError> {
    id.map(|id| {
        catalog.precision(id).ok_or_else(|| EngineError::UnknownId {
            what: "KV precision",
            id: id.to_string(),
        })
    })
    .transpose()
}

impl Config<'_> {
    /// KV cache per token, bytes.
    pub fn kv_bytes_per_token(&self) -> f64 {
        self.model.kv_bytes_per_token(self.kv_bytes())
    }

    /// Bytes per cached value: the deployment's KV precision, else the engine's default.
    pub fn kv_bytes(&self) -> f64 {
        kv_bytes(self.serving, self.kv, self.precision, self.gpu)
    }

    /// Tokens of KV cache a running sequence holds on average: its prompt and output when the
    /// engine reserves them up front, its prompt and half its output when it pages.
    pub(super) fn kv_tokens_per_sequence(&self) -> f64 {
        let out = self.shape.output_tokens;
        self.shape.input_tokens
            + if self.serving.kv_paged {
                out / 2.0
            } else {
                out
            }
    }
}
