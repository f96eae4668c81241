//! One replica at a load: the sequences it runs when requests arrive at a rate (Little's law
//! on its own step time), and its latency and throughput there; the most sequences the
//! engine's caps (on sequences, on tokens a step) let it run, and how many steps a new prompt's
//! chunked prefill takes beside them.

use super::sizing::Config;
use serde::Serialize;

/// One replica at a given number of running sequences.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Load {
    /// Sequences running.
    pub concurrency: f64,
    /// Time per output token, ms.
    pub tpot_ms: f64,
    /// Time to first token without queueing for a slot (prefill, the steps it is chunked over
    /// and the steps it waits while others run), ms.
    pub ttft_ms: f64,
    /// Output tokens per second of the replica.
    pub output_tokens_per_s: f64,
}

impl Config<'_> {
    /// Tokens a running sequence puts in a step: its token and its drafts to verify, and its
    /// share of prefill (`gained x new / output`: each finished sequence is replaced by a new
    /// one whose uncached prompt is prefilled).
    fn step_tokens_per_sequence(&self) -> (f64, f64) {
        let (drafts, gained) = self.drafts_and_gain();
        (
            1.0 + drafts,
            gained * self.prefill_tokens().0 / self.shape.output_tokens.max(1.0),
        )
    }

    /// The most sequences the engine runs: its batch cap, and where it limits the tokens a step
    /// carries, the sequences that budget feeds (`budget / tokens a sequence a step`).
    pub fn engine_batch(&self) -> f64 {
        let (cap, step_tokens) = self.serving.limits_on(self.gpu);
        let cap = f64::from(cap);
        match step_tokens {
            Some(budget) => {
                let (verified, prefill) = self.step_tokens_per_sequence();
                cap.min((budget / (verified + prefill)).floor().max(1.0))
            }
            None => cap,
        }
    }

    /// Steps a new prompt's prefill takes beside `batch` running sequences: one without a
    /// budget, else its uncached tokens over what the budget leaves after the running
    /// sequences' own tokens (chunked prefill).
    pub fn prefill_steps(&self, batch: f64) -> f64 {
        let Some(budget) = self.serving.limits_on(self.gpu).1 else {
            return 1.0;
        };
        let room = (budget - batch * self.step_tokens_per_sequence().0).max(1.0);
        (self.prefill_tokens().0 / room).ceil().max(1.0)
    }

    /// Time a lone prompt's forwards spend launching kernels, ms: the time a layer the replica
    /// runs at ([`Config::constants`]) for each forward (each chunk, where a step budget chunks
    /// the prompt) that carries more tokens than the engine captures in CUDA graphs. The prompt
    /// is taken in whole tokens: a mean of 8,192.4 on a budget of 8,192 is one forward.
    pub fn prefill_launch_ms(&self) -> f64 {
        let per_layer = self.constants().prefill_layer_overhead_us;
        if per_layer <= 0.0 {
            return 0.0;
        }
        let new = self.prefill_tokens().0.round().max(1.0);
        let chunk = self.serving.limits_on(self.gpu).1.unwrap_or(new).max(1.0);
        let full = (new / chunk).ceil() - 1.0;
        let last = new - full * chunk;
        let graph = self.serving.prefill_graph_tokens.unwrap_or(0.0);
        let eager = |tokens: f64| if tokens > graph { 1.0 } else { 0.0 };
        let forwards = full * eager(chunk) + eager(last);
        forwards * f64::from(self.model.layers) * per_layer / 1000.0
    }

    /// Latency and throughput of one replica running `concurrency` sequences (at least one),
    /// each step carrying its share of prefill.
    pub fn at_concurrency(&self, concurrency: f64) -> Load {
        self.load(concurrency, self.prefill_ms())
    }

    fn load(&self, concurrency: f64, prefill_ms: f64) -> Load {
        let n = concurrency.max(1.0);
        let whole = self.step(n, true);
        let step = whole.per_token_ms();
        Load {
            concurrency: n,
            tpot_ms: step,
            // The prompt's prefill, then the whole steps its first token waits on: one, or
            // several where a step's budget chunks the prompt (each also decoding the running
            // sequences and verifying their drafts), and the steps it waits before it is
            // taken up while others run.
            ttft_ms: prefill_ms + (self.prefill_steps(n) + self.wait_steps(n)) * whole.total_ms,
            output_tokens_per_s: n / (step / 1000.0),
        }
    }

    /// Steps a new prompt waits before it is taken up among `n` running sequences: the
    /// engine's `prefill_wait_steps` ([`Config::constants`]) times the share of the time the
    /// others keep it busy, `1 - 1/n` (at one stream the engine is idle when a request
    /// arrives).
    pub fn wait_steps(&self, n: f64) -> f64 {
        self.constants().prefill_wait_steps * (1.0 - 1.0 / n.max(1.0))
    }

    /// The sequences one replica runs when `requests_per_s` arrive, by Little's law on its own
    /// step time: the `N` where `N = rate x (TTFT(N) + (output - 1) x TPOT(N))`, between one
    /// sequence and `slots` (past them requests queue for a slot instead). The right side grows
    /// with `N` more slowly than `N` once a step is memory-bound, so there is one crossing; it
    /// is found by regula falsi (the Illinois variant) to a millionth of a sequence.
    pub fn concurrency_at(&self, requests_per_s: f64, slots: f64) -> f64 {
        let rate = requests_per_s.max(0.0);
        let out = (self.shape.output_tokens - 1.0).max(0.0);
        let prefill = self.prefill_ms();
        let slots = slots.max(1.0);
        let gap = |n: f64| {
            let load = self.load(n, prefill);
            rate * (load.ttft_ms + out * load.tpot_ms) / 1000.0 - n
        };
        let (mut lo, mut hi) = (1.0_f64, slots);
        let (mut g_lo, mut g_hi) = (gap(lo), gap(hi));
        if g_lo <= 0.0 {
            return 1.0;
        }
        if g_hi >= 0.0 {
            return slots;
        }
        let mut side = 0;
        for _ in 0..100 {
            let n = (lo * g_hi - hi * g_lo) / (g_hi - g_lo);
            let g = gap(n);
            if g.abs() < 1e-6 || hi - lo < 1e-6 {
                return n;
            }
            if g > 0.0 {
                (lo, g_lo) = (n, g);
                if side == 1 {
                    g_hi /= 2.0;
                }
                side = 1;
            } else {
                (hi, g_hi) = (n, g);
                if side == -1 {
                    g_lo /= 2.0;
                }
                side = -1;
            }
        }
        f64::midpoint(lo, hi)
    }
}
