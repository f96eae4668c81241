//! Queueing delay of a multi-server system: Erlang C (M/M/c).
//!
//! A continuously batching server is a multi-server queue: each batch slot of each replica
//! serves one request at a time. With Poisson arrivals at rate `λ`, mean service time `S` and
//! `c` slots, the offered load is `a = λ S` and the utilization `ρ = a / c`. The probability
//! that a request waits is Erlang C, and the wait of those who wait is exponential with rate
//! `c (1 - ρ) / S`, so `P(W > t) = C(c, a) e^(-c (1 - ρ) t / S)`. Waiting grows without bound
//! as `ρ` nears 1. Exponential service is the Allen-Cunneen approximation's case of a
//! squared coefficient of variation of 1, fitting for request durations that vary with their
//! output length.

use serde::Serialize;

/// Servers up to which Erlang C is worked out exactly (one step per server); above, the
/// Halfin-Whitt limit, whose error shrinks as `1 / sqrt(servers)` (within 3% here wherever
/// the wait probability is 1% or more), so that the work stays bounded however many replicas
/// a volume needs.
pub const EXACT_UP_TO: u64 = 10_000;

/// The probability that an arrival waits, `C(c, a)`, for `servers` servers and offered load
/// `load` (in erlangs); 1 when the system is saturated (`load >= servers`).
pub fn erlang_c(servers: u64, load: f64) -> f64 {
    let c = servers as f64;
    if servers == 0 || load >= c {
        return 1.0;
    }
    if load <= 0.0 {
        return 0.0;
    }
    if servers > EXACT_UP_TO {
        return halfin_whitt(c, load);
    }
    // Erlang B by the stable recurrence on its reciprocal, 1/B(k) = 1 + (k/a) / B(k-1): two
    // multiplications and an add a step where B's own recurrence divides (it runs up to 10,000
    // steps for every candidate deployment). Every term is positive, so nothing cancels. Past
    // the load 1/B grows geometrically; once it overflows, B is below the smallest float.
    let per_erlang = 1.0 / load;
    let mut inverse = 1.0_f64;
    for k in 1..=servers {
        inverse = 1.0 + k as f64 * per_erlang * inverse;
        if inverse.is_infinite() {
            return 0.0;
        }
    }
    let b = 1.0 / inverse;
    let rho = load / c;
    b / (1.0 - rho * (1.0 - b))
}

/// Erlang C in the many-server (Halfin-Whitt) limit: with `beta = (c - a) / sqrt(a)`,
/// `C = 1 / (1 + beta Phi(beta) / phi(beta))`, Phi and phi the standard normal CDF and density.
fn halfin_whitt(c: f64, load: f64) -> f64 {
    let beta = (c - load) / load.sqrt();
    let pdf = (-beta * beta / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let cdf = 0.5 * libm::erfc(-beta / std::f64::consts::SQRT_2);
    if pdf == 0.0 {
        // Far from saturation: no one waits.
        return 0.0;
    }
    1.0 / (1.0 + beta * cdf / pdf)
}

/// The waiting time exceeded with probability `1 - q` (the `q` quantile), in the unit of
/// `service`: `ln(C / (1 - q)) S / (c (1 - ρ))` when `C > 1 - q`, else 0. Infinite when the
/// system is saturated.
pub fn wait_quantile(servers: u64, load: f64, service: f64, q: f64) -> f64 {
    let c = servers as f64;
    if servers == 0 || load >= c {
        return f64::INFINITY;
    }
    tail_wait(servers, load, service, q, erlang_c(servers, load))
}

/// [`wait_quantile`] with the wait probability `C(c, a)` already known.
fn tail_wait(servers: u64, load: f64, service: f64, q: f64, p_wait: f64) -> f64 {
    let c = servers as f64;
    if servers == 0 || load >= c {
        return f64::INFINITY;
    }
    let tail = 1.0 - q;
    if p_wait <= tail {
        return 0.0;
    }
    (p_wait / tail).ln() * service / (c * (1.0 - load / c))
}

/// Queueing of a deployment at its peak hour.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Queue {
    /// Batch slots over all serving replicas.
    pub servers: u64,
    /// Requests per second at the peak.
    pub arrivals_per_s: f64,
    /// Mean time a request holds a slot (prefill plus its output tokens), ms.
    pub service_ms: f64,
    /// Offered load over servers at the peak.
    pub utilization: f64,
    /// Probability a request waits for a slot.
    pub wait_probability: f64,
    /// Median wait, ms.
    pub wait_p50_ms: f64,
    /// 95th-percentile wait, ms.
    pub wait_p95_ms: f64,
    /// 99th-percentile wait, ms.
    pub wait_p99_ms: f64,
}

