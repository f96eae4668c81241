//! Latency on each side against the workload's target, from the article's components:
//! network round trip and queueing (policy ranges). Inference time is not modelled here, so
//! the figures are lower bounds: they can prove that a side misses a target, not that it
//! meets one.

use crate::model::policy::{Policy, RangeMs};
use crate::model::workload::{LatencyMetric, LatencyTarget, Percentile};
use serde::Serialize;

/// One part of a latency figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    /// What it is: `network_rtt`, `queue`.
    pub name: &'static str,
    /// Median contribution, ms.
    pub p50_ms: f64,
    /// 95th-percentile contribution, ms.
    pub p95_ms: f64,
    /// Where the range comes from.
    pub source: &'static str,
}

/// A side's latency before inference, and whether that alone misses the target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatencyEstimate {
    /// Median time to first token, lower bound (before inference), ms.
    pub ttft_p50_ms: f64,
    /// 95th-percentile time to first token, lower bound, ms.
    pub ttft_p95_ms: f64,
    /// The figures exclude inference time and are lower bounds.
    pub lower_bound: bool,
    /// The parts that add up to the figures.
    pub components: Vec<Component>,
    /// `Some(false)` when the lower bound alone misses the target; `None` when it cannot be
    /// told yet (or there is no target).
    pub meets_target: Option<bool>,
}

fn component(name: &'static str, range: RangeMs, source: &'static str) -> Component {
    Component {
        name,
        p50_ms: (range.min_ms + range.max_ms) / 2.0,
        p95_ms: range.max_ms,
        source,
    }
}

fn estimate(components: Vec<Component>, target: Option<&LatencyTarget>) -> LatencyEstimate {
    let p50: f64 = components.iter().map(|c| c.p50_ms).sum();
    let p95: f64 = components.iter().map(|c| c.p95_ms).sum();
    let meets_target = target.and_then(|t| {
        let floor = match (t.metric, t.percentile) {
            (LatencyMetric::Tpot, _) => return None,
            (_, Percentile::P50) => p50,
            (_, Percentile::P95 | Percentile::P99) => p95,
        };
        (floor > t.target_ms).then_some(false)
    });
    LatencyEstimate {
        ttft_p50_ms: p50,
        ttft_p95_ms: p95,
        lower_bound: true,
        components,
        meets_target,
    }
}

/// The API side: network round trip plus queueing, before inference.
pub fn api(policy: &Policy, target: Option<&LatencyTarget>) -> LatencyEstimate {
    estimate(
        vec![
            component(
                "network_rtt",
                policy.latency.api_network_rtt,
                "policy.latency.api_network_rtt_ms (article: 50-150 ms)",
            ),
            component(
                "queue",
                policy.latency.api_queue,
                "policy.latency.api_queue_ms (article: 0-500 ms)",
            ),
        ],
        target,
    )
}

/// Inference times of a sized deployment, without queueing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Inference {
    /// Prefill plus one decode step, ms.
    pub ttft_ms: f64,
    /// Time per output token at the operating batch, ms.
    pub tpot_ms: f64,
    /// Output tokens of a request.
    pub output_tokens: f64,
}

/// The self-hosted side: internal network round trip, plus the sized deployment's inference
/// time when there is one (then the figures are estimates, not lower bounds).
pub fn self_host(
    policy: &Policy,
    target: Option<&LatencyTarget>,
    inference: Option<Inference>,
) -> LatencyEstimate {
    let network = component(
        "network_rtt",
        policy.latency.self_host_network_rtt,
        "policy.latency.self_host_network_rtt_ms (article: 1-10 ms)",
    );
    let Some(inf) = inference else {
        return estimate(vec![network], target);
    };
    let components = vec![
        network,
        Component {
            name: "prefill_and_first_step",
            p50_ms: inf.ttft_ms,
            p95_ms: inf.ttft_ms,
            source: "sizing engine: prompt prefill plus one decode step at the operating batch",
        },
    ];
    let p50: f64 = components.iter().map(|c| c.p50_ms).sum();
    let p95: f64 = components.iter().map(|c| c.p95_ms).sum();
    let meets_target = target.map(|t| {
        let ttft = match t.percentile {
            Percentile::P50 => p50,
            Percentile::P95 | Percentile::P99 => p95,
        };
        let estimate = match t.metric {
            LatencyMetric::Ttft => ttft,
            LatencyMetric::Tpot => inf.tpot_ms,
            LatencyMetric::E2e => ttft + inf.output_tokens * inf.tpot_ms,
        };
        estimate <= t.target_ms
    });
    LatencyEstimate {
        ttft_p50_ms: p50,
        ttft_p95_ms: p95,
        lower_bound: false,
        components,
        meets_target,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::article_policy;

    fn target(ms: f64, metric: LatencyMetric, percentile: Percentile) -> LatencyTarget {
        LatencyTarget {
            target_ms: ms,
            metric,
            percentile,
        }
    }

    #[test]
    fn api_floor_against_targets() {
        let policy = article_policy();
        let cases: &[(LatencyTarget, Option<bool>)] = &[
            (
                target(150.0, LatencyMetric::Ttft, Percentile::P95),
                Some(false),
            ),
            (target(700.0, LatencyMetric::Ttft, Percentile::P95), None),
            (
                target(300.0, LatencyMetric::Ttft, Percentile::P50),
                Some(false),
            ),
            (target(400.0, LatencyMetric::Ttft, Percentile::P50), None),
            (target(5.0, LatencyMetric::Tpot, Percentile::P95), None),
            (
                target(600.0, LatencyMetric::E2e, Percentile::P99),
                Some(false),
            ),
        ];
        for (t, want) in cases {
            let e = api(&policy, Some(t));
            assert_eq!((e.ttft_p50_ms, e.ttft_p95_ms), (350.0, 650.0));
            assert_eq!(e.meets_target, *want, "{t:?}");
        }
        assert_eq!(api(&policy, None).meets_target, None);
    }

    #[test]
    fn self_host_floor() {
        let policy = article_policy();
        let p95 = |ms| target(ms, LatencyMetric::Ttft, Percentile::P95);
        let e = self_host(&policy, Some(&p95(150.0)), None);
        assert_eq!(
            (e.ttft_p50_ms, e.ttft_p95_ms, e.meets_target),
            (5.5, 10.0, None)
        );
        let tight = self_host(&policy, Some(&p95(5.0)), None);
        assert_eq!(tight.meets_target, Some(false));
    }

    #[test]
    fn self_host_with_inference() {
        // 10 ms network at p95 + 90 ms prefill and first step = 100 ms (95.5 ms median);
        // e2e adds 500 tokens x 20 ms.
        let policy = article_policy();
        let inf = Some(Inference {
            ttft_ms: 90.0,
            tpot_ms: 20.0,
            output_tokens: 500.0,
        });
        #[rustfmt::skip]
        let cases: &[(LatencyTarget, bool)] = &[
            (target(100.0, LatencyMetric::Ttft, Percentile::P95), true),
            (target(99.0, LatencyMetric::Ttft, Percentile::P95), false),
            (target(96.0, LatencyMetric::Ttft, Percentile::P50), true),
            (target(20.0, LatencyMetric::Tpot, Percentile::P95), true),
            (target(10_099.0, LatencyMetric::E2e, Percentile::P95), false),
            (target(10_100.0, LatencyMetric::E2e, Percentile::P95), true),
        ];
        for (t, want) in cases {
            let e = self_host(&policy, Some(t), inf);
            assert!(!e.lower_bound);
            assert_eq!(e.meets_target, Some(*want), "{t:?}");
        }
    }
}
