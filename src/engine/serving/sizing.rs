//! Sizing from the physics of serving: memory (weights, KV cache, runtime overhead), and a
//! step time built kernel by kernel.
//!
//! A decode step of a batch of `B` sequences under continuous batching also carries its share
//! of prefill work (`I/O` new prompt tokens per generated token). Its time is the sum of the
//! kernels a per-operator simulator (`LLM-Viewer`, Vidur, `LLMCompass`) would count, each on its
//! own roofline: the weight GEMMs (one read of the weights the step's tokens touch serves
//! every decode and piggy-backed prefill token; `2 x active parameters` FLOPs a token), decode
//! attention (streams each sequence's KV cache), prefill attention (compute), the
//! tensor-parallel all-reduces (two a layer over the GPUs' link) and a fixed per-step overhead.
//! Every constant is in `pricing/serving.yaml` and explained in `docs/methodology.md`.

use crate::model::catalog::hardware::{
    Calibration, ComputeRate, Gpu, OpenModel, Precision, Serving,
};
use crate::model::workload::{Draft, RequestShape, Speculative};
use serde::Serialize;

/// What limits a decode step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bound {
    /// Reading weights and KV cache from memory.
    #[default]
    Memory,
    /// Arithmetic.
    Compute,
}

pub use super::parallel::AttentionSplit;
pub use super::step::Step;

/// A model on a GPU at a precision and tensor-parallel degree, serving requests of a shape.
#[derive(Debug, Clone, Copy)]
pub struct Config<'a> {
    /// The model.
    pub model: &'a OpenModel,
    /// The GPU.
    pub gpu: &'a Gpu,
    /// The weight precision.
    pub precision: &'a Precision,
    /// Engine constants.
    pub serving: &'a Serving,
    /// Tensor-parallel degree (GPUs per replica).
    pub tp: u32,
    /// Request shape.
    pub shape: RequestShape,
    /// Largest acceptable time per output token, ms; limits the batch.
    pub tpot_limit_ms: Option<f64>,
    /// Precision of the KV cache; `None`: the engine's default.
    pub kv: Option<&'a Precision>,
    /// Share of each prompt found in the engine's prefix cache (a shared system prompt, a
    /// conversation's earlier turns), whose prefill is skipped.
    pub cached_share: f64,
    /// Expert-parallel degree (1: none): a mixture of experts' routed experts are spread whole
    /// over that many of the replica's GPUs and reached by all-to-all.
    pub ep: u32,
    /// Speculative decoding, where the engine runs it.
    pub speculative: Option<&'a Speculative>,
    /// Attention data parallelism: each of the replica's GPUs holds the parameters every token
    /// uses and runs them, with its share of the per-sequence work, for its own share of the
    /// batch; only a mixture of experts' routed experts are split (by `ep`, else by tensor).
    pub attention_dp: bool,
}

/// Memory of one replica, GB.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct MemoryGb {
    /// Weights.
    pub weights: f64,
    /// KV cache at the largest batch.
    pub kv_cache: f64,
    /// Reserved by the engine and the runtime (context, activations, headroom).
    pub overhead: f64,
    /// Usable for weights and KV cache.
    pub available: f64,
    /// Installed.
    pub total: f64,
}

/// What one replica delivers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sizing {
    /// Model id.
    pub model: String,
    /// GPU id.
    pub gpu: String,
    /// Precision id.
    pub precision: String,
    /// Whether the GPU runs the precision on its tensor cores (else weight-only).
    pub native_precision: bool,
    /// GPUs per replica.
    pub tensor_parallel: u32,
    /// Expert-parallel degree (1: none).
    pub expert_parallel: u32,
    /// How the replica's GPUs share attention.
    pub attention: AttentionSplit,
    /// Request shape.
    pub shape: RequestShape,
    /// Whether the weights and one request's KV cache fit.
    pub fits: bool,
    /// Memory, GB.
    pub memory_gb: MemoryGb,
    /// KV cache per token, bytes.
    pub kv_cache_bytes_per_token: f64,
    /// Bytes per cached value (the KV cache's precision).
    pub kv_bytes_per_value: f64,
    /// Tokens of KV cache a running request holds on average: its prompt and half its
    /// output when the engine pages the cache, the whole request when it reserves it.
    pub kv_tokens_per_request: f64,
    /// Largest batch that fits in memory (capped by the engine).
    pub max_batch: u32,
    /// Batch at the operating point (after the per-token latency limit).
    pub batch: u32,
    /// Whether the latency limit, not memory, sets the batch.
    pub latency_limited: bool,
    /// What bounds a step at the operating point.
    pub bound: Bound,
    /// The step at the operating point, kernel by kernel.
    pub step: Step,
    /// Time per output token at the operating point, ms.
    pub tpot_ms: f64,
    /// Time to first token without queueing (prefill plus one step), ms.
    pub ttft_ms: f64,
    /// Prefill speed of one replica, prompt tokens per second.
    pub prefill_tokens_per_s: f64,
    /// Of a prompt's prefill, the launch time of its forwards outside CUDA graphs, ms.
    pub prefill_launch_ms: f64,
    /// Decode speed of a single stream (batch 1), tokens per second.
    pub single_stream_output_tokens_per_s: f64,
    /// Output tokens per second of one replica at the operating point.
    pub output_tokens_per_s: f64,
    /// Output tokens per second of one replica at the largest batch.
    pub max_output_tokens_per_s: f64,
    /// The user's own benchmark whose constants replace the engine's on this GPU and
    /// precision, when there is one.
    pub calibration: Option<Calibration>,
}

