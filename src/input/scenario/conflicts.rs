//! Values that cannot all be used as given, refused with both named rather than one silently
//! winning: the self-hosted side described twice (a packaged setup and a deployment, or a
//! unit's cost and capacity together with either), and an input share that contradicts the
//! request shape. (The volume given twice is settled in `resolve::volume`.)

use crate::model::Named;
use crate::model::catalog::hardware::Hosting;
use crate::model::problem::Problems;
use crate::model::units::{fmt_ms, fmt_share, fmt_tokens, fmt_usd};
use crate::model::workload::spec::{Origin, Sourced, WorkloadSpec};

/// A field that is set: where it came from and its value as a message shows it.
struct Set<'a> {
    origin: &'a Origin,
    value: String,
}

impl Set<'_> {
    /// `--gpu h200`, or `self_host.gpu: h200 (team.yaml:12)`.
    fn named(&self) -> String {
        self.origin.named(&self.value)
    }
}

fn set<T>(v: &Option<Sourced<T>>, text: impl Fn(&T) -> String) -> Option<Set<'_>> {
    v.as_ref().map(|s| Set {
        origin: &s.origin,
        value: text(&s.value),
    })
}

/// The deployment fields that are set, in the order of the field table.
fn deployment(spec: &WorkloadSpec) -> Vec<Set<'_>> {
    [
        set(&spec.model, String::clone),
        set(&spec.gpu, String::clone),
        set(&spec.gpus, u32::to_string),
        set(&spec.precision, String::clone),
        set(&spec.tp, u32::to_string),
        set(&spec.hosting, |h| h.id().to_string()),
        set(&spec.price_kind, |k| k.id().to_string()),
        set(&spec.engine, String::clone),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Checks every pair of values that cannot both be used.
pub(super) fn check(spec: &WorkloadSpec, problems: &mut Problems) {
    self_host(spec, problems);
    mix(spec, problems);
    api_mix(spec, problems);
    without_effect(spec, problems);
    if let (Some(rtt), Some(region)) = (&spec.api_rtt_ms, &spec.api_region) {
        problems.push(
            region
                .origin
                .problem(format!(
                    "{} and {} both give the API's round trip",
                    rtt.origin.named(&fmt_ms(rtt.value)),
                    region.origin.named(region.value.id())
                ))
                .fix(format!(
                    "give one: {} (measured) or {} (near or far)",
                    rtt.origin.key(),
                    region.origin.key()
                )),
        );
    }
}

/// A mix of APIs beside one API, or beside a frontier share: the mix already says where all
/// the traffic goes, and which of it stays on an API (the parts of a tier no open model
/// reaches).
fn api_mix(spec: &WorkloadSpec, problems: &mut Problems) {
    let Some(mix) = &spec.apis else {
        return;
    };
    let shown = mix
        .value
        .iter()
        .map(|p| match p.value.share {
            s if s.is_nan() => format!("{}=?", p.value.api),
            s => format!("{}={}", p.value.api, fmt_share(s)),
        })
        .collect::<Vec<_>>()
        .join(",");
    let mix = Set {
        origin: &mix.origin,
        value: shown,
    };
    // Each value beside the mix, why both cannot be used, and what keeps it without the mix.
    let one_api = " (with one API, --api)";
    let others = [
        (
            set(&spec.api, String::clone),
            "both say where all the traffic goes",
            "",
        ),
        (
            set(&spec.frontier_share, |v| fmt_share(*v))
                .filter(|_| spec.frontier_share.as_ref().is_some_and(|f| f.value > 0.0)),
            "the mix already says which traffic stays on an API: the APIs of a tier the self-hosted model does not reach",
            one_api,
        ),
        (
            set(&spec.simple_share, |v| fmt_share(*v)),
            "the three-tier plan's simple share is not derived from a mix (the weaker APIs of a mix are served by the one self-hosted model)",
            one_api,
        ),
        (
            set(&spec.frontier_api, String::clone),
            "the mix already says which APIs keep the traffic self-hosting cannot take",
            "",
        ),
    ];
    for (other, why, without_mix) in others {
        if let Some(o) = other {
            problems.push(
                o.origin
                    .problem(format!("{} and {}: {why}", o.named(), mix.named()))
                    .fix(format!(
                        "give one: {}{without_mix} or {}",
                        o.origin.key(),
                        mix.origin.key()
                    )),
            );
        }
    }
}

/// Values that would change nothing: a latency metric or percentile with no target, a
/// frontier API with no frontier traffic, a small model with no simple traffic, a cloud price
/// kind for owned GPUs.
fn without_effect(spec: &WorkloadSpec, problems: &mut Problems) {
    let mut unused = |set: Option<Set>, why: &str, fix: &str| {
        if let Some(s) = set {
            problems.push(
                s.origin
                    .problem(format!("{} would change nothing: {why}", s.named()))
                    .fix(fix.replace("{key}", s.origin.key())),
            );
        }
    };
    if spec.latency_target_ms.is_none() {
        let why = "there is no latency target";
        let fix = "give the target (--latency, latency.target_ms), or drop {key}";
        unused(set(&spec.latency_metric, |m| m.id().to_string()), why, fix);
        unused(
            set(&spec.latency_percentile, |p| p.id().to_string()),
            why,
            fix,
        );
    }
    let none = |v: &Option<Sourced<f64>>| v.as_ref().is_none_or(|s| s.value <= 0.0);
    if none(&spec.frontier_share) && spec.apis.is_none() {
        unused(
            set(&spec.frontier_api, String::clone),
            "no traffic is frontier traffic",
            "give the frontier share (--frontier-share, capability.frontier_share), or drop {key}",
        );
    }
    if none(&spec.simple_share) {
        unused(
            set(&spec.small_model, String::clone),
            "no traffic is simple traffic",
            "give the simple share (--simple-share, capability.simple_share), or drop {key}",
        );
    }
    if spec
        .hosting
        .as_ref()
        .is_some_and(|h| h.value == Hosting::Owned)
    {
        unused(
            set(&spec.price_kind, |k| k.id().to_string()),
            "owned GPUs have no cloud price",
            "drop {key}, or use cloud hosting",
        );
    }
}

/// The self-hosted side described twice: a unit's cost and capacity define it on their own,
/// so a setup or a deployment field beside both would not be used; a packaged setup has its
/// own GPU and price, so a deployment field beside it would not be used.
fn self_host(spec: &WorkloadSpec, problems: &mut Problems) {
    let pins = deployment(spec);
    let setup = set(&spec.setup, String::clone);
    let cost = set(&spec.unit_usd_per_month, |v| fmt_usd(*v));
    let capacity = set(&spec.unit_tokens_per_month, |v| fmt_tokens(*v));
    if let (Some(c), Some(k)) = (&cost, &capacity) {
        for other in setup.iter().chain(&pins) {
            problems.push(
                other
                    .origin
                    .problem(format!(
                        "{} would not be used: {} and {} define the self-hosted side on their own",
                        other.named(),
                        c.named(),
                        k.named()
                    ))
                    .fix(format!(
                        "drop {}, or drop {} or {} to take that figure from the {}",
                        other.origin.key(),
                        c.origin.key(),
                        k.origin.key(),
                        if setup.is_some() {
                            "setup"
                        } else {
                            "deployment sized for it"
                        }
                    )),
            );
        }
        return;
    }
    if let (Some(s), Some(first)) = (&setup, pins.first()) {
        problems.push(
            first
                .origin
                .problem(format!(
                    "{} prices a packaged setup with its own GPUs and price, so {} would not be used",
                    s.named(),
                    first.named()
                ))
                .fix(format!(
                    "drop {} to size a deployment with {}, or drop {} to price the packaged setup",
                    s.origin.key(),
                    first.named(),
                    first.origin.key()
                )),
        );
    }
}

/// Half a percentage point: an input share that far from the request shape's contradicts it
/// (a share typed as 33% for a 1:2 shape does not).
const MIX_TOLERANCE: f64 = 0.005;

/// An input share that contradicts the share the request shape implies.
fn mix(spec: &WorkloadSpec, problems: &mut Problems) {
    let (Some(share), Some(i), Some(o)) = (
        &spec.input_share,
        &spec.input_tokens_per_request,
        &spec.output_tokens_per_request,
    ) else {
        return;
    };
    if i.value + o.value <= 0.0 {
        return;
    }
    let implied = i.value / (i.value + o.value);
    if (share.value - implied).abs() <= MIX_TOLERANCE {
        return;
    }
    problems.push(
        share
            .origin
            .problem(format!(
                "{} contradicts {} and {}, which make {} of tokens input",
                share.origin.named(&fmt_share(share.value)),
                i.origin.named(&fmt_tokens(i.value)),
                o.origin.named(&fmt_tokens(o.value)),
                fmt_share(implied)
            ))
            .fix(format!(
                "drop {} (the request shape gives the mix), or change the tokens per request",
                share.origin.key()
            )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalog::hardware::PriceKind;
    use crate::model::workload::{ApiRegion, LatencyMetric};

    fn flags(set: impl FnOnce(&mut WorkloadSpec)) -> Vec<String> {
        let mut spec = WorkloadSpec::default();
        set(&mut spec);
        let mut problems = Problems::default();
        check(&spec, &mut problems);
        problems.0.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_self_hosted_side_described_twice_is_refused() {
        let cases: Vec<(Vec<String>, &[&str])> = vec![
            (
                flags(|s| {
                    s.setup = Some(Sourced::flag("--setup", "cloud-h100".into()));
                    s.gpu = Some(Sourced::flag("--gpu", "h200".into()));
                }),
                &[
                    "--gpu: --setup cloud-h100 prices a packaged setup with its own GPUs and price, so --gpu h200 would not be used; drop --setup to size a deployment with --gpu h200, or drop --gpu to price the packaged setup",
                ],
            ),
            (
                flags(|s| {
                    s.setup = Some(Sourced::flag("--setup", "cloud-h100".into()));
                    s.hosting = Some(Sourced::flag("--hosting", Hosting::Owned));
                    s.tp = Some(Sourced::flag("--tp", 2));
                }),
                &[
                    "--tp: --setup cloud-h100 prices a packaged setup with its own GPUs and price, so --tp 2 would not be used; drop --setup to size a deployment with --tp 2, or drop --tp to price the packaged setup",
                ],
            ),
            (
                flags(|s| {
                    s.unit_usd_per_month = Some(Sourced::flag("--self-host-cost", 5000.0));
                    s.unit_tokens_per_month = Some(Sourced::flag("--self-host-capacity", 3e9));
                    s.gpu = Some(Sourced::flag("--gpu", "h200".into()));
                }),
                &[
                    "--gpu: --gpu h200 would not be used: --self-host-cost $5,000 and --self-host-capacity 3B define the self-hosted side on their own; drop --gpu, or drop --self-host-cost or --self-host-capacity to take that figure from the deployment sized for it",
                ],
            ),
            (
                flags(|s| {
                    s.unit_usd_per_month = Some(Sourced::flag("--self-host-cost", 5000.0));
                    s.gpu = Some(Sourced::flag("--gpu", "h200".into()));
                }),
                &[],
            ),
            (
                flags(|s| {
                    s.setup = Some(Sourced::flag("--setup", "cloud-h100".into()));
                    s.unit_tokens_per_month = Some(Sourced::flag("--self-host-capacity", 3e9));
                }),
                &[],
            ),
        ];
        for (got, want) in cases {
            assert_eq!(got, *want);
        }
    }

    #[test]
    fn a_value_that_would_change_nothing_is_refused() {
        let cases: Vec<(Vec<String>, &[&str])> = vec![
            (
                flags(|s| {
                    s.latency_metric = Some(Sourced::flag("--latency-metric", LatencyMetric::E2e));
                }),
                &[
                    "--latency-metric: --latency-metric e2e would change nothing: there is no latency target; give the target (--latency, latency.target_ms), or drop --latency-metric",
                ],
            ),
            (
                flags(|s| {
                    s.latency_target_ms = Some(Sourced::flag("--latency", 150.0));
                    s.latency_metric = Some(Sourced::flag("--latency-metric", LatencyMetric::E2e));
                }),
                &[],
            ),
            (
                flags(|s| {
                    s.frontier_api = Some(Sourced::flag("--frontier-api", "gpt-4o".into()));
                }),
                &[
                    "--frontier-api: --frontier-api gpt-4o would change nothing: no traffic is frontier traffic; give the frontier share (--frontier-share, capability.frontier_share), or drop --frontier-api",
                ],
            ),
            (
                flags(|s| {
                    s.hosting = Some(Sourced::flag("--hosting", Hosting::Owned));
                    s.price_kind = Some(Sourced::flag("--price-kind", PriceKind::Spot));
                }),
                &[
                    "--price-kind: --price-kind spot would change nothing: owned GPUs have no cloud price; drop --price-kind, or use cloud hosting",
                ],
            ),
            (
                flags(|s| {
                    s.api_rtt_ms = Some(Sourced::flag("--api-rtt", 80.0));
                    s.api_region = Some(Sourced::flag("--api-region", ApiRegion::Far));
                }),
                &[
                    "--api-region: --api-rtt 80 ms and --api-region far both give the API's round trip; give one: --api-rtt (measured) or --api-region (near or far)",
                ],
            ),
        ];
        for (got, want) in cases {
            assert_eq!(got, *want);
        }
    }

    #[test]
    fn an_input_share_against_the_request_shape_is_refused() {
        let shape = |share: f64| {
            flags(|s| {
                s.input_share = Some(Sourced::flag("--input-share", share));
                s.input_tokens_per_request = Some(Sourced::flag("--input-tokens", 300.0));
                s.output_tokens_per_request = Some(Sourced::flag("--output-tokens", 500.0));
            })
        };
        // 300 / 800 = 37.5%: within half a point is the same mix.
        assert_eq!(shape(0.375), Vec::<String>::new());
        assert_eq!(shape(0.372), Vec::<String>::new());
        assert_eq!(
            shape(0.5),
            [
                "--input-share: --input-share 50% contradicts --input-tokens 300 and --output-tokens 500, which make 37.5% of tokens input; drop --input-share (the request shape gives the mix), or change the tokens per request"
            ]
        );
    }
}
