//! Sizing from the physics of serving: memory (weights, KV cache, runtime overhead), and a
//! roofline for decode and prefill.
//!
//! A decode step of a batch of `B` sequences reads the weights the batch touches and each
//! sequence's KV cache, and does `2 x active parameters` FLOPs per token plus attention; its
//! time is the larger of the memory time and the compute time at the achievable bandwidth and
//! FLOPS, plus a fixed per-step overhead. Under continuous batching each step also carries
//! its share of prefill work (`I/O` prompt tokens per generated token), which is compute and
//! rides on the memory-bound decode until compute dominates. Every constant is in
//! `pricing/serving.yaml` and explained in `docs/methodology.md`.

use crate::engine::EngineError;
use crate::model::catalog::Catalog;
use crate::model::catalog::hardware::{ComputeRate, Gpu, OpenModel, Precision, Serving};
use crate::model::workload::RequestShape;
use serde::Serialize;

/// What limits a decode step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bound {
    /// Reading weights and KV cache from memory.
    Memory,
    /// Arithmetic.
    Compute,
}

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
    /// Time per output token at the operating point, ms.
    pub tpot_ms: f64,
    /// Time to first token without queueing (prefill plus one step), ms.
    pub ttft_ms: f64,
    /// Prefill speed of one replica, prompt tokens per second.
    pub prefill_tokens_per_s: f64,
    /// Decode speed of a single stream (batch 1), tokens per second.
    pub single_stream_output_tokens_per_s: f64,
    /// Output tokens per second of one replica at the operating point.
    pub output_tokens_per_s: f64,
    /// Output tokens per second of one replica at the largest batch.
    pub max_output_tokens_per_s: f64,
}

