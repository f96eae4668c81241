//! One replica at a load: the sequences it runs when requests arrive at a rate (Little's law
//! on its own step time), and its latency and throughput there.

use super::sizing::Config;
use serde::Serialize;

/// One replica at a given number of running sequences.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Load {
    /// Sequences running.
    pub concurrency: f64,
    /// Time per output token, ms.
    pub tpot_ms: f64,
    /// Time to first token without queueing (prefill plus one step), ms.
    pub ttft_ms: f64,
    /// Output tokens per second of the replica.
    pub output_tokens_per_s: f64,
}

impl Config<'_> {
    /// Latency and throughput of one replica running `concurrency` sequences (at least one),
    /// each step carrying its share of prefill.
    pub fn at_concurrency(&self, concurrency: f64) -> Load {
        self.load(concurrency, self.prefill_ms())
    }

    fn load(&self, concurrency: f64, prefill_ms: f64) -> Load {
        let n = concurrency.max(1.0);
        let step = self.step_ms(n, true).0;
        Load {
            concurrency: n,
            tpot_ms: step,
            ttft_ms: prefill_ms + step,
            output_tokens_per_s: n / (step / 1000.0),
        }
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
