//! The article's decision framework, criterion by criterion. Hard constraints (privacy,
//! capability, latency) rule options out; a hybrid wins when it beats the best pure option
//! by more than the roughly-equal band or is the only plan left; otherwise cost and the soft
//! criteria (team, stage, time-to-market, fine-tuning, 24/7) add up to a score, ties going to
//! the API ("start with APIs unless you have a compelling reason not to"). Each reason is a
//! [`Fact`] with its numbers; the report puts it into words.

pub mod check;
pub mod constraints;
pub mod diff;
pub mod facts;
pub mod hybrid;
pub mod volumes;

pub use facts::{
    Advice, Alternative, Baseline, CostVerdict, Fact, HybridWhy, Reason, Recommendation, Revisit,
    Rule, Violation, WhyNot,
};

use crate::engine::cost::crossover::{Crossover, volume_for_bill};
use crate::engine::cost::team::Readiness;
use crate::engine::selfhost::search::RejectionKind;
use crate::engine::{ApiOption, SelfHostOption};
use crate::model::catalog::policy::Policy;
use crate::model::decision::{Choice, Pattern};
use crate::model::workload::{Phase, TimeToMarket, Workload};
use constraints::Blocker;
use hybrid::HybridPlan;

/// What a decision is made from: the options, costed and checked against the constraints.
pub struct Options<'a> {
    /// The workload.
    pub workload: &'a Workload,
    /// The policy in force.
    pub policy: &'a Policy,
    /// The API option.
    pub api: &'a ApiOption,
    /// The self-hosted model as serverless APIs sell it, cheapest first.
    pub serverless: &'a [ApiOption],
    /// The self-host option.
    pub self_host: &'a SelfHostOption,
    /// The hybrid plans.
    pub hybrids: &'a [HybridPlan],
    /// The crossover.
    pub crossover: &'a Crossover,
}

fn reason(rule: Rule, favors: Option<Choice>, fact: Fact) -> Reason {
    Reason {
        rule,
        favors,
        points: None,
        fact,
    }
}

/// How far apart two costs are, relative to the larger.
pub fn relative_gap(a: f64, b: f64) -> f64 {
    let max = a.max(b);
    if max <= 0.0 { 0.0 } else { (a - b).abs() / max }
}

/// The cheaper of two costs, or a tie inside the band.
pub fn winner(api_usd: f64, self_usd: f64, band: f64) -> Option<Choice> {
    if relative_gap(api_usd, self_usd) <= band {
        None
    } else if api_usd < self_usd {
        Some(Choice::Api)
    } else {
        Some(Choice::SelfHost)
    }
}

/// The cheapest plan nothing rules out.
pub fn best_hybrid(hybrids: &[HybridPlan]) -> Option<&HybridPlan> {
    hybrids
        .iter()
        .filter(|h| h.blockers.is_empty())
        .min_by(|x, y| x.monthly_cost_usd.total_cmp(&y.monthly_cost_usd))
}

/// Decides from the costed, constrained options.
pub fn decide(o: &Options) -> Recommendation {
    let mut reasons = constraint_reasons(o);
    let best_hybrid = best_hybrid(o.hybrids);
    reasons.push(cost_reason(o));
    reasons.extend(serverless_reason(o));
    let (choice, pattern, score) = choose(o, best_hybrid, &mut reasons);
    if !reasons.iter().any(|r| r.rule == Rule::Team) && choice != Choice::Api {
        reasons.push(team_reason(o));
    }
    let monthly_cost_usd = match choice {
        Choice::Api => o.api.cost.monthly_cost_usd,
        Choice::SelfHost => o.self_host.cost.monthly_cost_usd,
        Choice::Hybrid => best_hybrid.map_or(0.0, |h| h.monthly_cost_usd),
    };
    Recommendation {
        choice,
        pattern,
        monthly_cost_usd,
        alternatives: alternatives(o, choice, pattern, monthly_cost_usd),
        revisit: revisit(o, choice),
        reasons,
        score,
    }
}

