//! Latency on both sides, against one target.
//!
//! - **API**: network round trip (the article's 50-150 ms; a region or a measured RTT narrows
//!   it), queueing at the provider (the article's 0-500 ms, as an exponential delay with its
//!   95th percentile at 500 ms), and the model's own time to first token, taken from a measured
//!   end-to-end median with the median network and queueing taken out; output speed from the
//!   same measurement. Without a measurement only network and queueing are known: a lower bound.
//! - **Self-hosted**: internal round trip (the article's 1-10 ms), queueing for a batch slot
//!   (Erlang C at the peak-hour utilization, `queueing`), prefill plus one decode step and time
//!   per output token from the sizing engine. A packaged setup has no sizing: a lower bound.
//!
//! End-to-end time is time to first token plus the output tokens times the time per token.

use crate::engine::serving::queueing::Queue;
use crate::model::catalog::ApiModel;
use crate::model::catalog::policy::{Policy, RangeMs};
use crate::model::date::Date;
use crate::model::workload::{ApiNetwork, LatencyMetric, LatencyTarget, Percentile};
use serde::Serialize;

/// Which part of the time to first token a component is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// The network round trip.
    NetworkRtt,
    /// Queueing at the API provider.
    Queue,
    /// The API model's own time to first token.
    ModelTtft,
    /// Queueing for a batch slot on the self-hosted side.
    QueueForSlot,
    /// Prompt prefill plus one decode step (the kernels).
    PrefillAndFirstStep,
    /// The launch time of the prompt's forwards outside CUDA graphs.
    PrefillLaunch,
}

crate::named!(Part {
    NetworkRtt => "network_rtt",
    Queue => "queue",
    ModelTtft => "model_ttft",
    QueueForSlot => "queue_for_slot",
    PrefillAndFirstStep => "prefill_and_first_step",
    PrefillLaunch => "prefill_launch",
});

/// Where a component's figures come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// The API round trip from the policy's range, placed by what is known of the region.
    ApiNetwork(ApiNetwork),
    /// The internal round trip from the policy's range.
    SelfHostNetwork,
    /// The policy's API queueing range, as an exponential delay with its p95 at the top.
    ApiQueue {
        /// The p95, ms.
        p95_ms: f64,
    },
    /// A measured median TTFT with the median network and queueing taken out.
    Measured {
        /// The measured median, ms.
        ttft_ms: f64,
        /// Median network, ms.
        network_ms: f64,
        /// Median queueing, ms.
        queue_ms: f64,
        /// The measurement's source.
        source: String,
        /// When it was checked.
        checked: Option<Date>,
    },
    /// Erlang C over the batch slots at the peak hour.
    ErlangC(Queue),
    /// The sizing engine's prefill plus one decode step at the operating batch.
    Sizing,
    /// The engine's launch time a layer of the prompt's forwards outside CUDA graphs.
    Launch,
}

/// One part of the time to first token.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    /// Which part.
    pub name: Part,
    /// Median contribution, ms.
    pub p50_ms: f64,
    /// 95th-percentile contribution, ms.
    pub p95_ms: f64,
    /// 99th-percentile contribution, ms.
    pub p99_ms: f64,
    /// Where it comes from.
    #[serde(skip)]
    pub source: Origin,
}

/// A side's latency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatencyEstimate {
    /// Median time to first token, ms.
    pub ttft_p50_ms: f64,
    /// 95th-percentile time to first token, ms.
    pub ttft_p95_ms: f64,
    /// 99th-percentile time to first token, ms.
    pub ttft_p99_ms: f64,
    /// Time per output token, ms; `None` when unknown.
    pub tpot_ms: Option<f64>,
    /// Output tokens of the request, for the end-to-end figures.
    pub output_tokens: f64,
    /// Median end-to-end time: TTFT p50 + output tokens x TPOT, ms.
    pub e2e_p50_ms: Option<f64>,
    /// 95th-percentile end-to-end time: TTFT p95 + output tokens x TPOT, ms.
    pub e2e_p95_ms: Option<f64>,
    /// The figures leave part of the time out and are lower bounds.
    pub lower_bound: bool,
    /// The parts that add up to the time to first token.
    pub components: Vec<Component>,
    /// The figure compared with the target, ms.
    pub target_estimate_ms: Option<f64>,
    /// `true`/`false` against the target; `None` with no target, or when a lower bound does
    /// not settle it.
    pub meets_target: Option<bool>,
}

