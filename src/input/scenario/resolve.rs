//! A workload spec resolved against the catalog and policy into a model [`Workload`]:
//! defaults from the policy, ids checked (with suggestions), the volume and the request
//! shape reconciled, the traffic shape turned into a load-duration curve. Every problem is
//! reported together, each naming the flag or the file, line and field it came from.

use super::traffic::traffic;
use super::uncertainty;
use crate::model::Named;
use crate::model::catalog::{Catalog, ComplianceOffer, Tier};
use crate::model::problem::{InputError, Problem, Problems};
use crate::model::suggest::unknown_id;
use crate::model::units::{MAX_TOKENS, fmt_share, fmt_tokens};
use crate::model::workload::spec::{Origin, Sourced, WorkloadSpec};
use crate::model::workload::{
    ApiNetwork, ApiRegion, ApiShare, Capability, GivenUnit, LatencyMetric, LatencyTarget,
    Percentile, Phase, Privacy, PrivacyLevel, RequestShape, Team, TimeToMarket, Workload,
};

/// A field's value, without its origin.
pub(super) fn given<T: Clone>(v: &Option<Sourced<T>>) -> Option<T> {
    v.as_ref().map(|s| s.value.clone())
}

/// Resolves a spec against the catalog: defaults from the policy, ids checked, the
/// traffic shape turned into a load-duration curve. All problems are reported together.
pub fn resolve(
    spec: &WorkloadSpec,
    catalog: &Catalog,
    default_name: &str,
) -> Result<Workload, InputError> {
    let policy = &catalog.policy;
    let mut problems = Problems::default();
    super::conflicts::check(spec, &mut problems);
    let (tokens, mix_share) = volume(spec, &mut problems);
    let mut ids = ids(spec, catalog, &mut problems);
    let apis = mix(spec, catalog, &mut problems);
    // The largest part (the first on a tie).
    if let Some(lead) = apis
        .iter()
        .reduce(|a, b| if b.share > a.share { b } else { a })
    {
        ids.api.clone_from(&lead.api);
    }
    let or_zero = |v: &Option<Sourced<f64>>| given(v).unwrap_or(0.0);
    let workload = Workload {
        name: given(&spec.name).unwrap_or_else(|| default_name.to_string()),
        description: given(&spec.description),
        tokens_per_month: tokens.unwrap_or(0.0),
        input_share: given(&spec.input_share)
            .or(mix_share)
            .unwrap_or(policy.default_input_share),
        cached_input_share: or_zero(&spec.cached_input_share),
        batch_share: or_zero(&spec.batch_share),
        latency: latency(spec, &mut problems),
        api_network: api_network(spec, &mut problems),
        privacy: privacy(spec, &mut problems),
        capability: capability(spec, &mut problems, ids.frontier_api, ids.small_model),
        team: team(spec),
        traffic: traffic(spec, policy, &mut problems),
        phase: given(&spec.phase).unwrap_or(Phase::Production),
        always_on: given(&spec.always_on).unwrap_or(false),
        dev_share: or_zero(&spec.dev_share),
        fine_tuning: given(&spec.fine_tuning).unwrap_or(false),
        time_to_market: given(&spec.time_to_market).unwrap_or(TimeToMarket::Normal),
        growth_monthly: or_zero(&spec.growth_monthly),
        horizon_months: given(&spec.horizon_months),
        build_engineer_months: given(&spec.build_engineer_months),
        months_to_production: given(&spec.months_to_production),
        api_price_decline_yearly: given(&spec.api_price_decline_yearly),
        ranges: spec
            .ranges
            .as_ref()
            .map(|r| {
                let planned = policy.self_host.target_utilization;
                uncertainty::to_ranges(r, tokens, planned, &mut problems)
            })
            .unwrap_or_default(),
        draws: given(&spec.draws),
        seed: given(&spec.seed),
        budget: spec.budget.clone().unwrap_or_default(),
        api: ids.api,
        apis,
        setup: ids.setup,
        setup_named: spec.setup.is_some(),
        deployment: super::deployment::deployment_request(spec, catalog, &mut problems),
        request: match (
            &spec.input_tokens_per_request,
            &spec.output_tokens_per_request,
        ) {
            (Some(i), Some(o)) if o.value > 0.0 => Some(RequestShape {
                input_tokens: i.value,
                output_tokens: o.value,
            }),
            _ => None,
        },
        self_host_fixed_usd_per_month: or_zero(&spec.self_host_fixed_usd_per_month),
        given_unit: GivenUnit {
            usd_per_month: given(&spec.unit_usd_per_month),
            tokens_per_month: unit_capacity(&spec.unit_tokens_per_month, &mut problems),
        },
    };
    growth_within_limits(spec, &workload, policy.horizon_months, &mut problems);
    problems.finish(workload)
}