/// The choice: a hybrid when it is the only plan left or beats the pure options by more than
/// the band, the lesser violation when nothing is feasible, else the soft-criteria score.
fn choose(
    o: &Options,
    best_hybrid: Option<&HybridPlan>,
    reasons: &mut Vec<Reason>,
) -> (Choice, Option<Pattern>, Option<f64>) {
    let api_cost = o.api.cost.monthly_cost_usd;
    let self_cost = o.self_host.cost.monthly_cost_usd;
    let band = o.policy.tie_band;
    let team_blocks = o.self_host.team.readiness == Readiness::CannotRun;
    let (api_ok, self_ok) = (o.api.blockers.is_empty(), o.self_host.blockers.is_empty());
    // The pure option to beat, and why a hybrid that beats it wins.
    let (pure, why) = match (api_ok, self_ok) {
        (false, false) => (None, HybridWhy::OnlyFeasible),
        (true, false) => (Some((Choice::Api, api_cost)), HybridWhy::BeatsOnlyFeasible),
        (false, true) => (
            Some((Choice::SelfHost, self_cost)),
            HybridWhy::BeatsOnlyFeasible,
        ),
        (true, true) if api_cost <= self_cost => {
            (Some((Choice::Api, api_cost)), HybridWhy::BeatsCheapest)
        }
        (true, true) => (
            Some((Choice::SelfHost, self_cost)),
            HybridWhy::BeatsCheapest,
        ),
    };
    let hybrid = best_hybrid.filter(|h| match pure {
        None => true,
        Some((_, usd)) => h.monthly_cost_usd < usd * (1.0 - band) && !team_blocks,
    });
    if let Some(h) = hybrid {
        reasons.push(reason(
            Rule::Hybrid,
            Some(Choice::Hybrid),
            Fact::Hybrid {
                pattern: h.pattern,
                monthly_cost_usd: h.monthly_cost_usd,
                against: pure,
                why,
            },
        ));
        return (Choice::Hybrid, Some(h.pattern), None);
    }
    match (api_ok, self_ok, pure) {
        (true, true, _) => {
            let total = soft_score(o, reasons);
            let choice = if team_blocks || total <= 0.0 {
                Choice::Api
            } else {
                Choice::SelfHost
            };
            let fact = if team_blocks {
                Fact::TeamCannotRun
            } else {
                Fact::Score { total }
            };
            reasons.push(reason(Rule::Score, Some(choice), fact));
            (choice, None, Some(total))
        }
        (_, _, Some((only, _))) => (only, None, None),
        (_, _, None) => {
            let (choice, why) = lesser_violation(o);
            reasons.push(reason(
                Rule::Conflict,
                Some(choice),
                Fact::Conflict { choice, why },
            ));
            (choice, None, None)
        }
    }
}

/// When neither side satisfies the constraints: which violation is the lesser, and why.
/// Privacy is a legal limit and wins; then a prompt longer than a side's context window (that
/// side cannot serve the request at all); then capability (serving frontier traffic with a
/// weaker model is worse than missing a latency target); then the side closer to the latency
/// target.
fn lesser_violation(o: &Options) -> (Choice, Violation) {
    if o.api.privacy_issue.is_some() {
        return (Choice::SelfHost, Violation::Privacy);
    }
    let api_window = o.api.blockers.iter().find_map(|b| match b {
        Blocker::Context(g) => Some(g.context_tokens),
        _ => None,
    });
    // Of the models searched, the longest window.
    let self_window = o.self_host.blockers.iter().find_map(|b| match b {
        Blocker::NoDeployment(n) => n
            .rejected
            .iter()
            .filter_map(|r| match r.kind {
                RejectionKind::ExceedsContext { context_tokens, .. } => Some(context_tokens),
                _ => None,
            })
            .reduce(f64::max),
        _ => None,
    });
    match (api_window, self_window) {
        (Some(a), Some(s)) => {
            let side = if s > a { Choice::SelfHost } else { Choice::Api };
            return (side, Violation::Context { both: true });
        }
        (Some(_), None) => return (Choice::SelfHost, Violation::Context { both: false }),
        (None, Some(_)) => return (Choice::Api, Violation::Context { both: false }),
        (None, None) => {}
    }
    if o.workload.capability.frontier_share > 0.0 {
        return (Choice::Api, Violation::Capability);
    }
    let figure = |e: &crate::engine::serving::latency::LatencyEstimate| {
        e.target_estimate_ms.unwrap_or(f64::INFINITY)
    };
    let (api, sh) = (figure(&o.api.latency), figure(&o.self_host.latency));
    if sh <= api {
        (Choice::SelfHost, Violation::Latency { figure_ms: sh })
    } else {
        (Choice::Api, Violation::Latency { figure_ms: api })
    }
}

