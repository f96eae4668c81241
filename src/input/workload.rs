//! Workload profiles: a scenario file and the flags become one [`WorkloadSpec`] (flags win),
//! which is resolved against the catalog and policy into a model [`Workload`].
//! Every value remembers where it came from, so an error names the flag or the file,
//! line, column and field.

use super::raw::{Q, RawScenario};
use super::validate::{COUNT, Checker, MS, NUMBER, Parser, SHARE, TOKENS, USD};
use super::yaml;
use crate::model::Named;
use crate::model::policy::Policy;
use crate::model::pricing::{Catalog, ComplianceOffer, Tier};
use crate::model::problem::{InputError, Problem, Problems};
use crate::model::spec::{Origin, Sourced, WorkloadSpec};
use crate::model::suggest::{unknown_among, unknown_id};
use crate::model::units::UnitKind;
use crate::model::workload::{
    ApiNetwork, ApiRegion, Budget, Capability, DeploymentRequest, HOURS_PER_MONTH, LatencyMetric,
    LatencyTarget, LoadLevel, Percentile, Phase, Privacy, PrivacyLevel, RequestShape, Team,
    TimeToMarket, Traffic, TrafficShape, Workload,
};

/// Reads a scenario file's text into a spec. A YAML error fails at once; value problems are
/// returned next to the spec (with the bad fields left out), so that they can be reported
/// together with the problems found when the spec is resolved.
pub fn read_scenario(file: &str, text: &str) -> Result<(WorkloadSpec, Vec<Problem>), InputError> {
    let (raw, found): (RawScenario, _) =
        yaml::parse(file, text).map_err(|problems| InputError { problems })?;
    let mut problems = Problems(found);
    let spec = scenario_spec(file, &raw, &mut problems);
    Ok((spec, problems.0))
}

/// Reads a scenario file's text into a spec, failing on any problem.
pub fn parse_scenario(file: &str, text: &str) -> Result<WorkloadSpec, InputError> {
    let (spec, problems) = read_scenario(file, text)?;
    Problems(problems).finish(spec)
}