impl Config<'_> {
    /// Whether the GPU runs the precision natively.
    pub fn native(&self) -> bool {
        self.precision.native_on.contains(&self.gpu.id)
    }

    /// Achievable memory bandwidth of the replica, bytes per second.
    pub fn bandwidth(&self) -> f64 {
        self.working_gpus()
            * self.gpu.memory_bandwidth_gb_s
            * 1e9
            * self.constants().bandwidth_efficiency
    }

    /// Peak and measured TFLOPS for the precision's multiplies on this GPU, at its native rate
    /// or, weight-only, at BF16.
    fn rates(&self, native: bool) -> (f64, Option<f64>) {
        let g = self.gpu;
        let bf16 = (g.bf16_tflops, g.measured_bf16_tflops);
        if !native {
            return bf16;
        }
        match self.precision.native_rate {
            ComputeRate::Bf16 => bf16,
            ComputeRate::Fp8 => g.fp8_tflops.map_or(bf16, |p| (p, g.measured_fp8_tflops)),
            ComputeRate::Int8 => g.int8_tops.map_or(bf16, |p| (p, None)),
            ComputeRate::Fp4 => g
                .fp4_tflops
                .map(|p| (p, g.measured_fp4_tflops))
                .or_else(|| g.fp8_tflops.map(|p| (p, g.measured_fp8_tflops)))
                .unwrap_or(bf16),
        }
    }

    /// Achievable FLOPS of the replica: peak x (measured / peak; where this GPU's rate is not
    /// measured, the precision's measured ratio on other GPUs (FP4 kernels reach a smaller
    /// share of their peak than FP8 or BF16 ones), else the GPU's own measured BF16 ratio, else
    /// the engine's default) x GEMM efficiency. A GPU that reaches half its BF16 peak in a
    /// measured matmul (MI300X) is not credited with NVIDIA's median ratio at FP8.
    pub fn flops(&self) -> f64 {
        self.matmul_flops(self.native())
    }

    /// Achievable FLOPS of attention: its activations are 16-bit whatever the weights, so BF16,
    /// or FP8 where the KV cache is 8-bit and the GPU has an FP8 rate (the scores then run in
    /// FP8, as TensorRT-LLM's and `FlashInfer`'s FP8 attention kernels do).
    fn attention_rate(&self) -> f64 {
        let g = self.gpu;
        let (peak, measured) = match g.fp8_tflops {
            Some(p) if (self.kv_bytes() - 1.0).abs() < 1e-9 => (p, g.measured_fp8_tflops),
            _ => (g.bf16_tflops, g.measured_bf16_tflops),
        };
        self.rate_flops(peak, measured, None)
    }

    /// Achievable FLOPS of the replica at a peak: measured over peak where measured, else the
    /// `precision`'s ratio, else the GPU's own BF16 ratio, else the engine's default, times
    /// the GEMM efficiency.
    fn rate_flops(&self, peak: f64, measured: Option<f64>, precision: Option<f64>) -> f64 {
        let own = self
            .gpu
            .measured_bf16_tflops
            .map(|m| m / self.gpu.bf16_tflops);
        let ratio = measured
            .map(|m| m / peak)
            .or(precision)
            .or(own)
            .unwrap_or(self.serving.default_matmul_ratio);
        self.working_gpus() * peak * 1e12 * ratio * self.constants().gemm_efficiency
    }

    /// Achievable FLOPS at the precision's native rate, or at BF16.
    fn matmul_flops(&self, native: bool) -> f64 {
        let (peak, measured) = self.rates(native);
        let precision = native.then_some(self.precision.matmul_ratio).flatten();
        self.rate_flops(peak, measured, precision)
    }

    /// Draft tokens a sequence a step and the tokens a step gains: (0, 1) without speculative
    /// decoding.
    pub(super) fn drafts_and_gain(&self) -> (f64, f64) {
        self.speculative
            .map_or((0.0, 1.0), |s| (f64::from(s.tokens), s.tokens_per_step()))
    }

    /// Bytes of weights held: `weights_read` of a step that touches every expert, and the
    /// input embedding's lookup table, kept at the shared weights' precision.
    pub fn weight_bytes(&self) -> f64 {
        self.weights_read(f64::INFINITY)
            + self.model.lookup_params_b * self.shared_weights().0 * 1e9
    }

    /// Parameters a step may read, billions: all but the input embedding's lookup table.
    fn stepped_params(&self) -> f64 {
        self.model.params_b - self.model.lookup_params_b
    }

    /// A mixture of experts' parameters, billions: those every token uses (attention, dense
    /// layers, shared experts, the output projection), one routed expert's, experts routed per
    /// token, and experts.
    pub(super) fn expert_split(&self) -> Option<(f64, f64, f64, f64)> {
        let m = self.model;
        let e = m.experts?;
        let (count, k) = (f64::from(e.count), f64::from(e.per_token));
        let per_expert = (self.stepped_params() - m.active_params_b) / (count - k);
        Some((
            self.stepped_params() - count * per_expert,
            per_expert,
            k,
            count,
        ))
    }

    /// Bytes a weight of the parameters every token uses, and whether they run at the
    /// precision's native rate: a precision that quantizes only the routed experts (MXFP4 as
    /// gpt-oss ships it) leaves attention, embeddings, the router and dense layers at 16 bits
    /// and the BF16 rate.
    pub(super) fn shared_weights(&self) -> (f64, bool) {
        if self.precision.experts_only && self.model.experts.is_some() {
            (2.0, false)
        } else {
            (self.precision.bytes_per_weight, self.native())
        }
    }

    /// Bytes of weights a step over `tokens` tokens reads: all but the input embedding's
    /// lookup table for a dense model; for a mixture of experts the shared part plus the share
    /// of experts the tokens touch, `1 - (1 - k/E)^tokens`.
    pub fn weights_read(&self, tokens: f64) -> f64 {
        let bytes = self.precision.bytes_per_weight * 1e9;
        let Some((shared, per_expert, k, count)) = self.expert_split() else {
            return self.stepped_params() * bytes;
        };
        let touched = 1.0 - (1.0 - k / count).powf(tokens.max(1.0));
        shared * self.shared_weights().0 * 1e9 + count * per_expert * touched * bytes
    }

    /// Attention FLOPs of one token attending over `context` tokens: scores and values,
    /// `4 x layers x heads x head_dim x context`.
    fn attention_flops(&self, context: f64) -> f64 {
        let m = self.model;
        4.0 * f64::from(m.layers) * f64::from(m.attention_heads) * f64::from(m.head_dim) * context
    }

    /// Average context of a running sequence: the prompt plus half the output.
    fn mean_context(&self) -> f64 {
        self.shape.input_tokens + self.shape.output_tokens / 2.0
    }

    /// New prompt tokens a prompt brings (those not found in the prefix cache), and the
    /// context each attends over on average: the cached prefix and half the new tokens.
    pub(super) fn prefill_tokens(&self) -> (f64, f64) {
        let i = self.shape.input_tokens;
        let c = self.cached_share.clamp(0.0, 1.0);
        ((1.0 - c) * i, i * (1.0 + c) / 2.0)
    }

    /// Time of the weight GEMMs over `tokens` tokens, ms, each on its roofline (the weights
    /// the tokens touch read once, or `2 x parameters` FLOPs a token), and which binds. A
    /// mixture of experts runs two: the parameters every token uses, and the routed experts'
    /// grouped GEMMs, which read only the experts the tokens touch.
    fn gemm_ms(&self, tokens: f64) -> (f64, Bound) {
        let (bw, flops) = (self.bandwidth(), self.flops());
        let kernels = match self.expert_split() {
            None => vec![(self.weights_read(tokens), self.model.active_params_b, flops)],
            Some((shared, per_expert, k, _)) => {
                let (bytes, native) = self.shared_weights();
                let read = shared * bytes * 1e9;
                // Under attention data parallelism every GPU reads the shared weights whole.
                vec![
                    (
                        read * self.attention_ranks(),
                        shared,
                        self.matmul_flops(native),
                    ),
                    (self.weights_read(tokens) - read, k * per_expert, flops),
                ]
            }
        };
        let (mut total, mut memory_s, mut compute_s) = (0.0, 0.0, 0.0);
        for (read, params, rate) in kernels {
            let (m, c) = (read / bw, 2.0 * params * 1e9 * tokens / rate);
            total += m.max(c);
            memory_s += m;
            compute_s += c;
        }
        let bound = if compute_s > memory_s {
            Bound::Compute
        } else {
            Bound::Memory
        };
        (total * 1000.0, bound)
    }

    /// A decode step of `batch` sequences, kernel by kernel, with (under continuous batching)
    /// its share of prefill work or without.
    pub fn step(&self, batch: f64, with_prefill: bool) -> Step {
        let ctx = self.mean_context();
        let (new, prefill_ctx) = self.prefill_tokens();
        let (drafts, gained) = self.drafts_and_gain();
        let prefill = if with_prefill {
            batch * gained * new / self.shape.output_tokens.max(1.0)
        } else {
            0.0
        };
        // Every sequence's token and its drafts are verified in one pass.
        let verified = batch * (1.0 + drafts);
        let tokens = verified + prefill;
        let (gemm_ms, bound) = self.gemm_ms(tokens);
        let kv_read = batch * self.model.kv_bytes_for(ctx, self.kv_bytes()) / self.bandwidth();
        let scores = verified * self.attention_flops(ctx) / self.attention_rate();
        let decode_attention_ms = kv_read.max(scores) * 1000.0;
        let prefill_attention_ms =
            prefill * self.attention_flops(prefill_ctx) / self.attention_rate() * 1000.0;
        let communication_ms = self.communication_ms(tokens);
        let constants = self.constants();
        let overhead_ms = constants.step_overhead_ms
            + batch / self.attention_ranks() * constants.sequence_overhead_us / 1000.0;
        // A multi-token-prediction head is one layer: a draft token costs a layer's share of
        // the decode GEMMs over the batch; a separate draft model, one pass of it.
        let draft_ms = drafts
            * match self.speculative.and_then(|s| s.draft.as_ref()) {
                Some(d) => self.draft_pass_ms(d, batch),
                None => self.gemm_ms(batch).0 / f64::from(self.model.layers.max(1)),
            };
        Step {
            gemm_ms,
            decode_attention_ms,
            prefill_attention_ms,
            communication_ms,
            overhead_ms,
            draft_ms,
            total_ms: gemm_ms
                + decode_attention_ms
                + prefill_attention_ms
                + communication_ms
                + overhead_ms
                + draft_ms,
            tokens_per_step: gained,
            bound,
        }
    }

    /// Time per output token at a batch of `batch` sequences (a step, or a step over the
    /// tokens it gains with speculative decoding), ms, and what bounds its GEMMs.
    pub fn step_ms(&self, batch: f64, with_prefill: bool) -> (f64, Bound) {
        let s = self.step(batch, with_prefill);
        (s.per_token_ms(), s.bound)
    }

    /// Time to prefill one prompt alone, ms: its GEMMs, its attention, its all-reduces and
    /// the launch time of its forwards that run outside CUDA graphs.
    pub fn prefill_ms(&self) -> f64 {
        let (new, ctx) = self.prefill_tokens();
        let tokens = new.max(1.0);
        // Under attention data parallelism a lone prompt's shared weights and attention run on
        // one GPU, not spread over the replica's.
        let ranks = self.attention_ranks();
        let lone = self.expert_split().map_or(0.0, |(shared, ..)| {
            let rate = self.matmul_flops(self.shared_weights().1);
            (ranks - 1.0) * 2.0 * shared * 1e9 * tokens / rate * 1000.0
        });
        self.gemm_ms(tokens).0
            + lone
            + ranks * new * self.attention_flops(ctx) / self.attention_rate() * 1000.0
            + self.communication_ms(tokens)
            + self.prefill_launch_ms()
    }

    /// Memory of the replica and the largest batch it holds.
    fn memory(&self) -> (MemoryGb, u32, bool) {
        let tp = f64::from(self.tp);
        let total = tp * self.gpu.memory_gb;
        let available = tp
            * (self.gpu.memory_gb * self.serving.memory_utilization
                - self.serving.runtime_overhead_gb);
        let draft = self.speculative.and_then(|s| s.draft.as_ref());
        let draft_kv =
            |tokens: f64| draft.map_or(0.0, |d| d.model.kv_bytes_for(tokens, self.kv_bytes()));
        let weights = (self.weight_bytes()
            + self.replicated_bytes()
            + draft.map_or(0.0, |d| self.draft_config(d).weight_bytes()))
            / 1e9;
        let held = self.kv_tokens_per_sequence();
        let seq = (self.model.kv_bytes_for(held, self.kv_bytes()) + draft_kv(held)) / 1e9;
        let free = available - weights;
        let by_memory = if free > 0.0 && seq > 0.0 {
            (free / seq).floor()
        } else {
            0.0
        };
        // One whole request must fit, even where a running one holds less on average.
        let request = self.shape.input_tokens + self.shape.output_tokens;
        let whole = (self.model.kv_bytes_for(request, self.kv_bytes()) + draft_kv(request)) / 1e9;
        let by_memory = if free >= whole { by_memory } else { 0.0 };
        let max_batch = by_memory.min(self.engine_batch()).max(0.0) as u32;
        let fits_context =
            self.shape.input_tokens + self.shape.output_tokens <= self.model.context_tokens;
        let memory = MemoryGb {
            weights,
            kv_cache: f64::from(max_batch) * seq,
            overhead: total - available,
            available,
            total,
        };
        (memory, max_batch, max_batch >= 1 && fits_context)
    }

    /// The replica as it runs a separate draft model: the same GPUs, precision, engine and KV
    /// cache, the draft's architecture.
    fn draft_config<'b>(&'b self, d: &'b Draft) -> Config<'b> {
        // The draft model is split by tensor, as it is held (once).
        Config {
            model: &d.model,
            speculative: None,
            attention_dp: false,
            ..*self
        }
    }

    /// One pass of a draft model over `batch` sequences, ms: its GEMMs over one token a
    /// sequence (the weights they touch, a mixture's experts included), its attention over the
    /// sequences' draft KV cache, and its all-reduces; its launches ride on the step's overhead.
    fn draft_pass_ms(&self, d: &Draft, batch: f64) -> f64 {
        let s = self.draft_config(d).step(batch, false);
        s.gemm_ms + s.decode_attention_ms + s.communication_ms
    }

    /// The largest batch up to `max` whose step meets the latency limit (at least 1).
    fn operating_batch(&self, max: u32) -> u32 {
        let Some(limit) = self.tpot_limit_ms else {
            return max;
        };
        if self.step_ms(f64::from(max), true).0 <= limit {
            return max;
        }
        let (mut lo, mut hi) = (1u32, max);
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if self.step_ms(f64::from(mid), true).0 <= limit {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        lo
    }

    /// Sizes one replica.
    pub fn size(&self) -> Sizing {
        let (memory, max_batch, fits) = self.memory();
        let base = Sizing {
            model: self.model.id.clone(),
            gpu: self.gpu.id.clone(),
            precision: self.precision.id.clone(),
            native_precision: self.native(),
            tensor_parallel: self.tp,
            expert_parallel: self.expert_parallel(),
            attention: self.attention(),
            shape: self.shape,
            fits,
            memory_gb: memory,
            kv_cache_bytes_per_token: self.kv_bytes_per_token(),
            kv_bytes_per_value: self.kv_bytes(),
            kv_tokens_per_request: self.kv_tokens_per_sequence(),
            max_batch,
            batch: 0,
            latency_limited: false,
            bound: Bound::Memory,
            step: Step::default(),
            tpot_ms: 0.0,
            ttft_ms: 0.0,
            prefill_tokens_per_s: 0.0,
            prefill_launch_ms: 0.0,
            single_stream_output_tokens_per_s: 0.0,
            output_tokens_per_s: 0.0,
            max_output_tokens_per_s: 0.0,
            calibration: self.calibration().cloned(),
        };
        if !fits {
            return base;
        }
        let batch = self.operating_batch(max_batch);
        let at = self.step(f64::from(batch), true);
        let step = at.per_token_ms();
        let (max_step, _) = self.step_ms(f64::from(max_batch), true);
        let prefill = self.prefill_ms();
        Sizing {
            batch,
            latency_limited: batch < max_batch,
            bound: at.bound,
            step: at,
            tpot_ms: step,
            ttft_ms: prefill + self.prefill_steps(f64::from(batch)) * at.total_ms,
            prefill_tokens_per_s: self.shape.input_tokens / (prefill / 1000.0),
            prefill_launch_ms: self.prefill_launch_ms(),
            single_stream_output_tokens_per_s: 1000.0 / self.step_ms(1.0, false).0,
            output_tokens_per_s: f64::from(batch) / (step / 1000.0),
            max_output_tokens_per_s: f64::from(max_batch) / (max_step / 1000.0),
            ..base
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{gpu, llama70b, precision, serving};
    use crate::model::catalog::hardware::{Interconnect, QuantizedKv};

    fn config<'a>(
        m: &'a OpenModel,
        g: &'a Gpu,
        p: &'a Precision,
        s: &'a Serving,
        tp: u32,
        input: f64,
        output: f64,
    ) -> Config<'a> {
        Config {
            model: m,
            gpu: g,
            precision: p,
            serving: s,
            tp,
            shape: RequestShape {
                input_tokens: input,
                output_tokens: output,
            },
            tpot_limit_ms: None,
            kv: None,
            cached_share: 0.0,
            ep: 1,
            speculative: None,
            attention_dp: false,
        }
    }

    /// The test model made a mixture of experts: 47B, 13B active, 8 experts of which 2 a token
    /// (each expert (47 - 13) / 6 = 5.667B, the shared part 1.667B).
    fn moe_47b(m: &mut OpenModel) {
        m.params_b = 47.0;
        m.active_params_b = 13.0;
        m.experts = Some(crate::model::catalog::hardware::Experts {
            count: 8,
            per_token: 2,
        });
    }

    #[test]
    fn memory_by_hand() {
        // 70B at 2 bytes = 140 GB; one 80 GB GPU offers 80 x 0.9 - 2 = 70 GB: does not fit.
        // TP 2 offers 140 GB: still no room for KV. TP 4 offers 280 GB: 140 GB for KV.
        // KV per token: 80 layers x 2,048 values x 2 bytes = 327,680 B; a 1,000 + 1,000 token
        // request holds 655.36 MB, so 140 GB holds floor(140 / 0.65536) = 213 sequences.
        let (m, g, s) = (llama70b(), gpu(), serving());
        let bf16 = precision("bf16", 2.0, &[]);
        let cases: &[(u32, bool, u32, f64)] = &[
            (1, false, 0, 70.0),
            (2, false, 0, 140.0),
            (4, true, 213, 280.0),
        ];
        for &(tp, fits, batch, available) in cases {
            let z = config(&m, &g, &bf16, &s, tp, 1000.0, 1000.0).size();
            assert_eq!(z.kv_cache_bytes_per_token, 327_680.0);
            assert_eq!((z.fits, z.max_batch), (fits, batch), "tp {tp}");
            assert!((z.memory_gb.available - available).abs() < 1e-9);
            assert!((z.memory_gb.weights - 140.0).abs() < 1e-9);
        }
    }

    #[test]
    fn a_cached_prefix_skips_its_prefill() {
        // FP8 70B on 2 test GPUs: 4,000 TFLOPS FP8 (2,000 BF16), 4,000 GB/s, links of 450 GB/s
        // each way. A 1,000-token prompt: GEMMs max(70 GB / 4 TB/s = 17.5 ms, 2 x 70e9 x 1,000 /
        // 4e15 = 35 ms) = 35 ms; attention, 16-bit with a 16-bit KV cache, 1,000 x 4 x 80 x 64 x
        // 128 x 500 / 2e15 = 0.65536 ms; 2 x 80 all-reduces of 1,000 x 8,192 x 2 bytes, each
        // moving 2 x (2 - 1) / 2 of them over 450 GB/s: 160 x 36.4089 µs = 5.82542 ms; 41.48078
        // ms. Half of it cached, 500 new tokens attending over 750 on average: GEMMs
        // max(17.5, 17.5) ms, attention 0.49152 ms, all-reduces 2.91271 ms: 20.90423 ms.
        let (m, g, s) = (llama70b(), gpu(), serving());
        let fp8 = precision("fp8", 1.0, &["h100"]);
        for (cached, want) in [(0.0, 41.480_782), (0.5, 20.904_231)] {
            let mut c = config(&m, &g, &fp8, &s, 2, 1000.0, 1000.0);
            c.cached_share = cached;
            let got = c.prefill_ms();
            assert!((got - want).abs() < 1e-5, "{cached}: {got}");
        }
    }

    #[test]
    fn an_unmeasured_rate_takes_the_gpus_own_measured_ratio() {
        // Peak 1,000 BF16 / 2,000 FP8 TFLOPS on one GPU, the test engine at full efficiency.
        // (measured BF16, measured FP8, FP8 TFLOPS): none measured, the engine's default ratio
        // (1.0 in the test engine); BF16 measured at 500, FP8 at half its peak too: 1,000; FP8
        // measured at 1,800: its own 0.9, 1,800.
        let (m, s) = (llama70b(), serving());
        let fp8 = precision("fp8", 1.0, &["h100"]);
        let cases = [
            (None, None, 2000.0),
            (Some(500.0), None, 1000.0),
            (Some(500.0), Some(1800.0), 1800.0),
        ];
        for (bf16, f8, want) in cases {
            let mut g = gpu();
            g.measured_bf16_tflops = bf16;
            g.measured_fp8_tflops = f8;
            let got = config(&m, &g, &fp8, &s, 1, 1000.0, 1000.0).flops() / 1e12;
            assert!((got - want).abs() < 1e-9, "{bf16:?} {f8:?}: {got}");
        }
    }

    #[test]
    fn kv_precision_and_paging_by_hand() {
        // TP 4 in BF16 leaves 140 GB for the KV cache (memory_by_hand). A 1,000 + 1,000 token
        // request: reserved up front at 2 bytes, 2,000 x 327,680 B = 655.36 MB -> 213; paged,
        // a running sequence holds 1,000 + 500 tokens, 491.52 MB -> 284; paged at FP8 KV,
        // 245.76 MB -> 569; 4-bit KV, 122.88 MB -> 1,024 (the engine's cap: 1,139 would fit).
        let (m, g) = (llama70b(), gpu());
        let bf16 = precision("bf16", 2.0, &[]);
        let fp8 = precision("fp8", 1.0, &["h100"]);
        let fp4 = precision("fp4", 0.5, &[]);
        let mut paged = serving();
        paged.kv_paged = true;
        let cases: &[(bool, Option<&Precision>, f64, u32)] = &[
            (false, None, 2.0, 213),
            (true, None, 2.0, 284),
            (true, Some(&fp8), 1.0, 569),
            (true, Some(&fp4), 0.5, 1024),
        ];
        for &(is_paged, kv, bytes, batch) in cases {
            let s = if is_paged { paged.clone() } else { serving() };
            let mut c = config(&m, &g, &bf16, &s, 4, 1000.0, 1000.0);
            c.kv = kv;
            let z = c.size();
            assert_eq!(z.kv_bytes_per_value, bytes);
            assert_eq!(z.kv_cache_bytes_per_token, 80.0 * 2048.0 * bytes);
            assert_eq!(z.max_batch, batch, "paged {is_paged}, {bytes} bytes");
        }
        // Paging never admits a request that cannot fit whole: 70B BF16 on TP 2 has no room.
        let mut c = config(&m, &g, &bf16, &paged, 2, 1000.0, 1000.0);
        c.kv = Some(&fp4);
        assert!(!c.size().fits);
    }

    #[test]
    fn quantized_checkpoints_bring_their_cache_by_hand() {
        // An engine whose FP8 and FP4 checkpoints carry an FP8 cache (TensorRT-LLM's
        // `quantized_kv`): 1 byte a value for those weights on a GPU with FP8, else the engine's
        // 2 bytes; a KV precision the deployment names decides. 70B: 80 layers x 2,048 values.
        let (m, h100) = (llama70b(), gpu());
        let a100 = Gpu {
            id: "a100".into(),
            ..gpu()
        };
        let bf16 = precision("bf16", 2.0, &[]);
        let fp8 = precision("fp8", 1.0, &["h100"]);
        let fp4 = precision("fp4", 0.5, &["h100"]);
        let mut s = serving();
        s.quantized_kv = Some(QuantizedKv {
            precision: "fp8".into(),
            weights: vec!["fp8".into(), "fp4".into()],
            bytes: 1.0,
            native_on: vec!["h100".into()],
        });
        let cases: &[(&Precision, &Gpu, Option<&Precision>, f64)] = &[
            (&bf16, &h100, None, 2.0),
            (&fp8, &h100, None, 1.0),
            (&fp4, &h100, None, 1.0),
            (&fp8, &a100, None, 2.0),
            (&fp8, &h100, Some(&bf16), 2.0),
            (&bf16, &h100, Some(&fp8), 1.0),
        ];
        for &(weights, g, kv, bytes) in cases {
            let mut c = config(&m, g, weights, &s, 4, 1000.0, 1000.0);
            c.kv = kv;
            let z = c.size();
            let label = format!("{} on {}, named {:?}", weights.id, g.id, kv.map(|k| &k.id));
            assert_eq!(z.kv_bytes_per_value, bytes, "{label}");
            assert_eq!(z.kv_cache_bytes_per_token, 80.0 * 2048.0 * bytes, "{label}");
        }
        // Without the rule the engine's 2 bytes stand for every checkpoint.
        let plain = serving();
        let c = config(&m, &h100, &fp8, &plain, 4, 1000.0, 1000.0);
        assert_eq!(c.size().kv_bytes_per_value, 2.0);
    }

    #[test]
    fn step_by_kernel_by_hand() {
        // FP8 70B on 2 test GPUs (2 x 2,000 GB/s = 4 TB/s, 2 x 2,000 TFLOPS FP8, 450 GB/s
        // links), 1,000 + 1,000 tokens, a running sequence at 1,500 tokens of context.
        let (m, g, s) = (llama70b(), gpu(), serving());
        let fp8 = precision("fp8", 1.0, &["h100"]);
        let c = config(&m, &g, &fp8, &s, 2, 1000.0, 1000.0);
        // Batch 1 without prefill: GEMMs read 70 GB: 17.5 ms; attention reads 1,500 x
        // 327,680 B = 491.52 MB: 0.12288 ms; 160 all-reduces of 8,192 x 2 bytes over 450
        // GB/s: 160 x 36.4089 ns = 5.8254 µs.
        let one = c.step(1.0, false);
        assert_eq!(one.bound, Bound::Memory);
        let want = [17.5, 0.122_88, 0.0, 0.005_825_4, 0.0];
        let got = [
            one.gemm_ms,
            one.decode_attention_ms,
            one.prefill_attention_ms,
            one.communication_ms,
            one.overhead_ms,
        ];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-6, "{got:?}");
        }
        assert!((one.total_ms - want.iter().sum::<f64>()).abs() < 1e-6);
        // Batch 100 with its prefill (one prompt token per output token): 200 tokens a step,
        // GEMMs max(17.5, 2 x 70e9 x 200 / 4e15 = 7 ms) = 17.5 ms; decode attention reads 100
        // x 491.52 MB = 49.152 GB: 12.288 ms (its scores, at the BF16 rate of a 16-bit KV cache,
        // 100 x 4 x 80 x 64 x 128 x 1,500 / 2e15 = 0.196608 ms, take less); prefill attention
        // 100 x 4 x 80 x 64 x 128 x 500 / 2e15 = 0.065536 ms; all-reduces 160 x 200 x 16,384 B /
        // 450e9 = 1.16508 ms.
        let hundred = c.step(100.0, true);
        let want = [17.5, 12.288, 0.065_536, 1.165_084];
        let got = [
            hundred.gemm_ms,
            hundred.decode_attention_ms,
            hundred.prefill_attention_ms,
            hundred.communication_ms,
        ];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-5, "{got:?}");
        }
        // Prefill of one prompt alone (a_cached_prefix_skips_its_prefill): 41.48078 ms.
        assert!((c.prefill_ms() - 41.480_782).abs() < 1e-5);
        let z = c.size();
        assert!(z.fits && z.native_precision);
        assert!((z.single_stream_output_tokens_per_s - 1000.0 / one.total_ms).abs() < 1e-9);
        // At the largest batch, throughput = batch / step.
        let (tb, _) = c.step_ms(f64::from(z.max_batch), true);
        assert!((z.max_output_tokens_per_s - f64::from(z.max_batch) / (tb / 1000.0)).abs() < 1e-6);
    }

    #[test]
    fn overheads_and_link_latency_by_hand() {
        // The same deployment with a 2 ms step, 10 µs a sequence and 25 µs an all-reduce:
        // batch 100 pays 2 + 100 x 0.01 = 3 ms outside the kernels and 160 x 25 µs = 4 ms more
        // in its all-reduces. A link at 77% takes 1 / 0.77 of the time to move the bytes.
        let (m, g, mut s) = (llama70b(), gpu(), serving());
        let fp8 = precision("fp8", 1.0, &["h100"]);
        let base = config(&m, &g, &fp8, &s, 2, 1000.0, 1000.0).step(100.0, true);
        s.step_overhead_ms = 2.0;
        s.sequence_overhead_us = 10.0;
        s.all_reduce_latency_us = 25.0;
        s.link_efficiency = 0.77;
        let c = config(&m, &g, &fp8, &s, 2, 1000.0, 1000.0).step(100.0, true);
        assert!((c.overhead_ms - 3.0).abs() < 1e-12);
        assert!((c.communication_ms - (4.0 + base.communication_ms / 0.77)).abs() < 1e-9);
        assert!((c.gemm_ms - base.gemm_ms).abs() < 1e-12);
    }

    #[test]
    fn spread_experts_are_reached_by_all_to_all() {
        // 47B, 8 experts, 2 a token, on 2 test GPUs (450 GB/s links, no latency), 100 tokens of
        // 8,192 x 2 bytes = 1,638,400 B. Tensor parallel: two ring all-reduces a layer, each
        // moving 2 x 1/2 of the bytes: 2 x 3.64089 µs x 80 layers = 0.582542 ms. Experts over 2
        // GPUs: the attention's all-reduce (3.64089 µs), two all-to-alls of each GPU's 50
        // tokens to their 2 experts, half of them on the other GPU (819,200 B: 1.82044 µs each)
        // and an all-gather of half the bytes (1.82044 µs): 9.10222 µs x 80 = 0.728178 ms.
        let (mut m, g, s) = (llama70b(), gpu(), serving());
        moe_47b(&mut m);
        let p = precision("bf16", 2.0, &[]);
        let mut c = config(&m, &g, &p, &s, 2, 100.0, 100.0);
        assert!((c.communication_ms(100.0) - 0.582_542).abs() < 1e-6);
        c.ep = 2;
        assert!((c.communication_ms(100.0) - 0.728_178).abs() < 1e-6);
        assert_eq!(c.size().expert_parallel, 2);
        // A dense model has no experts to spread; a degree that does not divide the GPUs
        // does not apply.
        let dense = llama70b();
        let mut d = config(&dense, &g, &p, &s, 2, 100.0, 100.0);
        d.ep = 2;
        assert_eq!(d.size().expert_parallel, 1);
        c.ep = 4;
        assert_eq!(c.size().expert_parallel, 1);
    }

    #[test]
    fn the_load_sets_the_batch_by_littles_law() {
        // FP8 70B on 2 test GPUs, 1,000 + 1,000 tokens. A trickle of requests runs one
        // sequence; a flood fills every slot; in between, the sequences running are the arrival
        // rate times the time each spends: N = rate x (TTFT(N) + 999 x TPOT(N)).
        let (m, g, s) = (llama70b(), gpu(), serving());
        let fp8 = precision("fp8", 1.0, &["h100"]);
        let c = config(&m, &g, &fp8, &s, 2, 1000.0, 1000.0);
        assert_eq!(c.concurrency_at(0.001, 200.0), 1.0);
        assert_eq!(c.concurrency_at(1e6, 200.0), 200.0);
        let n = c.concurrency_at(2.0, 200.0);
        let l = c.at_concurrency(n);
        assert!(n > 1.0 && n < 200.0, "{n}");
        assert!(
            (2.0 * (l.ttft_ms + 999.0 * l.tpot_ms) / 1000.0 - n).abs() < 1e-4,
            "{n}"
        );
        // More sequences, a longer step, fewer tokens a second each but more in all.
        let one = c.at_concurrency(1.0);
        assert!(l.tpot_ms > one.tpot_ms && l.output_tokens_per_s > one.output_tokens_per_s);
        assert!((one.tpot_ms - c.step_ms(1.0, true).0).abs() < 1e-12);
    }

    #[test]
    fn speculative_decoding_by_hand() {
        // Tokens a step: k = 1 at 0.85, 1 + 0.85 = 1.85; k = 3 at 0.7, (1 - 0.7^4) / 0.3 =
        // 2.533. FP8 70B on 2 test GPUs at batch 1 without prefill: the plain step reads 70 GB
        // (17.5 ms) and one token's KV; with one draft a step the GEMMs verify 2 tokens (still
        // the 17.5 ms read), the draft costs one layer's share, 17.5 / 80 ms, and a token takes
        // the step over 1.85.
        let s1 = Speculative {
            tokens: 1,
            acceptance: 0.85,
            draft: None,
        };
        let s3 = Speculative {
            tokens: 3,
            acceptance: 0.7,
            draft: None,
        };
        assert!((s1.tokens_per_step() - 1.85).abs() < 1e-12);
        assert!((s3.tokens_per_step() - 0.7599 / 0.3).abs() < 1e-12);
        let (m, g, s) = (llama70b(), gpu(), serving());
        let fp8 = precision("fp8", 1.0, &["h100"]);
        let mut c = config(&m, &g, &fp8, &s, 2, 1000.0, 1000.0);
        let plain = c.step(1.0, false);
        c.speculative = Some(&s1);
        let spec = c.step(1.0, false);
        assert!((spec.gemm_ms - 17.5).abs() < 1e-9);
        assert!((spec.draft_ms - 17.5 / 80.0).abs() < 1e-9);
        assert!((spec.tokens_per_step - 1.85).abs() < 1e-12);
        assert!((c.step_ms(1.0, false).0 - spec.total_ms / 1.85).abs() < 1e-12);
        assert!(c.step_ms(1.0, false).0 < plain.total_ms / 1.7);
    }

    #[test]
    fn infinity_fabric_groups_use_one_link_a_peer() {
        // A mesh of 7 links of 64 GB/s: a group of 2 uses one, a group of 8 all seven.
        let mut g = gpu();
        g.interconnect = Interconnect::Xgmi;
        g.link_gb_s = Some(448.0);
        assert!((g.link_bandwidth_gb_s(2) - 64.0).abs() < 1e-9);
        assert!((g.link_bandwidth_gb_s(4) - 192.0).abs() < 1e-9);
        assert!((g.link_bandwidth_gb_s(8) - 448.0).abs() < 1e-9);
        g.interconnect = Interconnect::Nvlink;
        assert!((g.link_bandwidth_gb_s(2) - 448.0).abs() < 1e-9);
        g.link_gb_s = None;
        assert!(
            (g.link_bandwidth_gb_s(2) - 300.0).abs() < 1e-9,
            "NVLink's default"
        );
    }

    #[test]
    fn weight_only_precision_uses_the_bf16_rate() {
        let (m, g, s) = (llama70b(), gpu(), serving());
        let native = precision("fp8", 1.0, &["h100"]);
        let weight_only = precision("fp8", 1.0, &[]);
        let a = config(&m, &g, &native, &s, 2, 1000.0, 1000.0);
        let b = config(&m, &g, &weight_only, &s, 2, 1000.0, 1000.0);
        assert!((a.flops() / b.flops() - 2.0).abs() < 1e-12);
        assert_eq!(a.bandwidth(), b.bandwidth());
    }

    #[test]
    fn latency_limit_shrinks_the_batch() {
        let (m, g, s) = (llama70b(), gpu(), serving());
        let fp8 = precision("fp8", 1.0, &["h100"]);
        let mut c = config(&m, &g, &fp8, &s, 4, 1000.0, 1000.0);
        let free = c.size();
        c.tpot_limit_ms = Some(20.0);
        let limited = c.size();
        assert!(limited.latency_limited);
        assert!(limited.batch < free.batch);
        assert!(limited.tpot_ms <= 20.0);
        assert!(c.step_ms(f64::from(limited.batch + 1), true).0 > 20.0);
    }

    #[test]
    fn a_precision_may_quantize_only_the_experts() {
        // 47B total, 13B active, 8 experts of 5.667B (2 a token), 1.667B shared. At 0.5 bytes
        // on every weight: 23.5 GB. Experts only: 45.333B x 0.5 + 1.667B x 2 = 26 GB, and one
        // token reads 1.667 x 2 + 2 x 5.667 x 0.5 = 9 GB. A dense model quantizes every weight.
        let (mut m, g, s) = (llama70b(), gpu(), serving());
        moe_47b(&mut m);
        let mut p = precision("fp4", 0.5, &[]);
        let all = config(&m, &g, &p, &s, 2, 100.0, 100.0).weight_bytes();
        p.experts_only = true;
        let c = config(&m, &g, &p, &s, 2, 100.0, 100.0);
        assert!((all - 23.5e9).abs() < 1.0);
        assert!(
            (c.weight_bytes() - 26e9).abs() < 1e3,
            "{}",
            c.weight_bytes()
        );
        assert!(
            (c.weights_read(1.0) - 9e9).abs() < 1e3,
            "{}",
            c.weights_read(1.0)
        );
        let dense = llama70b();
        let d = config(&dense, &g, &p, &s, 2, 100.0, 100.0);
        assert!((d.weight_bytes() - 35e9).abs() < 1.0);
    }

    #[test]
    fn an_untied_input_embedding_is_held_but_not_read() {
        // A dense 70B with a 1B input embedding not tied to the output: 70 GB held at 1 byte,
        // 69 GB read a step, 2 x 69B FLOPs a token. Batch 1 on 2 test GPUs (4 TB/s): 17.25 ms
        // of GEMMs instead of 17.5.
        let (g, s) = (gpu(), serving());
        let fp8 = precision("fp8", 1.0, &["h100"]);
        let m = OpenModel {
            active_params_b: 69.0,
            lookup_params_b: 1.0,
            ..llama70b()
        };
        let c = config(&m, &g, &fp8, &s, 2, 1000.0, 1000.0);
        assert_eq!(c.weight_bytes(), 70e9);
        assert_eq!(c.weights_read(1.0), 69e9);
        assert!((c.step(1.0, false).gemm_ms - 17.25).abs() < 1e-9);
        // A mixture of experts: 47B total of which 1B is the lookup table, 12B multiplied a
        // token (2 of 8 experts): each expert (47 - 1 - 12) / 6 = 5.667B, the experts 45.333B,
        // the shared part 46 - 45.333 = 0.667B. Held: all 47 GB; one token reads 0.667 + 2 x
        // 5.667 = 12 GB; every expert touched, 46 GB.
        let mut moe = llama70b();
        moe_47b(&mut moe);
        moe.active_params_b = 12.0;
        moe.lookup_params_b = 1.0;
        let c = config(&moe, &g, &fp8, &s, 2, 100.0, 100.0);
        assert!(
            (c.weight_bytes() - 47e9).abs() < 1e3,
            "{}",
            c.weight_bytes()
        );
        assert!(
            (c.weights_read(1.0) - 12e9).abs() < 1e3,
            "{}",
            c.weights_read(1.0)
        );
        assert!((c.weights_read(f64::INFINITY) - 46e9).abs() < 1e3);
    }

    #[test]
    fn attention_data_parallelism_by_hand() {
        // The 47B mixture (1.667B shared, 8 experts of 5.667B) in FP8 on 4 test GPUs (2,000
        // GB/s and 2,000 TFLOPS FP8 each), 100 + 100 tokens, a step overhead of 2 ms and 10 µs
        // a sequence. Tensor-parallel, the shared weights are split: 1.667 GB over 8 TB/s.
        // With attention data parallelism each GPU reads them whole (1.667 GB over 2 TB/s, 4x
        // the time), holds them (3 x 1.667 GB more memory), has no attention all-reduce, and
        // pays the per-sequence time for its own quarter of the batch.
        let (mut m, g) = (llama70b(), gpu());
        moe_47b(&mut m);
        let fp8 = precision("fp8", 1.0, &["h100"]);
        let mut s = serving();
        s.step_overhead_ms = 2.0;
        s.sequence_overhead_us = 10.0;
        let tp = config(&m, &g, &fp8, &s, 4, 100.0, 100.0);
        let dp = Config {
            attention_dp: true,
            ..tp
        };
        let shared_ms = 1.666_666_666_7e9 / 8e12 * 1000.0;
        let (a, b) = (tp.step(64.0, false), dp.step(64.0, false));
        // Batch 64: overhead 2 + 64 x 0.01 = 2.64 ms against 2 + 16 x 0.01 = 2.16 ms.
        assert!((a.overhead_ms - 2.64).abs() < 1e-9, "{a:?}");
        assert!((b.overhead_ms - 2.16).abs() < 1e-9, "{b:?}");
        // Memory-bound at batch 64: the shared kernel's read takes 4x as long.
        assert!(
            (b.gemm_ms - a.gemm_ms - 3.0 * shared_ms).abs() < 1e-6,
            "{a:?} {b:?}"
        );
        // Two all-reduces a layer become one (the experts' exchange stays): 80 layers of
        // 25 µs-free rings of 64 x 8,192 x 2 bytes, 2 x 3/4 of it over 450 GB/s.
        let ring_ms = 2.0 * 0.75 * 64.0 * 8192.0 * 2.0 / 450e9 * 1000.0;
        assert!(
            (a.communication_ms - b.communication_ms - 80.0 * ring_ms).abs() < 1e-6,
            "{a:?} {b:?}"
        );
        // With the experts spread over the 4 GPUs, each keeps its own tokens: no gather
        // (3/4 of the activations over the link) either.
        let (tp_ep, dp_ep) = (Config { ep: 4, ..tp }, Config { ep: 4, ..dp });
        let (c, d) = (tp_ep.step(64.0, false), dp_ep.step(64.0, false));
        assert!(
            (c.communication_ms - d.communication_ms - 80.0 * 1.5 * ring_ms).abs() < 1e-6,
            "{c:?} {d:?}"
        );
        let (za, zb) = (tp.size(), dp.size());
        assert!((zb.memory_gb.weights - za.memory_gb.weights - 3.0 * 1.666_666_666_7).abs() < 1e-6);
        // One GPU: nothing changes.
        let one = config(&m, &g, &fp8, &s, 1, 100.0, 100.0);
        let one_dp = Config {
            attention_dp: true,
            ..one
        };
        assert_eq!(one.step(64.0, false), one_dp.step(64.0, false));
    }

    #[test]
    fn experts_touched_grow_with_the_batch() {
        let (mut m, g, s) = (llama70b(), gpu(), serving());
        // 8 experts, 2 per token, 47B total, 13B active: each expert holds (47 - 13) / 6 =
        // 5.667B, the experts 45.333B, the shared part 1.667B; one token touches a quarter.
        moe_47b(&mut m);
        let bf16 = precision("bf16", 2.0, &[]);
        let c = config(&m, &g, &bf16, &s, 2, 100.0, 100.0);
        let one = c.weights_read(1.0);
        assert!(
            (one - 13e9 * 2.0).abs() < 1.0,
            "one token reads the active parameters"
        );
        assert!(
            (c.weights_read(1e6) - 47e9 * 2.0).abs() < 1.0,
            "a large batch reads them all"
        );
        assert!(c.weights_read(4.0) > one);
    }

    /// Split by layers (llama.cpp's default), two GPUs hold twice the memory but run a step
    /// one after the other: the 70B test model in FP8 (70 GB) streams its weights at one GPU's
    /// 2,000 GB/s, 35 ms a token, plus one hand-off of a token's 8,192 16-bit activations
    /// (16,384 B over 450 GB/s: 36.4 ns); under tensor parallelism the two GPUs stream at once,
    /// 17.5 ms, plus two all-reduces a layer.
    #[test]
    fn a_layer_split_adds_memory_not_speed() {
        let (m, g, p) = (llama70b(), gpu(), precision("fp8", 1.0, &["h100"]));
        let tensor = serving();
        let layers = Serving {
            layer_split: true,
            ..serving()
        };
        let one = config(&m, &g, &p, &tensor, 1, 1.0, 2.0);
        let split = config(&m, &g, &p, &layers, 2, 1.0, 2.0);
        let parallel = config(&m, &g, &p, &tensor, 2, 1.0, 2.0);
        let gemm = |c: &Config| c.step(1.0, false).gemm_ms;
        assert!((gemm(&one) - 35.0).abs() < 1e-9, "{}", gemm(&one));
        assert!((gemm(&split) - 35.0).abs() < 1e-9, "{}", gemm(&split));
        assert!((gemm(&parallel) - 17.5).abs() < 1e-9, "{}", gemm(&parallel));
        let hand_off = split.communication_ms(1.0);
        assert!(
            (hand_off - 16_384.0 / 450e9 * 1000.0).abs() < 1e-12,
            "{hand_off}"
        );
        // Memory is the two GPUs' either way.
        assert_eq!(split.size().memory_gb.total, 160.0);
        assert_eq!(split.size().memory_gb, parallel.size().memory_gb);
    }

    /// A step budget of 8,192 tokens (vLLM's `max_num_batched_tokens`): a sequence of 8,000
    /// prompt and 250 output tokens puts 1 + 8,000 / 250 = 33 tokens in a step, so at most
    /// floor(8,192 / 33) = 248 run; with 1,000 + 1,000 a sequence puts 2 and the engine's cap
    /// of 1,024 binds. Beside 200 running sequences a new 8,000-token prompt gets 8,192 - 200
    /// = 7,992 tokens a step: two steps; beside one, one.
    #[test]
    fn a_step_budget_caps_the_batch_and_chunks_long_prompts() {
        let (m, g, p) = (llama70b(), gpu(), precision("fp8", 1.0, &["h100"]));
        let s = Serving {
            step_tokens: Some(8192.0),
            ..serving()
        };
        let long = config(&m, &g, &p, &s, 4, 8000.0, 250.0);
        let short = config(&m, &g, &p, &s, 4, 1000.0, 1000.0);
        assert_eq!(long.engine_batch(), 248.0);
        assert_eq!(short.engine_batch(), 1024.0);
        assert_eq!(long.prefill_steps(1.0), 1.0);
        assert_eq!(long.prefill_steps(200.0), 2.0);
        let at = long.at_concurrency(200.0);
        let want = long.prefill_ms() + 2.0 * at.tpot_ms;
        assert!((at.ttft_ms - want).abs() < 1e-9, "{} {want}", at.ttft_ms);
        assert!(long.size().max_batch <= 248);
        // Without a budget, one step and the engine's cap.
        let unbounded = serving();
        let free = config(&m, &g, &p, &unbounded, 4, 8000.0, 250.0);
        assert_eq!(
            (free.engine_batch(), free.prefill_steps(200.0)),
            (1024.0, 1.0)
        );
    }

    /// The launch time of a prompt's uncaptured forwards: 1,000 µs a layer x the test 70B's 80
    /// layers is 80 ms a forward. Without a budget an 8,000-token prompt is one forward; with a
    /// budget of 3,000 it is three (3,000, 3,000 and 2,000 tokens). With graphs up to 2,000
    /// tokens the last chunk is captured (two forwards pay), up to 512 a 500-token prompt pays
    /// nothing. The prefill alone and the time to first token carry it; the step does not.
    #[test]
    fn a_prompts_uncaptured_forwards_pay_their_launch_time() {
        let (m, g, p) = (llama70b(), gpu(), precision("fp8", 1.0, &["h100"]));
        let launch = |budget: Option<f64>, graph: Option<f64>, input: f64| {
            let s = Serving {
                prefill_layer_overhead_us: 1000.0,
                prefill_graph_tokens: graph,
                step_tokens: budget,
                ..serving()
            };
            let c = config(&m, &g, &p, &s, 4, input, 250.0);
            let none = Serving {
                prefill_layer_overhead_us: 0.0,
                ..s.clone()
            };
            let bare = config(&m, &g, &p, &none, 4, input, 250.0);
            assert!((c.prefill_ms() - bare.prefill_ms() - c.prefill_launch_ms()).abs() < 1e-9);
            let (at, at_bare) = (c.at_concurrency(8.0), bare.at_concurrency(8.0));
            assert!((at.ttft_ms - at_bare.ttft_ms - c.prefill_launch_ms()).abs() < 1e-9);
            assert_eq!(at.tpot_ms, at_bare.tpot_ms);
            c.prefill_launch_ms()
        };
        for (budget, graph, input, want) in [
            (None, None, 8000.0, 80.0),
            (Some(3000.0), None, 8000.0, 240.0),
            (Some(3000.0), Some(2000.0), 8000.0, 160.0),
            (Some(3000.0), Some(512.0), 500.0, 0.0),
            (Some(3000.0), Some(512.0), 513.0, 80.0),
        ] {
            let got = launch(budget, graph, input);
            assert!(
                (got - want).abs() < 1e-9,
                "{budget:?} {graph:?} {input}: {got}"
            );
        }
    }

    /// A wait of 2 steps at load: at `N` sequences the first token waits `2 x (1 - 1/N)` whole
    /// steps more (1.5 at 4 sequences, 1.75 at 8), none at one stream, where the engine is idle
    /// when the request arrives. The time per token and the prefill alone do not move.
    #[test]
    fn a_prompt_waits_its_steps_at_load() {
        let (m, g, p) = (llama70b(), gpu(), precision("fp8", 1.0, &["h100"]));
        let s = Serving {
            prefill_wait_steps: 2.0,
            ..serving()
        };
        let none = serving();
        let (c, bare) = (
            config(&m, &g, &p, &s, 4, 1000.0, 250.0),
            config(&m, &g, &p, &none, 4, 1000.0, 250.0),
        );
        assert_eq!(c.prefill_ms(), bare.prefill_ms());
        for (n, steps) in [(1.0, 0.0), (0.5, 0.0), (4.0, 1.5), (8.0, 1.75)] {
            let (at, at_bare) = (c.at_concurrency(n), bare.at_concurrency(n));
            let step = c.step(n.max(1.0), true).total_ms;
            assert!(
                (at.ttft_ms - at_bare.ttft_ms - steps * step).abs() < 1e-9,
                "{n}: {at:?} {at_bare:?}"
            );
            assert_eq!(at.tpot_ms, at_bare.tpot_ms);
            assert_eq!(c.wait_steps(n), steps);
        }
    }

    /// A separate draft model of 1B parameters in FP8 (1 GB) with 16,384 cached values a token
    /// (8 layers of the test model's 2,048),
    /// drafting 2 tokens a step for the 70B test model on one GPU (2,000 GB/s): a draft pass of
    /// one sequence at a mean context of 1,001 tokens (the prompt and half the 2-token answer)
    /// reads 1 GB + 1,001 x 16,384 x 2 B = 1.032800768 GB, 0.516400384 ms; two drafts,
    /// 1.032800768 ms. On two GPUs memory holds both weights (71 GB) and both caches a token
    /// (327,680 + 32,768 B).
    #[test]
    fn a_draft_model_costs_a_pass_a_draft_and_its_memory() {
        let (m, g, p, s) = (
            llama70b(),
            gpu(),
            precision("fp8", 1.0, &["h100"]),
            serving(),
        );
        let spec = Speculative {
            tokens: 2,
            acceptance: 0.5,
            draft: Some(Draft {
                model: OpenModel {
                    id: "small".into(),
                    params_b: 1.0,
                    active_params_b: 1.0,
                    layers: 8,
                    ..llama70b()
                },
            }),
        };
        let mut c = config(&m, &g, &p, &s, 1, 1000.0, 2.0);
        c.speculative = Some(&spec);
        let step = c.step(1.0, false);
        assert!(
            (step.draft_ms - 1.032_800_768).abs() < 1e-9,
            "{}",
            step.draft_ms
        );
        // Two drafts at acceptance 0.5 gain (1 - 0.5^3) / 0.5 = 1.75 tokens a step.
        assert!((step.tokens_per_step - 1.75).abs() < 1e-12);
        let plain = config(&m, &g, &p, &s, 2, 1000.0, 2.0).size();
        c.tp = 2;
        let drafted = c.size();
        assert!(plain.fits && drafted.fits);
        assert!((drafted.memory_gb.weights - plain.memory_gb.weights - 1.0).abs() < 1e-9);
        let per_token = |z: &Sizing| z.memory_gb.kv_cache / f64::from(z.max_batch);
        // A sequence holds 1,002 tokens of both caches: (327,680 + 32,768) / 327,680 = 1.1.
        assert!((per_token(&drafted) / per_token(&plain) - 1.1).abs() < 1e-9);
    }
}