/// Reasons from the hard constraints: privacy, capability, latency.
fn constraint_reasons(o: &Options) -> Vec<Reason> {
    let w = o.workload;
    let p = &w.privacy;
    let mut out = vec![match &o.api.privacy_issue {
        Some(gap) => reason(
            Rule::Privacy,
            Some(Choice::SelfHost),
            Fact::PrivacyBlocked {
                level: p.level,
                sensitive_share: p.sensitive_share,
                gap: Some(gap.clone()),
            },
        ),
        None => reason(
            Rule::Privacy,
            None,
            Fact::PrivacyAllowed {
                level: p.level,
                sensitive_share: p.sensitive_share,
                requires: p.requires.clone(),
            },
        ),
    }];
    if w.capability.frontier_share > 0.0 {
        out.push(reason(
            Rule::Capability,
            Some(Choice::Api),
            Fact::Frontier {
                share: w.capability.frontier_share,
                api: w.capability.frontier_api.clone(),
            },
        ));
    }
    if let Some(t) = o.self_host.tiers.as_ref().filter(|t| t.differs()) {
        let favors = t.weaker().then_some(Choice::Api);
        out.push(reason(Rule::Capability, favors, Fact::Tiers(t.clone())));
    }
    if let Some(t) = &w.latency {
        let (api, sh) = (&o.api.latency, &o.self_host.latency);
        let threshold = o.policy.latency.self_host_below_ms;
        let favors = match (api.meets_target, sh.meets_target) {
            (Some(false), Some(false)) => None,
            (Some(false), _) => Some(Choice::SelfHost),
            (Some(true), Some(false)) => Some(Choice::Api),
            (None, _) if t.target_ms < threshold => Some(Choice::SelfHost),
            _ => None,
        };
        let rule_of_thumb =
            (api.meets_target.is_none() && t.target_ms < threshold).then_some(threshold);
        out.push(reason(
            Rule::Latency,
            favors,
            Fact::Latency {
                target: *t,
                rule_of_thumb_ms: rule_of_thumb,
            },
        ));
    }
    out
}

fn cost_reason(o: &Options) -> Reason {
    let api = o.api.cost.monthly_cost_usd;
    let sh = o.self_host.cost.monthly_cost_usd;
    let gap = relative_gap(api, sh);
    let win = winner(api, sh, o.policy.tie_band);
    let verdict = match win {
        None => CostVerdict::Tie {
            gap,
            band: o.policy.tie_band,
        },
        Some(choice) => CostVerdict::Cheaper { choice, gap },
    };
    reason(Rule::Cost, win, Fact::Cost(verdict))
}

/// The cheapest serverless API of the self-hosted model that nothing rules out, against the
/// self-hosted side's cost: the baseline self-hosting must beat.
fn serverless_reason(o: &Options) -> Option<Reason> {
    let s = o.serverless.iter().find(|s| s.blockers.is_empty())?;
    let (usd, self_usd) = (s.cost.monthly_cost_usd, o.self_host.cost.monthly_cost_usd);
    Some(reason(
        Rule::Cost,
        None,
        Fact::Serverless(facts::Baseline {
            api: s.id.clone(),
            monthly_cost_usd: usd,
            self_host_usd: self_usd,
            gap: relative_gap(usd, self_usd),
        }),
    ))
}

fn team_reason(o: &Options) -> Reason {
    let readiness = o.self_host.team.readiness;
    let favors = match readiness {
        Readiness::Unknown => None,
        Readiness::Ready => Some(Choice::SelfHost),
        Readiness::CanHire | Readiness::CannotRun => Some(Choice::Api),
    };
    reason(Rule::Team, favors, Fact::Team(readiness))
}

/// Gives the points a criterion added to its reason.
fn mark(reasons: &mut [Reason], rule: Rule, points: f64) {
    if let Some(r) = reasons.iter_mut().find(|r| r.rule == rule) {
        r.points = Some(points);
    }
}