fn scenario_spec(file: &str, raw: &RawScenario, problems: &mut Problems) -> WorkloadSpec {
    let mut ck = Checker { file, problems };
    ck.version(&raw.version);
    let profile = raw.traffic.as_ref().and_then(|t| {
        let list = t.profile.as_ref()?;
        let values: Vec<f64> = list
            .value
            .iter()
            .filter_map(|q| ck.opt("traffic.profile", Some(q), NUMBER))
            .collect();
        (values.len() == list.value.len()).then(|| Sourced {
            value: values,
            origin: Origin::File {
                file: file.to_string(),
                pos: list.pos,
                field: "traffic.profile".into(),
            },
        })
    });
    let ranges = raw
        .uncertainty
        .as_ref()
        .map(|u| super::uncertainty::scenario_ranges(&mut ck, u));
    let budget = raw.budget.as_ref().map(|b| budget(&mut ck, b));
    // Fixed-set fields, read before `num` borrows the checker.
    let latency = raw.latency.as_ref();
    let latency_metric = latency.and_then(|l| ck.opt_one_of("latency.metric", l.metric.as_ref()));
    let latency_percentile =
        latency.and_then(|l| ck.opt_one_of("latency.percentile", l.percentile.as_ref()));
    let api_region =
        latency.and_then(|l| ck.opt_one_of("latency.api_region", l.api_region.as_ref()));
    let privacy_level = raw
        .privacy
        .as_ref()
        .and_then(|p| ck.opt_one_of("privacy.level", p.level.as_ref()));
    let shape = raw.traffic.as_ref().and_then(|t| t.shape.as_ref());
    let traffic_shape = shape.and_then(|s| {
        Some(Sourced {
            value: ck.one_of("traffic.shape", s)?,
            origin: Origin::File {
                file: file.to_string(),
                pos: s.pos,
                field: "traffic.shape".into(),
            },
        })
    });
    let phase = raw
        .stage
        .as_ref()
        .and_then(|s| ck.opt_one_of("stage.phase", s.phase.as_ref()));
    let time_to_market = ck.opt_one_of("time_to_market", raw.time_to_market.as_ref());
    let deployment = raw.self_host.as_ref();
    let hosting = deployment.and_then(|d| ck.opt_one_of("self_host.hosting", d.hosting.as_ref()));
    let price_kind =
        deployment.and_then(|d| ck.opt_one_of("self_host.price_kind", d.price_kind.as_ref()));
    let mut invalid_fields = Vec::new();
    let mut num = |field: &str, q: &Option<Q>, parse: Parser| -> Option<Sourced<f64>> {
        let q = q.as_ref()?;
        let Some(value) = ck.opt(field, Some(q), parse) else {
            invalid_fields.push(field.to_string());
            return None;
        };
        Some(Sourced {
            value,
            origin: Origin::File {
                file: file.to_string(),
                pos: q.pos,
                field: field.to_string(),
            },
        })
    };
    let privacy = raw.privacy.as_ref();
    let capability = raw.capability.as_ref();
    let team = raw.team.as_ref();
    let traffic = raw.traffic.as_ref();
    let stage = raw.stage.as_ref();
    let text = |field: &str, v: &Option<yaml::Located<String>>| {
        v.as_ref().map(|v| Sourced {
            value: v.value.clone(),
            origin: Origin::File {
                file: file.to_string(),
                pos: v.pos,
                field: field.to_string(),
            },
        })
    };
    WorkloadSpec {
        name: raw.name.clone(),
        description: raw.description.clone(),
        tokens_per_month: num("tokens_per_month", &raw.tokens_per_month, TOKENS),
        requests_per_month: num("requests_per_month", &raw.requests_per_month, COUNT),
        input_tokens_per_request: num(
            "input_tokens_per_request",
            &raw.input_tokens_per_request,
            TOKENS,
        ),
        output_tokens_per_request: num(
            "output_tokens_per_request",
            &raw.output_tokens_per_request,
            TOKENS,
        ),
        input_share: num("input_share", &raw.input_share, SHARE),
        cached_input_share: num("cached_input_share", &raw.cached_input_share, SHARE),
        batch_share: num("batch_share", &raw.batch_share, SHARE),
        latency_target_ms: latency.and_then(|l| num("latency.target_ms", &l.target_ms, MS)),
        latency_metric,
        latency_percentile,
        api_region,
        api_rtt_ms: latency.and_then(|l| num("latency.api_rtt_ms", &l.api_rtt_ms, MS)),
        privacy_level,
        sensitive_share: privacy
            .and_then(|p| num("privacy.sensitive_share", &p.sensitive_share, SHARE)),
        third_party_allowed: privacy.and_then(|p| p.third_party_allowed.as_ref().map(|b| b.value)),
        requires: privacy.and_then(|p| {
            p.requires.as_ref().map(|r| Sourced {
                value: r.value.iter().map(|s| s.value.clone()).collect(),
                origin: Origin::File {
                    file: file.to_string(),
                    pos: r.pos,
                    field: "privacy.requires".into(),
                },
            })
        }),
        frontier_share: capability
            .and_then(|c| num("capability.frontier_share", &c.frontier_share, SHARE)),
        frontier_api: capability.and_then(|c| text("capability.frontier_api", &c.frontier_api)),
        simple_share: capability
            .and_then(|c| num("capability.simple_share", &c.simple_share, SHARE)),
        small_model: capability.and_then(|c| text("capability.small_model", &c.small_model)),
        ml_engineers: team.and_then(|t| num("team.ml_engineers", &t.ml_engineers, NUMBER)),
        devops: team.and_then(|t| num("team.devops", &t.devops, NUMBER)),
        can_hire: team.and_then(|t| t.can_hire.as_ref().map(|b| b.value)),
        traffic_shape,
        peak_to_average: traffic
            .and_then(|t| num("traffic.peak_to_average", &t.peak_to_average, NUMBER)),
        spike_multiplier: traffic
            .and_then(|t| num("traffic.spike_multiplier", &t.spike_multiplier, NUMBER)),
        spike_hours_per_month: traffic.and_then(|t| {
            num(
                "traffic.spike_hours_per_month",
                &t.spike_hours_per_month,
                NUMBER,
            )
        }),
        business_hours_per_month: traffic.and_then(|t| {
            num(
                "traffic.business_hours_per_month",
                &t.business_hours_per_month,
                NUMBER,
            )
        }),
        off_hours_share: traffic
            .and_then(|t| num("traffic.off_hours_share", &t.off_hours_share, SHARE)),
        profile,
        phase,
        always_on: stage.and_then(|s| s.always_on.as_ref().map(|b| b.value)),
        dev_share: num("dev_share", &raw.dev_share, SHARE),
        fine_tuning: raw.fine_tuning.as_ref().map(|b| b.value),
        time_to_market,
        growth_monthly: num("growth_monthly", &raw.growth_monthly, SHARE),
        api: text("api", &raw.api),
        setup: text("setup", &raw.setup),
        self_host_fixed_usd_per_month: num(
            "self_host_fixed_usd_per_month",
            &raw.self_host_fixed_usd_per_month,
            USD,
        ),
        model: deployment.and_then(|d| text("self_host.model", &d.model)),
        gpu: deployment.and_then(|d| text("self_host.gpu", &d.gpu)),
        gpus: deployment.and_then(|d| num("self_host.gpus", &d.gpus, NUMBER)),
        precision: deployment.and_then(|d| text("self_host.precision", &d.precision)),
        tp: deployment.and_then(|d| num("self_host.tp", &d.tp, NUMBER)),
        hosting,
        price_kind,
        engine: deployment.and_then(|d| text("self_host.engine", &d.engine)),
        horizon_months: raw
            .projection
            .as_ref()
            .and_then(|p| num("projection.horizon_months", &p.horizon_months, NUMBER)),
        api_price_decline_yearly: raw.projection.as_ref().and_then(|p| {
            num(
                "projection.api_price_decline_yearly",
                &p.api_price_decline_yearly,
                SHARE,
            )
        }),
        draws: raw
            .uncertainty
            .as_ref()
            .and_then(|u| num("uncertainty.draws", &u.draws, COUNT)),
        seed: raw
            .uncertainty
            .as_ref()
            .and_then(|u| num("uncertainty.seed", &u.seed, NUMBER)),
        ranges,
        budget,
        invalid_fields,
    }
}