/// Refuses a growth rate that would take the volume past the largest the tool prices within
/// the months the report projects (its horizon, and 36 months for the total cost of
/// ownership).
fn growth_within_limits(
    spec: &WorkloadSpec,
    w: &Workload,
    default_horizon: u32,
    problems: &mut Problems,
) {
    let Some(g) = &spec.growth_monthly else {
        return;
    };
    let months = w.horizon_months.unwrap_or(default_horizon).max(36);
    let top = w.tokens_per_month * (1.0 + g.value).powf(f64::from(months - 1));
    if top.is_finite() && top <= MAX_TOKENS {
        return;
    }
    problems.push(
        g.origin
            .problem(format!(
                "{} a month for {months} months takes {} tokens a month past {}, the most the tool prices",
                fmt_share(g.value),
                fmt_tokens(w.tokens_per_month),
                fmt_tokens(MAX_TOKENS)
            ))
            .fix("lower the growth, or shorten the projection (--horizon; the total cost of ownership always runs 36 months)"),
    );
}

/// The catalog ids a workload names, each checked, or the policy's defaults.
struct Ids {
    api: String,
    setup: String,
    frontier_api: String,
    small_model: String,
}

fn ids(spec: &WorkloadSpec, catalog: &Catalog, problems: &mut Problems) -> Ids {
    let policy = &catalog.policy;
    let apis = || catalog.apis.iter().map(|a| a.id.as_str());
    let api = resolve_id(
        problems,
        spec.api.as_ref(),
        &policy.default_api,
        apis(),
        "API id",
        "apis",
    );
    let setup = resolve_id(
        problems,
        spec.setup.as_ref(),
        &policy.default_setup,
        catalog.setups.iter().map(|s| s.id.as_str()),
        "setup id",
        "setups",
    );
    // A frontier API is its own frontier model.
    let default_frontier = if catalog.api(&api).map(|a| a.tier) == Some(Tier::Frontier) {
        api.clone()
    } else {
        policy.default_frontier_api.clone()
    };
    Ids {
        frontier_api: resolve_id(
            problems,
            spec.frontier_api.as_ref(),
            &default_frontier,
            apis(),
            "API id",
            "apis",
        ),
        small_model: resolve_id(
            problems,
            spec.small_model.as_ref(),
            &policy.self_host.default_small_model,
            catalog.models.iter().map(|m| m.id.as_str()),
            "model id",
            "models",
        ),
        api,
        setup,
    }
}

/// The mix of APIs, if the workload gives one: each API known and named once, each share
/// above 0, the shares adding up to 1 (to within float rounding, which is then taken out).
fn mix(spec: &WorkloadSpec, catalog: &Catalog, problems: &mut Problems) -> Vec<ApiShare> {
    let Some(list) = &spec.apis else {
        return Vec::new();
    };
    let apis = || catalog.apis.iter().map(|a| a.id.as_str());
    let before = problems.0.len();
    for (i, part) in list.value.iter().enumerate() {
        let (api, share) = (&part.value.api, part.value.share);
        if !apis().any(|id| id == api) {
            problems.push(
                part.origin
                    .problem(unknown_id("API id", api, apis(), "apis")),
            );
        } else if list.value[..i].iter().any(|p| &p.value.api == api) {
            problems.push(
                part.origin
                    .problem(format!("{api} is in the mix twice"))
                    .fix("give each API once, with its whole share"),
            );
        }
        if share <= 0.0 {
            problems.push(
                part.origin
                    .problem(format!(
                        "{api} has a share of {}: it would be sent nothing",
                        fmt_share(share)
                    ))
                    .fix("drop it from the mix"),
            );
        }
    }
    let sum: f64 = list.value.iter().map(|p| p.value.share).sum();
    // A share that could not be read is reported where it was read; the sum is not checked.
    let unread = sum.is_nan();
    if !unread && (sum - 1.0).abs() > 1e-6 {
        // Close to the whole, the rounded percentage would read 100%: show the sum itself.
        let shown = match fmt_share(sum) {
            rounded if rounded != "100%" => rounded,
            _ => sum.to_string(),
        };
        problems.push(
            list.origin
                .problem(format!("the mix's shares add up to {shown}, not 100%"))
                .fix(
                    "make the shares add up to 1 (100%): each is its API's share of all the tokens",
                ),
        );
    }
    if unread || problems.0.len() > before {
        return Vec::new();
    }
    list.value
        .iter()
        .map(|p| ApiShare {
            api: p.value.api.clone(),
            share: p.value.share / sum,
        })
        .collect()
}