impl LatencyEstimate {
    fn new(
        components: Vec<Component>,
        tpot_ms: Option<f64>,
        output_tokens: f64,
        lower_bound: bool,
        target: Option<&LatencyTarget>,
    ) -> Self {
        let sum = |f: fn(&Component) -> f64| components.iter().map(f).sum::<f64>();
        let (p50, p95, p99) = (sum(|c| c.p50_ms), sum(|c| c.p95_ms), sum(|c| c.p99_ms));
        let e2e = |ttft: f64| tpot_ms.map(|t| ttft + output_tokens * t);
        let mut e = LatencyEstimate {
            ttft_p50_ms: p50,
            ttft_p95_ms: p95,
            ttft_p99_ms: p99,
            tpot_ms,
            output_tokens,
            e2e_p50_ms: e2e(p50),
            e2e_p95_ms: e2e(p95),
            lower_bound,
            components,
            target_estimate_ms: None,
            meets_target: None,
        };
        if let Some(t) = target {
            e.target_estimate_ms = e.figure(t);
            e.meets_target =
                e.target_estimate_ms
                    .and_then(|v| match (v <= t.target_ms, lower_bound) {
                        (false, _) => Some(false),
                        (true, false) => Some(true),
                        (true, true) => None,
                    });
        }
        e
    }

    /// The figure a target applies to, ms; `None` when unknown.
    pub fn figure(&self, t: &LatencyTarget) -> Option<f64> {
        let ttft = match t.percentile {
            Percentile::P50 => self.ttft_p50_ms,
            Percentile::P95 => self.ttft_p95_ms,
            Percentile::P99 => self.ttft_p99_ms,
        };
        match t.metric {
            LatencyMetric::Ttft => Some(ttft),
            LatencyMetric::Tpot => self.tpot_ms,
            LatencyMetric::E2e => self.tpot_ms.map(|tp| ttft + self.output_tokens * tp),
        }
    }
}

fn network(range: RangeMs, network: ApiNetwork, source: Origin) -> Component {
    let (p50, p95) = match network {
        ApiNetwork::Unknown => (f64::midpoint(range.min_ms, range.max_ms), range.max_ms),
        ApiNetwork::Near => (range.min_ms, range.min_ms),
        ApiNetwork::Far => (range.max_ms, range.max_ms),
        ApiNetwork::Measured(ms) => (ms, ms),
    };
    Component {
        name: Part::NetworkRtt,
        p50_ms: p50,
        p95_ms: p95,
        p99_ms: p95,
        source,
    }
}

/// API queueing: exponential with its 95th percentile at the top of the article's range.
fn api_queue(range: RangeMs) -> Component {
    let mean = range.max_ms / 20f64.ln();
    Component {
        name: Part::Queue,
        p50_ms: mean * 2f64.ln(),
        p95_ms: range.max_ms,
        p99_ms: mean * 100f64.ln(),
        source: Origin::ApiQueue {
            p95_ms: range.max_ms,
        },
    }
}

/// The API side for a request of `output_tokens`.
pub fn api(
    policy: &Policy,
    model: &ApiModel,
    where_: ApiNetwork,
    output_tokens: f64,
    target: Option<&LatencyTarget>,
) -> LatencyEstimate {
    let net = network(
        policy.latency.api_network_rtt,
        where_,
        Origin::ApiNetwork(where_),
    );
    let queue = api_queue(policy.latency.api_queue);
    let Some(measured) = &model.latency else {
        return LatencyEstimate::new(vec![net, queue], None, output_tokens, true, target);
    };
    // The measured median is end to end from the measurer's client: take out the median
    // network and queueing to leave the model's own time.
    let (median_net, median_queue) = (
        f64::midpoint(
            policy.latency.api_network_rtt.min_ms,
            policy.latency.api_network_rtt.max_ms,
        ),
        queue.p50_ms,
    );
    let own = (measured.ttft_ms - median_net - median_queue).max(0.0);
    let model_part = Component {
        name: Part::ModelTtft,
        p50_ms: own,
        p95_ms: own,
        p99_ms: own,
        source: Origin::Measured {
            ttft_ms: measured.ttft_ms,
            network_ms: median_net,
            queue_ms: median_queue,
            source: measured.provenance.source.clone(),
            checked: measured.provenance.checked,
        },
    };
    LatencyEstimate::new(
        vec![net, queue, model_part],
        Some(1000.0 / measured.output_tokens_per_s),
        output_tokens,
        false,
        target,
    )
}

