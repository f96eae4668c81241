//! A decode step, kernel by kernel: what `sizing::Config::step` returns, and the constants a
//! step runs at (the engine's, or the user's own calibration on that GPU and precision).

use super::sizing::{Bound, Config};
use crate::model::catalog::hardware::Calibration;
use serde::Serialize;

/// The efficiency constants a replica runs at.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Constants {
    /// Share of peak memory bandwidth a step reaches.
    pub bandwidth_efficiency: f64,
    /// Share of the measured matmul rate a step reaches.
    pub gemm_efficiency: f64,
    /// Fixed time per step, ms.
    pub step_overhead_ms: f64,
    /// Time per running sequence per step, µs.
    pub sequence_overhead_us: f64,
    /// Launch time a layer of a prompt's forwards outside CUDA graphs, µs.
    pub prefill_layer_overhead_us: f64,
    /// Decode steps a new prompt waits at load before its first token.
    pub prefill_wait_steps: f64,
}

impl Config<'_> {
    /// GPUs that work on a step at once: all of a replica's under tensor parallelism, one at
    /// a time when the engine splits the model by layers (each GPU runs its layers in turn).
    pub(super) fn working_gpus(&self) -> f64 {
        if self.serving.layer_split {
            1.0
        } else {
            f64::from(self.tp)
        }
    }

    /// The engine's calibration on this GPU and precision, when the user measured one.
    pub fn calibration(&self) -> Option<&Calibration> {
        self.serving.calibration(&self.gpu.id, &self.precision.id)
    }

    /// The efficiency constants that apply: the user's measured ones on this GPU and
    /// precision where given, else the engine's.
    pub fn constants(&self) -> Constants {
        let s = self.serving;
        let c = self.calibration();
        let pick =
            |f: fn(&Calibration) -> Option<f64>, default: f64| c.and_then(f).unwrap_or(default);
        Constants {
            bandwidth_efficiency: pick(|c| c.bandwidth_efficiency, s.bandwidth_efficiency),
            gemm_efficiency: pick(|c| c.gemm_efficiency, s.gemm_efficiency),
            step_overhead_ms: pick(|c| c.step_overhead_ms, s.step_overhead_ms),
            sequence_overhead_us: pick(|c| c.sequence_overhead_us, s.sequence_overhead_us),
            prefill_layer_overhead_us: pick(
                |c| c.prefill_layer_overhead_us,
                s.prefill_layer_overhead_us,
            ),
            prefill_wait_steps: pick(|c| c.prefill_wait_steps, s.prefill_wait_steps),
        }
    }
}

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