/// The soft criteria, when both pure options are feasible: adds their reasons (each with
/// its points) and returns the total score for self-hosting.
fn soft_score(o: &Options, reasons: &mut Vec<Reason>) -> f64 {
    let w = o.workload;
    let weights = &o.policy.weights;
    let mut total = 0.0;
    let cost_points = match winner(
        o.api.cost.monthly_cost_usd,
        o.self_host.cost.monthly_cost_usd,
        o.policy.tie_band,
    ) {
        Some(Choice::SelfHost) => weights.cost,
        Some(Choice::Api) => -weights.cost,
        _ => 0.0,
    };
    total += cost_points;
    mark(reasons, Rule::Cost, cost_points);
    // The article's fixed threshold only where the API's latency is not measured.
    if let Some(t) = &w.latency
        && t.target_ms < o.policy.latency.self_host_below_ms
        && o.api.latency.meets_target.is_none()
    {
        total += weights.latency;
        mark(reasons, Rule::Latency, weights.latency);
    }
    let mut add = |points: f64, mut r: Reason| {
        total += points;
        r.points = Some(points);
        reasons.push(r);
    };
    match o.self_host.team.readiness {
        Readiness::Ready => add(weights.team_ready, team_reason(o)),
        Readiness::CanHire => add(-weights.team_hire, team_reason(o)),
        Readiness::Unknown | Readiness::CannotRun => add(0.0, team_reason(o)),
    }
    let soft = [
        (
            w.phase == Phase::Experimenting,
            -weights.experimenting,
            Rule::Stage,
            Choice::Api,
            Fact::Experimenting,
        ),
        (
            w.time_to_market == TimeToMarket::Critical,
            -weights.time_to_market,
            Rule::TimeToMarket,
            Choice::Api,
            Fact::TimeToMarketCritical,
        ),
        (
            w.fine_tuning,
            weights.fine_tuning,
            Rule::FineTuning,
            Choice::SelfHost,
            Fact::FineTuning,
        ),
        (
            w.always_on && w.phase == Phase::Production,
            weights.always_on,
            Rule::AlwaysOn,
            Choice::SelfHost,
            Fact::AlwaysOn,
        ),
    ];
    for (applies, points, rule, favors, fact) in soft {
        if applies {
            add(points, reason(rule, Some(favors), fact));
        }
    }
    total
}

fn alternatives(
    o: &Options,
    choice: Choice,
    pattern: Option<Pattern>,
    chosen_usd: f64,
) -> Vec<Alternative> {
    let why = |blocked: bool, usd: f64| {
        if blocked {
            WhyNot::Blocked
        } else if usd > chosen_usd {
            WhyNot::CostsMore {
                usd: usd - chosen_usd,
                share: relative_gap(usd, chosen_usd),
            }
        } else {
            WhyNot::CostsLess {
                usd: chosen_usd - usd,
                choice,
            }
        }
    };
    let mut out = Vec::new();
    for (side, usd, blocked) in [
        (
            Choice::Api,
            o.api.cost.monthly_cost_usd,
            !o.api.blockers.is_empty(),
        ),
        (
            Choice::SelfHost,
            o.self_host.cost.monthly_cost_usd,
            !o.self_host.blockers.is_empty(),
        ),
    ] {
        if side != choice {
            out.push(Alternative {
                choice: side,
                pattern: None,
                monthly_cost_usd: usd,
                why_not: why(blocked, usd),
            });
        }
    }
    for h in o.hybrids.iter().filter(|h| Some(h.pattern) != pattern) {
        let saving = chosen_usd - h.monthly_cost_usd;
        let share = relative_gap(chosen_usd, h.monthly_cost_usd);
        let why_not = if h.blockers.is_empty() && saving > 0.0 && share <= o.policy.tie_band {
            WhyNot::SavesTooLittle {
                usd: saving,
                share,
                band: o.policy.tie_band,
            }
        } else if h.blockers.is_empty() && saving > 0.0 {
            // Cheaper by more than the band, yet not chosen: the other criteria decided.
            WhyNot::CostsLess {
                usd: saving,
                choice,
            }
        } else {
            why(!h.blockers.is_empty(), h.monthly_cost_usd)
        };
        out.push(Alternative {
            choice: Choice::Hybrid,
            pattern: Some(h.pattern),
            monthly_cost_usd: h.monthly_cost_usd,
            why_not,
        });
    }
    out
}

