//! A decode step, kernel by kernel: what `sizing::Config::step` returns.

use super::sizing::Bound;
use serde::Serialize;

/// One decode step, kernel by kernel, ms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Step {
    /// Weight GEMMs of the decode and piggy-backed prefill tokens.
    pub gemm_ms: f64,
    /// Decode attention: reading each sequence's KV cache.
    pub decode_attention_ms: f64,
    /// Attention of the piggy-backed prefill tokens.
    pub prefill_attention_ms: f64,
    /// Communication between the replica's GPUs: tensor-parallel all-reduces, and all-to-alls
    /// where the experts are spread.
    pub communication_ms: f64,
    /// Time outside the kernels: a fixed part a step and a part a running sequence
    /// (scheduling, sampling).
    pub overhead_ms: f64,
    /// Drafting the speculative tokens (one small layer a draft token).
    pub draft_ms: f64,
    /// The sum.
    pub total_ms: f64,
    /// Tokens a sequence gains a step: 1, or more with speculative decoding.
    pub tokens_per_step: f64,
    /// What bounds the GEMMs.
    pub bound: Bound,
}

impl Default for Step {
    fn default() -> Step {
        Step {
            gemm_ms: 0.0,
            decode_attention_ms: 0.0,
            prefill_attention_ms: 0.0,
            communication_ms: 0.0,
            overhead_ms: 0.0,
            draft_ms: 0.0,
            total_ms: 0.0,
            tokens_per_step: 1.0,
            bound: Bound::Memory,
        }
    }
}

impl Step {
    /// Time per output token, ms.
    pub fn per_token_ms(&self) -> f64 {
        self.total_ms / self.tokens_per_step
    }
}