/// The latency target, if the workload gives one.
fn latency(spec: &WorkloadSpec, problems: &mut Problems) -> Option<LatencyTarget> {
    positive(problems, &spec.latency_target_ms, "latency target").map(|target_ms| LatencyTarget {
        target_ms,
        metric: given(&spec.latency_metric).unwrap_or(LatencyMetric::Ttft),
        percentile: given(&spec.latency_percentile).unwrap_or(Percentile::P95),
    })
}

/// Where the API is: a measured round trip, a region, or unknown.
fn api_network(spec: &WorkloadSpec, problems: &mut Problems) -> ApiNetwork {
    if spec.api_rtt_ms.is_some() {
        return positive(problems, &spec.api_rtt_ms, "round trip")
            .map_or(ApiNetwork::Unknown, ApiNetwork::Measured);
    }
    match given(&spec.api_region) {
        Some(ApiRegion::Near) => ApiNetwork::Near,
        Some(ApiRegion::Far) => ApiNetwork::Far,
        None => ApiNetwork::Unknown,
    }
}

/// The frontier and simple shares, which together may not exceed the whole.
fn capability(
    spec: &WorkloadSpec,
    problems: &mut Problems,
    frontier_api: String,
    small_model: String,
) -> Capability {
    if let (Some(simple), Some(f)) = (&spec.simple_share, &spec.frontier_share)
        && simple.value + f.value > 1.0
    {
        problems.push(
            simple
                .origin
                .problem(format!(
                    "simple traffic ({}) and frontier traffic ({}) add up to more than all of it",
                    simple.value, f.value
                ))
                .fix("the two shares must add up to 1 or less"),
        );
    }
    Capability {
        frontier_share: given(&spec.frontier_share).unwrap_or(0.0),
        frontier_api,
        simple_share: given(&spec.simple_share).unwrap_or(0.0),
        small_model,
    }
}

/// The team, when the workload describes any of it. A team that does not say whether it can
/// hire can (the default `init` documents).
fn team(spec: &WorkloadSpec) -> Option<Team> {
    (spec.ml_engineers.is_some() || spec.devops.is_some() || spec.can_hire.is_some()).then(|| {
        Team {
            ml_engineers: given(&spec.ml_engineers).unwrap_or(0.0),
            devops: given(&spec.devops).unwrap_or(0.0),
            can_hire: given(&spec.can_hire).unwrap_or(true),
        }
    })
}

/// Both volumes given: a flag wins over a file, as everywhere (`true`: the requests are the
/// flag); two of the same kind cannot both be used.
fn requests_win(t: &Sourced<f64>, r: Option<&Sourced<f64>>, problems: &mut Problems) -> bool {
    let Some(r) = r else {
        return false;
    };
    if is_flag(&t.origin) != is_flag(&r.origin) {
        return is_flag(&r.origin);
    }
    problems.push(
        r.origin
            .problem(format!(
                "{} and {} both give the volume",
                t.origin.named(&fmt_tokens(t.value)),
                r.origin.named(&fmt_tokens(r.value))
            ))
            .fix(format!(
                "give one of them: {}, or {} with the tokens per request",
                t.origin.key(),
                r.origin.key()
            )),
    );
    false
}

/// The given tokens a month per unit: at least a million (half a token a second); fewer is
/// a missing suffix.
fn unit_capacity(v: &Option<Sourced<f64>>, problems: &mut Problems) -> Option<f64> {
    let v = v.as_ref()?;
    let min = crate::input::pricing::MIN_UNIT_TOKENS;
    if v.value >= min {
        return Some(v.value);
    }
    problems.push(
        v.origin
            .problem(format!(
                "{} tokens a month per unit is less than {} (half a token a second): did you mean {}?",
                fmt_tokens(v.value),
                fmt_tokens(min),
                fmt_tokens(v.value * 1e9)
            ))
            .fix("give the tokens a unit serves a month with their suffix, e.g. 3B"),
    );
    None
}

/// Whether a value came from a flag (which wins over a file).
fn is_flag(o: &Origin) -> bool {
    matches!(o, Origin::Flag(_))
}