fn positive(problems: &mut Problems, v: &Option<Sourced<f64>>, kind: UnitKind) -> Option<f64> {
    let v = v.as_ref()?;
    if v.value > 0.0 {
        return Some(v.value);
    }
    let what = match kind {
        UnitKind::Tokens => "monthly volume",
        UnitKind::Duration => "latency target",
        _ => "value",
    };
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

/// Resolves a spec against the catalog: defaults from the policy, ids checked, the
/// traffic shape turned into a load-duration curve. All problems are reported together.
pub fn resolve(
    spec: &WorkloadSpec,
    catalog: &Catalog,
    default_name: &str,
) -> Result<Workload, InputError> {
    let policy = &catalog.policy;
    let mut problems = Problems::default();
    let (tokens, mix_share) = volume(spec, &mut problems);
    let input_share = spec
        .input_share
        .as_ref()
        .map(|s| s.value)
        .or(mix_share)
        .unwrap_or(policy.default_input_share);
    let latency =
        positive(&mut problems, &spec.latency_target_ms, UnitKind::Duration).map(|target_ms| {
            LatencyTarget {
                target_ms,
                metric: spec.latency_metric.unwrap_or(LatencyMetric::Ttft),
                percentile: spec.latency_percentile.unwrap_or(Percentile::P95),
            }
        });
    let api_network = match (&spec.api_rtt_ms, spec.api_region) {
        (Some(rtt), _) => match positive(&mut problems, &spec.api_rtt_ms, UnitKind::Duration) {
            Some(ms) => ApiNetwork::Measured(ms),
            None => {
                let _ = rtt;
                ApiNetwork::Unknown
            }
        },
        (None, Some(ApiRegion::Near)) => ApiNetwork::Near,
        (None, Some(ApiRegion::Far)) => ApiNetwork::Far,
        (None, None) => ApiNetwork::Unknown,
    };
    let api = resolve_id(
        &mut problems,
        spec.api.as_ref(),
        &policy.default_api,
        catalog.apis.iter().map(|a| a.id.as_str()),
        "API id",
        "apis",
    );
    let setup = resolve_id(
        &mut problems,
        spec.setup.as_ref(),
        &policy.default_setup,
        catalog.setups.iter().map(|s| s.id.as_str()),
        "setup id",
        "setups",
    );
    let api_tier = catalog.api(&api).map(|a| a.tier);
    let default_frontier = if api_tier == Some(Tier::Frontier) {
        api.clone()
    } else {
        policy.default_frontier_api.clone()
    };
    let frontier_api = resolve_id(
        &mut problems,
        spec.frontier_api.as_ref(),
        &default_frontier,
        catalog.apis.iter().map(|a| a.id.as_str()),
        "API id",
        "apis",
    );
    let privacy = privacy(spec, &mut problems);
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
    let traffic = traffic(spec, policy, &mut problems);
    let team = (spec.ml_engineers.is_some() || spec.devops.is_some() || spec.can_hire.is_some())
        .then(|| Team {
            ml_engineers: spec.ml_engineers.as_ref().map_or(0.0, |v| v.value),
            devops: spec.devops.as_ref().map_or(0.0, |v| v.value),
            can_hire: spec.can_hire.unwrap_or(false),
        });
    let or_zero = |v: &Option<Sourced<f64>>| v.as_ref().map_or(0.0, |v| v.value);
    let workload = Workload {
        name: spec
            .name
            .clone()
            .unwrap_or_else(|| default_name.to_string()),
        description: spec.description.clone(),
        tokens_per_month: tokens.unwrap_or(0.0),
        input_share,
        cached_input_share: or_zero(&spec.cached_input_share),
        batch_share: or_zero(&spec.batch_share),
        latency,
        api_network,
        privacy,
        capability: Capability {
            frontier_share: or_zero(&spec.frontier_share),
            frontier_api,
            simple_share: or_zero(&spec.simple_share),
            small_model: resolve_id(
                &mut problems,
                spec.small_model.as_ref(),
                &policy.self_host.default_small_model,
                catalog.models.iter().map(|m| m.id.as_str()),
                "model id",
                "models",
            ),
        },
        team,
        traffic,
        phase: spec.phase.unwrap_or(Phase::Production),
        always_on: spec.always_on.unwrap_or(false),
        dev_share: or_zero(&spec.dev_share),
        fine_tuning: spec.fine_tuning.unwrap_or(false),
        time_to_market: spec.time_to_market.unwrap_or(TimeToMarket::Normal),
        growth_monthly: or_zero(&spec.growth_monthly),
        horizon_months: whole_number(&mut problems, &spec.horizon_months, 600),
        api_price_decline_yearly: spec.api_price_decline_yearly.as_ref().map(|v| v.value),
        ranges: spec
            .ranges
            .as_ref()
            .map(|r| super::uncertainty::to_ranges(r, tokens.unwrap_or(1.0)))
            .unwrap_or_default(),
        draws: whole_number(&mut problems, &spec.draws, 10_000_000),
        seed: spec.seed.as_ref().map(|s| s.value as u64),
        budget: spec.budget.clone().unwrap_or_default(),
        api,
        setup,
        setup_named: spec.setup.is_some(),
        deployment: deployment_request(spec, catalog, &mut problems),
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
    };
    problems.finish(workload)
}

/// The checks of a scenario's `budget` block.
fn budget(ck: &mut Checker, raw: &super::raw::RawBudget) -> Budget {
    let expect = raw.expect.as_ref().and_then(|e| {
        if crate::model::decision::Choice::from_id(&e.value).is_some() {
            Some(e.value.clone())
        } else {
            ck.report(
                e.pos,
                "budget.expect",
                format!("{:?} is not a recommendation", e.value),
                Some(&format!(
                    "use one of {}",
                    crate::model::decision::Choice::ids()
                )),
            );
            None
        }
    });
    Budget {
        max_monthly_cost_usd: ck.opt(
            "budget.max_monthly_cost_usd",
            raw.max_monthly_cost_usd.as_ref(),
            USD,
        ),
        max_cost_per_mtok_usd: ck.opt(
            "budget.max_cost_per_mtok_usd",
            raw.max_cost_per_mtok_usd.as_ref(),
            USD,
        ),
        max_latency_ms: ck.opt_positive(
            "budget.max_latency_ms",
            raw.max_latency_ms.as_ref(),
            MS,
            UnitKind::Duration,
        ),
        expect,
        max_price_age_days: ck.opt(
            "budget.max_price_age_days",
            raw.max_price_age_days.as_ref(),
            NUMBER,
        ),
    }
}

/// A whole number between 1 and `max`, or a problem.
fn whole_number(problems: &mut Problems, v: &Option<Sourced<f64>>, max: u32) -> Option<u32> {
    let v = v.as_ref()?;
    if v.value >= 1.0 && v.value.fract() == 0.0 && v.value <= f64::from(max) {
        Some(v.value as u32)
    } else {
        problems.push(
            v.origin
                .problem(format!(
                    "{} is not a whole number between 1 and {max}",
                    v.value
                ))
                .fix("give a whole number"),
        );
        None
    }
}

/// The deployment asked for, with ids checked against the catalog.
fn deployment_request(
    spec: &WorkloadSpec,
    catalog: &Catalog,
    problems: &mut Problems,
) -> DeploymentRequest {
    let check = |problems: &mut Problems,
                 v: &Option<Sourced<String>>,
                 ids: Vec<&str>,
                 what: &str,
                 list: &str| {
        let v = v.as_ref()?;
        if !ids.contains(&v.value.as_str()) {
            let message = if list.is_empty() {
                unknown_among(what, &v.value, ids.iter().copied())
            } else {
                unknown_id(what, &v.value, ids, list)
            };
            problems.push(v.origin.problem(message));
        }
        Some(v.value.clone())
    };
    let whole = |problems: &mut Problems, v: &Option<Sourced<f64>>, allowed: Option<&[u32]>| {
        let v = v.as_ref()?;
        let ok = v.value >= 1.0 && v.value.fract() == 0.0 && v.value <= 4096.0;
        let n = v.value as u32;
        match allowed {
            _ if !ok => {
                problems.push(
                    v.origin
                        .problem(format!("{} is not a whole number of GPUs", v.value))
                        .fix("give a whole number of at least 1"),
                );
                None
            }
            Some(list) if !list.contains(&n) => {
                problems.push(
                    v.origin
                        .problem(format!("tensor parallelism of {n} is not supported"))
                        .fix("use 1, 2, 4 or 8"),
                );
                None
            }
            _ => Some(n),
        }
    };
    let gpus = whole(problems, &spec.gpus, None);
    let tp = whole(
        problems,
        &spec.tp,
        Some(&crate::model::hardware::TP_DEGREES),
    );
    if let (Some(g), Some(t), Some(src)) = (gpus, tp, &spec.tp)
        && g < t
    {
        problems.push(
            src.origin
                .problem(format!(
                    "tensor parallelism of {t} needs at least {t} GPUs, but {g} are given"
                ))
                .fix("raise the GPU count or lower the tensor parallelism"),
        );
    }
    DeploymentRequest {
        model: check(
            problems,
            &spec.model,
            catalog.models.iter().map(|m| m.id.as_str()).collect(),
            "model id",
            "models",
        ),
        gpu: check(
            problems,
            &spec.gpu,
            catalog.gpus.iter().map(|g| g.id.as_str()).collect(),
            "GPU id",
            "gpus",
        ),
        gpus,
        precision: check(
            problems,
            &spec.precision,
            catalog.precisions.iter().map(|p| p.id.as_str()).collect(),
            "precision",
            "",
        ),
        tp,
        hosting: spec.hosting,
        price_kind: spec.price_kind,
        engine: check(
            problems,
            &spec.engine,
            catalog.engines.iter().map(|e| e.id.as_str()).collect(),
            "engine",
            "",
        ),
    }
}

/// The monthly volume, and the input share implied by a request shape.
fn volume(spec: &WorkloadSpec, problems: &mut Problems) -> (Option<f64>, Option<f64>) {
    let per_request = match (
        &spec.input_tokens_per_request,
        &spec.output_tokens_per_request,
    ) {
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
    if let Some(t) = &spec.tokens_per_month {
        if let Some(r) = &spec.requests_per_month
            && matches!(t.origin, Origin::File { .. })
            && matches!(r.origin, Origin::File { .. })
        {
            problems.push(
                r.origin
                    .problem("tokens_per_month and requests_per_month are both given")
                    .fix("give one of them: the volume, or requests with their tokens per request"),
            );
        }
        return (
            positive(problems, &spec.tokens_per_month, UnitKind::Tokens),
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
    let level = spec.privacy_level.unwrap_or(PrivacyLevel::Standard);
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
        third_party_allowed: spec
            .third_party_allowed
            .unwrap_or(level != PrivacyLevel::Restricted),
        requires,
    }
}

/// Builds the load-duration curve from the traffic fields.
fn traffic(spec: &WorkloadSpec, policy: &Policy, problems: &mut Problems) -> Traffic {
    let par = spec.peak_to_average.as_ref();
    let shape = match &spec.traffic_shape {
        Some(s) => s.value,
        None if spec.profile.is_some() => TrafficShape::Profile,
        None if spec.business_hours_per_month.is_some() || spec.off_hours_share.is_some() => {
            TrafficShape::BusinessHours
        }
        None if par.is_some_and(|p| p.value > 1.0) || spec.spike_multiplier.is_some() => {
            TrafficShape::Spiky
        }
        None => TrafficShape::Steady,
    };
    if let Some(p) = par
        && p.value < 1.0
    {
        problems.push(
            p.origin
                .problem(format!("a peak-to-average ratio of {} is below 1", p.value))
                .fix("the peak is at least the average; give a ratio of 1 or more"),
        );
        return Traffic::steady();
    }
    match shape {
        TrafficShape::Steady => {
            if let Some(p) = par.filter(|p| p.value != 1.0) {
                problems.push(
                    p.origin
                        .problem(format!(
                            "steady traffic has a peak-to-average ratio of 1, not {}",
                            p.value
                        ))
                        .fix("set traffic.shape to spiky or business-hours, or drop the ratio"),
                );
            }
            Traffic::steady()
        }
        TrafficShape::BusinessHours => business_hours(spec, policy, problems),
        TrafficShape::Spiky => spiky(spec, policy, problems),
        TrafficShape::Profile => profile(spec, problems),
    }
}

/// An explicit profile: 24 hourly or 168 weekly-hourly weights, each hour of the profile
/// standing for 730 / n hours of the month, multipliers = weight / mean weight.
fn profile(spec: &WorkloadSpec, problems: &mut Problems) -> Traffic {
    let Some(p) = &spec.profile else {
        problems.push(
            Problem::new("traffic", "shape profile needs traffic.profile")
                .fix("give 24 hourly or 168 weekly-hourly weights of relative load"),
        );
        return Traffic::steady();
    };
    let n = p.value.len();
    let mean = p.value.iter().sum::<f64>() / n.max(1) as f64;
    if !(n == 24 || n == 168) || mean <= 0.0 {
        problems.push(
            p.origin
                .problem(format!("a profile of {n} values (mean {mean})"))
                .fix("give 24 hourly or 168 weekly-hourly weights, not all zero"),
        );
        return Traffic::steady();
    }
    let hours = HOURS_PER_MONTH / n as f64;
    let mut levels: Vec<LoadLevel> = p
        .value
        .iter()
        .map(|w| LoadLevel {
            hours,
            multiplier: w / mean,
        })
        .collect();
    levels.sort_by(|a, b| b.multiplier.total_cmp(&a.multiplier));
    Traffic {
        shape: TrafficShape::Profile,
        levels,
    }
}

fn business_hours(spec: &WorkloadSpec, policy: &Policy, problems: &mut Problems) -> Traffic {
    let hours = spec
        .business_hours_per_month
        .as_ref()
        .map_or(policy.business_hours_per_month, |h| h.value);
    let off = spec.off_hours_share.as_ref().map_or(0.0, |o| o.value);
    if let Some(p) = &spec.peak_to_average {
        problems.push(p.origin.problem("business-hours traffic derives its peak-to-average ratio from business_hours_per_month and off_hours_share").fix("drop peak_to_average, or use shape spiky"));
    }
    if !(hours > 0.0 && hours < HOURS_PER_MONTH) {
        if let Some(h) = &spec.business_hours_per_month {
            problems.push(
                h.origin
                    .problem(format!(
                        "{hours} business hours a month is not between 0 and 730"
                    ))
                    .fix("give the hours a month the traffic runs, e.g. 220 (22 weekdays x 10 h)"),
            );
        }
        return Traffic::steady();
    }
    let mut levels = vec![LoadLevel {
        hours,
        multiplier: (1.0 - off) * HOURS_PER_MONTH / hours,
    }];
    levels.push(LoadLevel {
        hours: HOURS_PER_MONTH - hours,
        multiplier: off * HOURS_PER_MONTH / (HOURS_PER_MONTH - hours),
    });
    levels.sort_by(|a, b| b.multiplier.total_cmp(&a.multiplier));
    Traffic {
        shape: TrafficShape::BusinessHours,
        levels,
    }
}

fn spiky(spec: &WorkloadSpec, policy: &Policy, problems: &mut Problems) -> Traffic {
    let hours = spec
        .spike_hours_per_month
        .as_ref()
        .map_or(policy.default_spike_hours_per_month, |h| h.value);
    if !(hours > 0.0 && hours < HOURS_PER_MONTH) {
        if let Some(h) = &spec.spike_hours_per_month {
            problems.push(
                h.origin
                    .problem(format!(
                        "{hours} spike hours a month is not between 0 and 730"
                    ))
                    .fix("give the hours a month of peak traffic, e.g. 48"),
            );
        }
        return Traffic::steady();
    }
    let rest = HOURS_PER_MONTH - hours;
    // Peak multiplier over the base rate: given, or derived from the peak-to-average ratio.
    let multiplier = match (&spec.spike_multiplier, &spec.peak_to_average) {
        (Some(m), Some(p)) => {
            problems.push(
                p.origin
                    .problem("give either spike_multiplier or peak_to_average, not both")
                    .fix("keep the one you measured"),
            );
            m.value
        }
        (Some(m), None) => m.value,
        (None, Some(p)) => {
            if p.value * hours >= HOURS_PER_MONTH {
                problems.push(p.origin.problem(format!(
                    "a peak of {}x the average for {hours} hours would carry more than the whole month's traffic",
                    p.value
                )).fix("lower the ratio or the spike hours"));
                return Traffic::steady();
            }
            p.value * rest / (HOURS_PER_MONTH - p.value * hours)
        }
        (None, None) => {
            problems.push(Problem::new("traffic", "spiky traffic needs peak_to_average or spike_multiplier").fix("give the peak rate as a multiple of the average (peak_to_average) or of the base rate (spike_multiplier)"));
            return Traffic::steady();
        }
    };
    if multiplier < 1.0 {
        if let Some(m) = &spec.spike_multiplier {
            problems.push(
                m.origin
                    .problem(format!("a spike multiplier of {} is below 1", m.value))
                    .fix("a spike is at least the base rate"),
            );
        }
        return Traffic::steady();
    }
    let base = HOURS_PER_MONTH / (rest + multiplier * hours);
    Traffic {
        shape: TrafficShape::Spiky,
        levels: vec![
            LoadLevel {
                hours,
                multiplier: multiplier * base,
            },
            LoadLevel {
                hours: rest,
                multiplier: base,
            },
        ],
    }
}