fn revisit(o: &Options, choice: Choice) -> Revisit {
    let price = o.api.cost.usd_per_mtok;
    let cross = o.crossover.tokens_per_month;
    let advice = match (choice, cross) {
        (Choice::Api, _) => Advice::WatchTheBill,
        (_, Some(c)) if c > o.workload.tokens_per_month => Advice::BelowCrossover(c),
        (_, Some(c)) => Advice::AboveCrossover(c),
        (_, None) => Advice::NeverCheaper,
    };
    Revisit {
        crossover_tokens_per_month: cross,
        start_planning_tokens_per_month: volume_for_bill(
            price,
            o.policy.start_planning_usd_per_month,
        ),
        ready_to_switch_tokens_per_month: volume_for_bill(
            price,
            o.policy.ready_to_switch_usd_per_month,
        ),
        advice,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::analyze;
    use crate::engine::testing::{catalog, workload};
    use crate::model::Named;
    use crate::model::catalog::ComplianceOffer;
    use crate::model::workload::{
        LatencyMetric, LatencyTarget, LoadLevel, Percentile, Team, Traffic, TrafficShape, Workload,
    };

    #[allow(clippy::unnecessary_wraps)]
    fn team(ml_engineers: f64, devops: f64, can_hire: bool) -> Option<Team> {
        Some(Team {
            ml_engineers,
            devops,
            can_hire,
        })
    }

    fn spiky() -> Traffic {
        // 48 h at 4x the base rate: base = 730 / (682 + 192) of the average.
        let base = 730.0 / (682.0 + 4.0 * 48.0);
        Traffic {
            shape: TrafficShape::Spiky,
            levels: vec![
                LoadLevel {
                    hours: 48.0,
                    multiplier: 4.0 * base,
                },
                LoadLevel {
                    hours: 682.0,
                    multiplier: base,
                },
            ],
        }
    }

    type Edit = fn(&mut Workload);
    type Case = (
        &'static str,
        f64,
        Edit,
        Choice,
        Option<Pattern>,
        &'static str,
    );

    #[test]
    fn each_rule_decides_where_it_should() {
        // (case, tokens a month, edit, choice, pattern, the rule that carries the decision)
        let cases: &[Case] = &[
            ("cheap volume", 100e6, |_| {}, Choice::Api, None, "cost"),
            (
                "roughly equal goes to the API",
                500e6,
                |_| {},
                Choice::Api,
                None,
                "score",
            ),
            (
                "clear cost win",
                1e9,
                |_| {},
                Choice::SelfHost,
                None,
                "score",
            ),
            (
                "team cannot run it",
                1e9,
                |w| w.team = team(0.0, 0.0, false),
                Choice::Api,
                None,
                "team",
            ),
            (
                "team can hire",
                1e9,
                |w| w.team = team(0.0, 0.0, true),
                Choice::SelfHost,
                None,
                "score",
            ),
            (
                "experimenting under time pressure",
                1e9,
                |w| {
                    w.phase = Phase::Experimenting;
                    w.time_to_market = TimeToMarket::Critical;
                },
                Choice::Api,
                None,
                "stage",
            ),
            (
                "fine-tuning and 24/7 tip a tie",
                500e6,
                |w| {
                    w.fine_tuning = true;
                    w.always_on = true;
                },
                Choice::SelfHost,
                None,
                "fine-tuning",
            ),
            (
                "privacy forbids third parties",
                100e6,
                |w| {
                    w.privacy.sensitive_share = 1.0;
                    w.privacy.third_party_allowed = false;
                },
                Choice::SelfHost,
                None,
                "privacy",
            ),
            (
                "required compliance not known to be offered",
                100e6,
                |w| {
                    w.privacy.sensitive_share = 1.0;
                    w.privacy.requires = vec![ComplianceOffer::HipaaBaa];
                },
                Choice::SelfHost,
                None,
                "privacy",
            ),
            (
                "all traffic needs frontier reasoning",
                5e9,
                |w| w.capability.frontier_share = 1.0,
                Choice::Api,
                None,
                "capability",
            ),
            (
                "latency target the API cannot meet",
                100e6,
                |w| {
                    w.latency = Some(LatencyTarget {
                        target_ms: 150.0,
                        metric: LatencyMetric::Ttft,
                        percentile: Percentile::P95,
                    });
                },
                Choice::SelfHost,
                None,
                "latency",
            ),
            (
                "spiky traffic",
                2e9,
                |w| w.traffic = spiky(),
                Choice::Hybrid,
                Some(Pattern::Burst),
                "hybrid",
            ),
            (
                "part of the traffic needs a frontier model",
                5e9,
                |w| w.capability.frontier_share = 0.2,
                Choice::Hybrid,
                Some(Pattern::Complexity),
                "hybrid",
            ),
            (
                "sensitive quarter self-hosted, the rest on a cheap API",
                10e9,
                |w| {
                    w.api = "cheap".into();
                    w.privacy.sensitive_share = 0.25;
                    w.privacy.third_party_allowed = false;
                },
                Choice::Hybrid,
                Some(Pattern::Sensitivity),
                "hybrid",
            ),
            (
                "development on the API saves a unit",
                2.6e9,
                |w| {
                    w.dev_share = 0.1;
                    w.latency = Some(LatencyTarget {
                        target_ms: 150.0,
                        metric: LatencyMetric::Ttft,
                        percentile: Percentile::P95,
                    });
                },
                Choice::Hybrid,
                Some(Pattern::DevProd),
                "hybrid",
            ),
            (
                "constraints conflict",
                1e9,
                |w| {
                    w.privacy.sensitive_share = 1.0;
                    w.privacy.third_party_allowed = false;
                    w.capability.frontier_share = 1.0;
                },
                Choice::SelfHost,
                None,
                "conflict",
            ),
        ];
        let catalog = catalog();
        for (name, tokens, edit, choice, pattern, rule) in cases {
            let mut w = workload(*tokens);
            edit(&mut w);
            let a = analyze(&catalog, &w).unwrap();
            let r = &a.recommendation;
            assert_eq!(
                (r.choice, r.pattern),
                (*choice, *pattern),
                "{name}: {:#?}",
                r.reasons
            );
            assert!(
                r.reasons.iter().any(
                    |x| x.rule.id() == *rule && (x.favors == Some(*choice) || *rule == "score")
                ),
                "{name}: no {rule} reason for {choice:?}: {:#?}",
                r.reasons
            );
        }
    }

    #[test]
    fn hybrid_costs_are_split_costs() {
        // 5B with 20% frontier traffic: 4B self-hosted on 2 units ($8,000) + 1B on GPT-4o ($7,500).
        let mut w = workload(5e9);
        w.capability.frontier_share = 0.2;
        let a = analyze(&catalog(), &w).unwrap();
        let h = a
            .hybrids
            .iter()
            .find(|h| h.pattern == Pattern::Complexity)
            .unwrap();
        assert_eq!(h.self_host_units, 2);
        assert!((h.monthly_cost_usd - 15_500.0).abs() < 1e-6);
        assert!((a.api.cost.monthly_cost_usd - 37_500.0).abs() < 1e-6);
    }

    #[test]
    fn burst_baseline_minimises_total_cost() {
        // 2B a month, 48 h at 4x base: peak rate 9.15M tokens/h. One unit (3.42M/h) leaves
        // (9.154 - 3.425) x 48 = 275M tokens of overflow at $7.50 per 1M.
        let mut w = workload(2e9);
        w.traffic = spiky();
        let a = analyze(&catalog(), &w).unwrap();
        let h = a
            .hybrids
            .iter()
            .find(|h| h.pattern == Pattern::Burst)
            .unwrap();
        assert_eq!(h.self_host_units, 1);
        let avg = 2e9 / 730.0;
        let peak = avg * 4.0 * 730.0 / 874.0;
        let overflow = (peak - 2.5e9 / 730.0) * 48.0;
        assert!((h.api_tokens_per_month - overflow).abs() < 1.0);
        assert!((h.monthly_cost_usd - (4000.0 + overflow * 7.5e-6)).abs() < 1e-6);
        assert_eq!(a.self_host.cost.units, 3);
    }

    #[test]
    fn tie_band() {
        let cases: &[(f64, f64, Option<Choice>)] = &[
            (3750.0, 4000.0, None),
            (3600.0, 4000.0, None),
            (3599.0, 4000.0, Some(Choice::Api)),
            (4000.0, 4000.0, None),
            (7500.0, 4000.0, Some(Choice::SelfHost)),
            (0.0, 0.0, None),
        ];
        for &(api, sh, want) in cases {
            assert_eq!(winner(api, sh, 0.1), want, "{api} vs {sh}");
        }
    }
}