fn positive(problems: &mut Problems, v: &Option<Sourced<f64>>, what: &str) -> Option<f64> {
    let v = v.as_ref()?;
    if v.value > 0.0 {
        return Some(v.value);
    }
    problems.push(
        v.origin
            .problem(format!(
                "{} is not a valid {what}: it must be greater than zero",
                v.value
            ))
            .fix("give a positive value"),
    );
    None
}

/// The monthly volume, and the input share implied by a request shape.
fn volume(spec: &WorkloadSpec, problems: &mut Problems) -> (Option<f64>, Option<f64>) {
    let per_request = match (
        &spec.input_tokens_per_request,
        &spec.output_tokens_per_request,
    ) {
        // A request generates at least a token: its time per output token, its end-to-end
        // time and the batch it runs in all depend on it.
        (Some(_), Some(o)) if o.value == 0.0 => {
            problems.push(
                o.origin
                    .problem("a request that generates no output tokens")
                    .fix("give the average output tokens per request, at least 1"),
            );
            return (None, None);
        }
        (Some(i), Some(o)) if i.value + o.value > 0.0 => Some((i.value, o.value)),
        (Some(_), Some(o)) => {
            problems.push(
                o.origin
                    .problem("a request of 0 input and 0 output tokens carries no traffic")
                    .fix("give the average tokens per request"),
            );
            None
        }
        (Some(one), None) | (None, Some(one)) => {
            problems.push(one.origin.problem("a request shape needs both input_tokens_per_request and output_tokens_per_request").fix("give both"));
            None
        }
        (None, None) => None,
    };
    let mix = per_request.map(|(i, o)| i / (i + o));
    if let Some(t) = &spec.tokens_per_month
        && !requests_win(t, spec.requests_per_month.as_ref(), problems)
    {
        return (
            positive(problems, &spec.tokens_per_month, "monthly volume"),
            mix,
        );
    }
    match (&spec.requests_per_month, per_request) {
        (Some(r), Some((i, o))) => {
            let tokens = r.value * (i + o);
            if tokens > 0.0 {
                (Some(tokens), mix)
            } else {
                problems.push(
                    r.origin
                        .problem("0 requests a month is no traffic")
                        .fix("give a positive number of requests"),
                );
                (None, mix)
            }
        }
        (Some(r), None) => {
            problems.push(r.origin.problem("requests_per_month needs input_tokens_per_request and output_tokens_per_request").fix("give both, or give tokens_per_month instead"));
            (None, mix)
        }
        (None, _)
            if spec
                .invalid_fields
                .iter()
                .any(|f| f.contains("per_month") || f.contains("per_request")) =>
        {
            (None, mix)
        }
        (None, _) => {
            problems.push(Problem::new("--tokens", "no monthly volume was given").fix(
                "give --tokens (e.g. --tokens 800M), or tokens_per_month or requests_per_month in a --scenario file",
            ));
            (None, mix)
        }
    }
}

fn resolve_id<'a>(
    problems: &mut Problems,
    given: Option<&Sourced<String>>,
    default: &str,
    ids: impl Iterator<Item = &'a str> + Clone,
    what: &str,
    list: &str,
) -> String {
    let Some(given) = given else {
        return default.to_string();
    };
    if !ids.clone().any(|id| id == given.value) {
        problems.push(
            given
                .origin
                .problem(unknown_id(what, &given.value, ids, list)),
        );
    }
    given.value.clone()
}

fn privacy(spec: &WorkloadSpec, problems: &mut Problems) -> Privacy {
    let level = given(&spec.privacy_level).unwrap_or(PrivacyLevel::Standard);
    let strict = level >= PrivacyLevel::Regulated;
    let requires = match &spec.requires {
        None => Vec::new(),
        Some(r) => r
            .value
            .iter()
            .filter_map(|id| {
                let offer = ComplianceOffer::from_id(id);
                if offer.is_none() {
                    problems.push(r.origin.problem(format!(
                        "unknown compliance offer {id:?}; use any of {}",
                        ComplianceOffer::ids()
                    )));
                }
                offer
            })
            .collect(),
    };
    Privacy {
        level,
        sensitive_share: spec
            .sensitive_share
            .as_ref()
            .map_or(if strict { 1.0 } else { 0.0 }, |s| s.value),
        third_party_allowed: given(&spec.third_party_allowed)
            .unwrap_or(level != PrivacyLevel::Restricted),
        requires,
    }
}