/// Bytes per cached value: the KV precision asked for, else the engine's default.
pub fn kv_bytes(serving: &Serving, kv: Option<&Precision>) -> f64 {
    kv.map_or(serving.kv_bytes, |p| p.bytes_per_weight)
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
    fn tp_efficiency(&self) -> f64 {
        self.serving.tp_efficiency(self.tp, self.gpu.interconnect)
    }

    /// Whether the GPU runs the precision natively.
    pub fn native(&self) -> bool {
        self.precision.native_on.contains(&self.gpu.id)
    }

    /// Achievable memory bandwidth of the replica, bytes per second.
    pub fn bandwidth(&self) -> f64 {
        f64::from(self.tp)
            * self.gpu.memory_bandwidth_gb_s
            * 1e9
            * self.serving.bandwidth_efficiency
            * self.tp_efficiency()
    }

    /// Peak and measured TFLOPS for the precision's multiplies on this GPU.
    fn rates(&self) -> (f64, Option<f64>) {
        let g = self.gpu;
        let bf16 = (g.bf16_tflops, g.measured_bf16_tflops);
        if !self.native() {
            return bf16;
        }
        match self.precision.native_rate {
            ComputeRate::Bf16 => bf16,
            ComputeRate::Fp8 => g.fp8_tflops.map_or(bf16, |p| (p, g.measured_fp8_tflops)),
            ComputeRate::Int8 => g.int8_tops.map_or(bf16, |p| (p, None)),
            ComputeRate::Fp4 => g
                .fp4_tflops
                .map(|p| (p, None))
                .or_else(|| g.fp8_tflops.map(|p| (p, g.measured_fp8_tflops)))
                .unwrap_or(bf16),
        }
    }

    /// Achievable FLOPS of the replica: peak x (measured / peak, or the GPU's own measured
    /// BF16 ratio where its rate at this precision is not measured, or the default ratio) x
    /// GEMM efficiency x TP efficiency. A GPU that reaches half its BF16 peak in a measured
    /// matmul (MI300X) is not credited with NVIDIA's median ratio at FP8.
    pub fn flops(&self) -> f64 {
        let (peak, measured) = self.rates();
        let own = self
            .gpu
            .measured_bf16_tflops
            .map(|m| m / self.gpu.bf16_tflops);
        let ratio = measured
            .map(|m| m / peak)
            .or(own)
            .unwrap_or(self.serving.default_matmul_ratio);
        f64::from(self.tp)
            * peak
            * 1e12
            * ratio
            * self.serving.gemm_efficiency
            * self.tp_efficiency()
    }

    /// Bytes of weights.
    pub fn weight_bytes(&self) -> f64 {
        self.model.params_b * 1e9 * self.precision.bytes_per_weight
    }

    /// Bytes of weights a step over `tokens` tokens reads: all of them for a dense model;
    /// for a mixture of experts the shared part plus the share of experts the tokens touch,
    /// `1 - (1 - k/E)^tokens`.
    pub fn weights_read(&self, tokens: f64) -> f64 {
        let m = self.model;
        let Some(e) = m.experts else {
            return self.weight_bytes();
        };
        let (count, k) = (f64::from(e.count), f64::from(e.per_token));
        let per_expert = (m.params_b - m.active_params_b) / (count - k);
        let experts = count * per_expert;
        let shared = m.params_b - experts;
        let touched = 1.0 - (1.0 - k / count).powf(tokens.max(1.0));
        (shared + experts * touched) * 1e9 * self.precision.bytes_per_weight
    }

    /// KV cache per token, bytes.
    pub fn kv_bytes_per_token(&self) -> f64 {
        self.model.kv_bytes_per_token(self.kv_bytes())
    }

    /// Bytes per cached value: the deployment's KV precision, else the engine's default.
    pub fn kv_bytes(&self) -> f64 {
        kv_bytes(self.serving, self.kv)
    }

    /// Tokens of KV cache a running sequence holds on average: its prompt and output when the
    /// engine reserves them up front, its prompt and half its output when it pages.
    fn kv_tokens_per_sequence(&self) -> f64 {
        let out = self.shape.output_tokens;
        self.shape.input_tokens
            + if self.serving.kv_paged {
                out / 2.0
            } else {
                out
            }
    }

    /// FLOPs for one token attending over `context` tokens: `2 x active` plus attention
    /// scores and values, `4 x layers x heads x head_dim x context`.
    fn flops_per_token(&self, context: f64) -> f64 {
        let m = self.model;
        2.0 * m.active_params_b * 1e9
            + 4.0
                * f64::from(m.layers)
                * f64::from(m.attention_heads)
                * f64::from(m.head_dim)
                * context
    }

    /// Average context of a running sequence: the prompt plus half the output.
    fn mean_context(&self) -> f64 {
        self.shape.input_tokens + self.shape.output_tokens / 2.0
    }

    /// Duration of a decode step of `batch` sequences, ms, with (under continuous batching)
    /// its share of prefill work or without.
    pub fn step_ms(&self, batch: f64, with_prefill: bool) -> (f64, Bound) {
        let ctx = self.mean_context();
        let bytes =
            self.weights_read(batch) + batch * self.model.kv_bytes_for(ctx, self.kv_bytes());
        let prefill_per_output = if with_prefill {
            self.prefill_flops() / self.shape.output_tokens.max(1.0)
        } else {
            0.0
        };
        let flops = batch * (self.flops_per_token(ctx) + prefill_per_output);
        let memory_s = bytes / self.bandwidth();
        let compute_s = flops / self.flops();
        let bound = if compute_s > memory_s {
            Bound::Compute
        } else {
            Bound::Memory
        };
        (
            memory_s.max(compute_s) * 1000.0 + self.serving.step_overhead_ms,
            bound,
        )
    }

    /// FLOPs to prefill one prompt: the tokens not found in the prefix cache, each attending
    /// to the cached prefix and, on average, half the new tokens before it.
    fn prefill_flops(&self) -> f64 {
        let i = self.shape.input_tokens;
        let c = self.cached_share.clamp(0.0, 1.0);
        (1.0 - c) * i * self.flops_per_token(i * (1.0 + c) / 2.0)
    }

    /// Time to prefill one prompt alone, ms.
    pub fn prefill_ms(&self) -> f64 {
        let i = self.shape.input_tokens;
        let compute = self.prefill_flops() / self.flops();
        let memory = self.weights_read(i) / self.bandwidth();
        compute.max(memory) * 1000.0
    }

    /// Memory of the replica and the largest batch it holds.
    fn memory(&self) -> (MemoryGb, u32, bool) {
        let tp = f64::from(self.tp);
        let total = tp * self.gpu.memory_gb;
        let available = tp
            * (self.gpu.memory_gb * self.serving.memory_utilization
                - self.serving.runtime_overhead_gb);
        let weights = self.weight_bytes() / 1e9;
        let seq = self
            .model
            .kv_bytes_for(self.kv_tokens_per_sequence(), self.kv_bytes())
            / 1e9;
        let free = available - weights;
        let by_memory = if free > 0.0 && seq > 0.0 {
            (free / seq).floor()
        } else {
            0.0
        };
        // One whole request must fit, even where a running one holds less on average.
        let whole = self.model.kv_bytes_for(
            self.shape.input_tokens + self.shape.output_tokens,
            self.kv_bytes(),
        ) / 1e9;
        let by_memory = if free >= whole { by_memory } else { 0.0 };
        let max_batch = by_memory.min(f64::from(self.serving.max_batch)).max(0.0) as u32;
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
            tpot_ms: 0.0,
            ttft_ms: 0.0,
            prefill_tokens_per_s: 0.0,
            single_stream_output_tokens_per_s: 0.0,
            output_tokens_per_s: 0.0,
            max_output_tokens_per_s: 0.0,
        };
        if !fits {
            return base;
        }
        let batch = self.operating_batch(max_batch);
        let (step, bound) = self.step_ms(f64::from(batch), true);
        let (max_step, _) = self.step_ms(f64::from(max_batch), true);
        let prefill = self.prefill_ms();
        Sizing {
            batch,
            latency_limited: batch < max_batch,
            bound,
            tpot_ms: step,
            ttft_ms: prefill + step,
            prefill_tokens_per_s: self.shape.input_tokens / (prefill / 1000.0),
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
        }
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
        // FP8 70B on 2 test GPUs: 4,000 TFLOPS and 4,000 GB/s. One token attending over c
        // tokens costs 2 x 70e9 + 4 x 80 x 64 x 128 x c = 140e9 + 2,621,440 c FLOPs. A
        // 1,000-token prompt: 1,000 x (140e9 + 2,621,440 x 500) = 141.31e12 -> 35.33 ms; half of
        // it cached, 500 new tokens attending over 750 on average: 70.983e12 -> 17.746 ms, just
        // above the 17.5 ms the 70 GB of weights take to read.
        let (m, g, s) = (llama70b(), gpu(), serving());
        let fp8 = precision("fp8", 1.0, &["h100"]);
        for (cached, want) in [(0.0, 35.327_68), (0.5, 17.745_76)] {
            let mut c = config(&m, &g, &fp8, &s, 2, 1000.0, 1000.0);
            c.cached_share = cached;
            let got = c.prefill_ms();
            assert!((got - want).abs() < 1e-6, "{cached}: {got}");
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
    fn roofline_by_hand() {
        // FP8 70B on one GPU: 70 GB weights; 70 - 70 = 0 GB free: no fit at 1 GPU.
        // On 2 GPUs (2 x 2,000 GB/s = 4 TB/s, 2 x 2,000 TFLOPS FP8):
        // batch 1 decode reads 70 GB + 1,500 x 327,680 B = 70.49 GB -> 17.62 ms (memory-bound).
        let (m, g, s) = (llama70b(), gpu(), serving());
        let fp8 = precision("fp8", 1.0, &["h100"]);
        let c = config(&m, &g, &fp8, &s, 2, 1000.0, 1000.0);
        let (t1, bound) = c.step_ms(1.0, false);
        assert_eq!(bound, Bound::Memory);
        assert!((t1 - (70e9 + 1500.0 * 327_680.0) / 4e12 * 1000.0).abs() < 1e-9);
        // Prefill of 1,000 tokens: 1,000 x (140e9 + 4 x 80 x 64 x 128 x 500) FLOPs at 4e15.
        let want = 1000.0 * (140e9 + 4.0 * 80.0 * 64.0 * 128.0 * 500.0) / 4e15 * 1000.0;
        assert!((c.prefill_ms() - want).abs() < 1e-9);
        let z = c.size();
        assert!(z.fits && z.native_precision);
        assert!((z.single_stream_output_tokens_per_s - 1000.0 / t1).abs() < 1e-9);
        // At the largest batch, throughput = batch / step.
        let (tb, _) = c.step_ms(f64::from(z.max_batch), true);
        assert!((z.max_output_tokens_per_s - f64::from(z.max_batch) / (tb / 1000.0)).abs() < 1e-6);
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
    fn experts_touched_grow_with_the_batch() {
        let (mut m, g, s) = (llama70b(), gpu(), serving());
        // 8 experts, 2 per token, 47B total, 13B active: each expert holds (47 - 13) / 6 =
        // 5.667B, the experts 45.333B, the shared part 1.667B; one token touches a quarter.
        m.params_b = 47.0;
        m.active_params_b = 13.0;
        m.experts = Some(crate::model::catalog::hardware::Experts {
            count: 8,
            per_token: 2,
        });
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
}
