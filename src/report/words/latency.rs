//! Latency in words: where each part of the time to first token comes from, a side's figure
//! against a target, and a target itself.

use crate::engine::selfhost::search::LoadLatency;
use crate::engine::serving::latency::{Component, LatencyEstimate, Origin};
use crate::model::Named;
use crate::model::units::fmt_ms;
use crate::model::workload::{ApiNetwork, LatencyMetric, LatencyTarget, Percentile};

/// Where a component's figures come from.
pub fn origin(o: &Origin) -> String {
    const API_RTT: &str = "policy.latency.api_network_rtt_ms (article: 50-150 ms)";
    match o {
        Origin::ApiNetwork(ApiNetwork::Unknown) => API_RTT.into(),
        Origin::ApiNetwork(ApiNetwork::Near) => format!("{API_RTT}, near region: the low end"),
        Origin::ApiNetwork(ApiNetwork::Far) => format!("{API_RTT}, far region: the high end"),
        Origin::ApiNetwork(ApiNetwork::Measured(_)) => "measured round trip (workload)".into(),
        Origin::SelfHostNetwork => {
            "policy.latency.self_host_network_rtt_ms (article: 1-10 ms, internal network)".into()
        }
        Origin::ApiQueue { p95_ms } => format!(
            "policy.latency.api_queue_ms (article: 0-500 ms), exponential with p95 at {}",
            fmt_ms(*p95_ms)
        ),
        Origin::Measured {
            ttft_ms,
            network_ms,
            queue_ms,
            source,
            checked,
        } => format!(
            "measured median TTFT {} minus median network {} and queueing {} ({source}, {})",
            fmt_ms(*ttft_ms),
            fmt_ms(*network_ms),
            fmt_ms(*queue_ms),
            checked.map_or_else(String::new, |d| d.to_string())
        ),
        Origin::ErlangC(q) => format!(
            "Erlang C: {} batch slots at {:.0}% utilization, {} per request (P(wait) {:.3})",
            q.servers,
            q.utilization * 100.0,
            fmt_ms(q.service_ms),
            q.wait_probability
        ),
        Origin::Sizing => {
            "sizing engine: prompt prefill plus one decode step at the operating batch".into()
        }
        Origin::Launch => {
            "engine profile: launch time a layer of the prompt's forwards outside CUDA graphs"
                .into()
        }
    }
}

/// A component's name in prose: "network rtt".
pub fn part(c: &Component) -> String {
    c.name.id().replace('_', " ")
}

/// A target in words: "150 ms p95 ttft".
pub fn target(t: &LatencyTarget) -> String {
    format!(
        "{} {} {}",
        fmt_ms(t.target_ms),
        t.percentile.id(),
        t.metric.id()
    )
}

fn percentile_of(c: &Component, p: Percentile) -> f64 {
    match p {
        Percentile::P50 => c.p50_ms,
        Percentile::P95 => c.p95_ms,
        Percentile::P99 => c.p99_ms,
    }
}

/// A side's latency in words: the figure the target applies to, its parts, and the verdict.
pub fn against(e: &LatencyEstimate, t: &LatencyTarget) -> String {
    let parts: Vec<String> = e
        .components
        .iter()
        .map(|c| format!("{} {}", part(c), fmt_ms(percentile_of(c, t.percentile))))
        .collect();
    let figure = match e.target_estimate_ms {
        Some(v) if e.lower_bound => format!(
            "at least {} before inference ({})",
            fmt_ms(v),
            parts.join(" + ")
        ),
        Some(v) => match t.metric {
            LatencyMetric::Ttft => format!("{} ({})", fmt_ms(v), parts.join(" + ")),
            LatencyMetric::Tpot => format!("{} per output token", fmt_ms(v)),
            LatencyMetric::E2e => format!(
                "{} (time to first token plus {} tokens x {})",
                fmt_ms(v),
                e.output_tokens,
                fmt_ms(e.tpot_ms.unwrap_or(0.0))
            ),
        },
        None => "unknown (no measurement of its output speed)".to_string(),
    };
    let verdict = match e.meets_target {
        Some(true) => "meets it",
        Some(false) => "misses it",
        None => "cannot be judged",
    };
    format!("{figure}, {verdict}")
}

/// The self-hosted per-token time at the load the plan carries, beside the average hour's and
/// the ceiling at the largest batch the plan allows.
pub fn at_load(l: &LoadLatency) -> String {
    format!(
        "Self-host TPOT {} at the peak hour ({:.1} sequences running a replica), {} in an average hour ({:.1}), {} at the largest batch the plan allows.",
        fmt_ms(l.tpot_at_peak_ms),
        l.concurrency_at_peak,
        fmt_ms(l.tpot_at_average_ms),
        l.concurrency_at_average,
        fmt_ms(l.tpot_at_capacity_ms)
    )
}