impl Queue {
    /// The queue of `servers` slots, `arrivals_per_s` requests per second, `service_ms` each.
    pub fn new(servers: u64, arrivals_per_s: f64, service_ms: f64) -> Queue {
        let load = arrivals_per_s * service_ms / 1000.0;
        // Erlang C costs O(servers); compute it once for all three quantiles.
        let p_wait = erlang_c(servers, load);
        Queue {
            servers,
            arrivals_per_s,
            service_ms,
            utilization: if servers == 0 {
                f64::INFINITY
            } else {
                load / servers as f64
            },
            wait_probability: p_wait,
            wait_p50_ms: tail_wait(servers, load, service_ms, 0.5, p_wait),
            wait_p95_ms: tail_wait(servers, load, service_ms, 0.95, p_wait),
            wait_p99_ms: tail_wait(servers, load, service_ms, 0.99, p_wait),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_by_hand() {
        // M/M/1: C = ρ. M/M/2 at a = 1: B(2) = 0.2, C = 0.2 / (1 - 0.5 x 0.8) = 1/3.
        let cases: &[(u64, f64, f64)] = &[
            (1, 0.5, 0.5),
            (1, 0.9, 0.9),
            (2, 1.0, 1.0 / 3.0),
            (3, 3.0, 1.0),
            (5, 0.0, 0.0),
        ];
        for &(c, a, want) in cases {
            assert!((erlang_c(c, a) - want).abs() < 1e-12, "c={c} a={a}");
        }
    }

    #[test]
    fn wait_quantiles_by_hand() {
        // M/M/1 at ρ = 0.5, S = 1: P(W > t) = 0.5 e^(-0.5 t); p95 = 2 ln 10, p50 = 0.
        assert!((wait_quantile(1, 0.5, 1.0, 0.95) - 2.0 * 10f64.ln()).abs() < 1e-12);
        assert_eq!(wait_quantile(1, 0.5, 1.0, 0.5), 0.0);
        // ρ = 0.9: p50 = ln(1.8) / 0.1.
        assert!((wait_quantile(1, 0.9, 1.0, 0.5) - 1.8f64.ln() / 0.1).abs() < 1e-9);
        assert_eq!(wait_quantile(2, 2.0, 1.0, 0.95), f64::INFINITY);
    }

    #[test]
    fn many_servers_use_the_halfin_whitt_limit_close_to_the_exact_value() {
        // At the threshold both are defined. Where waiting matters (C of 1% or more, the p99
        // wait is then over zero) the limit is within 3% of the exact recurrence (2.4% at
        // 98% load, 0.6% at 99%); further from saturation both are under 1%.
        for rho in [0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 0.999] {
            let c = EXACT_UP_TO;
            let a = rho * c as f64;
            let exact = erlang_c(c, a);
            let limit = halfin_whitt(c as f64, a);
            if exact >= 0.01 {
                assert!(
                    (limit - exact).abs() <= 0.03 * exact,
                    "rho {rho}: {limit} vs {exact}"
                );
            } else {
                assert!(limit < 0.01, "rho {rho}: {limit} vs {exact}");
            }
        }
        // A billion slots answer at once (no step per slot) and sensibly: at 99.99% load the
        // wait probability is that of beta = 0.0001 sqrt(1e9) = 3.16.
        let c = erlang_c(1_000_000_000, 0.9999e9);
        assert!(c > 0.0 && c < 0.01, "{c}");
        assert_eq!(erlang_c(1_000_000_000, 0.5e9), 0.0);
    }

    #[test]
    fn waiting_grows_sharply_near_saturation() {
        // 200 slots of 10 s: negligible wait at 70%, real wait at 99%.
        let at = |rho: f64| Queue::new(200, rho * 200.0 / 10.0, 10_000.0);
        assert_eq!(at(0.7).wait_p95_ms, 0.0);
        assert!(at(0.99).wait_p95_ms > 100.0);
        assert!(at(0.999).wait_p95_ms > at(0.99).wait_p95_ms * 5.0);
    }
}