/// Inference of a sized deployment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Inference {
    /// Prefill plus one decode step, ms.
    pub ttft_ms: f64,
    /// Of `ttft_ms`, the launch time of the prompt's forwards outside CUDA graphs, ms.
    pub launch_ms: f64,
    /// Time per output token at the operating batch, ms.
    pub tpot_ms: f64,
    /// Output tokens of a request.
    pub output_tokens: f64,
    /// Queueing for a batch slot at the peak.
    pub queue: Queue,
}

/// The self-hosted side: internal network, and the sized deployment's queueing and inference
/// when there is one (a packaged setup gives a lower bound).
pub fn self_host(
    policy: &Policy,
    inference: Option<Inference>,
    output_tokens: f64,
    target: Option<&LatencyTarget>,
) -> LatencyEstimate {
    let net = network(
        policy.latency.self_host_network_rtt,
        ApiNetwork::Unknown,
        Origin::SelfHostNetwork,
    );
    let Some(inf) = inference else {
        return LatencyEstimate::new(vec![net], None, output_tokens, true, target);
    };
    let q = inf.queue;
    let sized = |name: Part, ms: f64, source: Origin| Component {
        name,
        p50_ms: ms,
        p95_ms: ms,
        p99_ms: ms,
        source,
    };
    let mut components = vec![
        net,
        Component {
            name: Part::QueueForSlot,
            p50_ms: q.wait_p50_ms,
            p95_ms: q.wait_p95_ms,
            p99_ms: q.wait_p99_ms,
            source: Origin::ErlangC(q),
        },
        sized(
            Part::PrefillAndFirstStep,
            inf.ttft_ms - inf.launch_ms,
            Origin::Sizing,
        ),
    ];
    // Shown where the engine pays it.
    if inf.launch_ms > 0.0 {
        components.push(sized(Part::PrefillLaunch, inf.launch_ms, Origin::Launch));
    }
    LatencyEstimate::new(
        components,
        Some(inf.tpot_ms),
        inf.output_tokens,
        false,
        target,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{api as api_model, article_policy};
    use crate::model::catalog::{ApiLatency, Provenance};

    fn target(ms: f64, metric: LatencyMetric, percentile: Percentile) -> LatencyTarget {
        LatencyTarget {
            target_ms: ms,
            metric,
            percentile,
        }
    }

    fn measured() -> ApiModel {
        let mut m = api_model("gpt-4o", 2.5, 10.0, None, None);
        m.latency = Some(ApiLatency {
            ttft_ms: 450.0,
            output_tokens_per_s: 131.0,
            provenance: Provenance {
                checked: None,
                source: "test".into(),
            },
        });
        m
    }

    #[test]
    fn api_queue_is_exponential_with_p95_at_500() {
        let q = api_queue(article_policy().latency.api_queue);
        let mean = 500.0 / 20f64.ln();
        assert!((q.p50_ms - mean * 2f64.ln()).abs() < 1e-9);
        assert!((q.p50_ms - 115.68).abs() < 0.01);
        assert_eq!(q.p95_ms, 500.0);
        assert!((q.p99_ms - 768.7).abs() < 0.1);
    }

    #[test]
    fn measured_api_decomposes_its_median() {
        // 450 ms measured median = 100 ms network + 115.7 ms queueing + 234.3 ms the model's own.
        let policy = article_policy();
        let e = api(&policy, &measured(), ApiNetwork::Unknown, 500.0, None);
        assert!(
            (e.ttft_p50_ms - 450.0).abs() < 1e-9,
            "the median comes back exactly"
        );
        let own = 450.0 - 100.0 - 500.0 / 20f64.ln() * 2f64.ln();
        assert!((e.ttft_p95_ms - (150.0 + 500.0 + own)).abs() < 1e-9);
        let tpot = 1000.0 / 131.0;
        assert_eq!(e.tpot_ms, Some(tpot));
        assert!((e.e2e_p95_ms.unwrap() - (e.ttft_p95_ms + 500.0 * tpot)).abs() < 1e-9);
        assert!(!e.lower_bound);
    }

    #[test]
    fn api_against_targets() {
        let policy = article_policy();
        let m = measured();
        let own = 450.0 - 100.0 - 500.0 / 20f64.ln() * 2f64.ln();
        let p95 = 150.0 + 500.0 + own;
        #[rustfmt::skip]
        let cases: &[(LatencyTarget, ApiNetwork, Option<bool>)] = &[
            (target(150.0, LatencyMetric::Ttft, Percentile::P95), ApiNetwork::Unknown, Some(false)),
            (target(p95, LatencyMetric::Ttft, Percentile::P95), ApiNetwork::Unknown, Some(true)),
            (target(450.0, LatencyMetric::Ttft, Percentile::P50), ApiNetwork::Unknown, Some(true)),
            (target(449.0, LatencyMetric::Ttft, Percentile::P50), ApiNetwork::Unknown, Some(false)),
            (target(400.0, LatencyMetric::Ttft, Percentile::P50), ApiNetwork::Near, Some(true)),
            (target(8.0, LatencyMetric::Tpot, Percentile::P95), ApiNetwork::Unknown, Some(true)),
            (target(7.0, LatencyMetric::Tpot, Percentile::P95), ApiNetwork::Unknown, Some(false)),
        ];
        for (t, net, want) in cases {
            assert_eq!(
                api(&policy, &m, *net, 500.0, Some(t)).meets_target,
                *want,
                "{t:?} {net:?}"
            );
        }
    }

    #[test]
    fn unmeasured_api_is_a_lower_bound() {
        let policy = article_policy();
        let bare = api_model("x", 1.0, 1.0, None, None);
        let miss = api(
            &policy,
            &bare,
            ApiNetwork::Unknown,
            500.0,
            Some(&target(150.0, LatencyMetric::Ttft, Percentile::P95)),
        );
        assert_eq!(
            (miss.ttft_p95_ms, miss.meets_target, miss.lower_bound),
            (650.0, Some(false), true)
        );
        let unsure = api(
            &policy,
            &bare,
            ApiNetwork::Unknown,
            500.0,
            Some(&target(1000.0, LatencyMetric::Ttft, Percentile::P95)),
        );
        assert_eq!(unsure.meets_target, None);
        assert_eq!(unsure.tpot_ms, None);
    }

    #[test]
    fn self_host_adds_queue_and_inference() {
        // 10 ms network at p95 + queue + 90 ms prefill and first step, 30 ms of it the prompt's
        // launches (a part of its own); e2e adds 500 x 20 ms.
        let policy = article_policy();
        let queue = Queue::new(100, 7.0, 10_000.0);
        let inf = Inference {
            ttft_ms: 90.0,
            launch_ms: 30.0,
            tpot_ms: 20.0,
            output_tokens: 500.0,
            queue,
        };
        let e = self_host(
            &policy,
            Some(inf),
            500.0,
            Some(&target(100.0, LatencyMetric::Ttft, Percentile::P95)),
        );
        assert!((e.ttft_p95_ms - (10.0 + queue.wait_p95_ms + 90.0)).abs() < 1e-9);
        let parts: Vec<(Part, f64)> = e.components.iter().map(|c| (c.name, c.p95_ms)).collect();
        assert_eq!(
            parts[2..],
            [
                (Part::PrefillAndFirstStep, 60.0),
                (Part::PrefillLaunch, 30.0)
            ]
        );
        assert_eq!(e.meets_target, Some(e.ttft_p95_ms <= 100.0));
        assert!((e.e2e_p95_ms.unwrap() - (e.ttft_p95_ms + 10_000.0)).abs() < 1e-9);
        let bare = self_host(
            &policy,
            None,
            500.0,
            Some(&target(5.0, LatencyMetric::Ttft, Percentile::P95)),
        );
        assert_eq!((bare.ttft_p95_ms, bare.meets_target), (10.0, Some(false)));
    }
}
