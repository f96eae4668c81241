//! The stable machine codes of the JSON contract: one per kind of reason, blocker,
//! rejection, alternative, revisit advice, remedy and check, listed in
//! `docs/report.schema.json`. A code never changes meaning; a new kind of fact gets a new code.

use crate::engine::cost::team::Readiness;
use crate::engine::decision::check::CheckResult;
use crate::engine::decision::constraints::{Blocker, PrivacyGap};
use crate::engine::decision::{Advice, CostVerdict, Fact, HybridWhy, Violation, WhyNot};
use crate::engine::selfhost::matching::Matched;
use crate::engine::selfhost::remedies::Change;
use crate::engine::selfhost::search::RejectionKind;
use crate::model::Named;
use crate::model::decision::Choice;

/// A reason's code.
pub fn reason(f: &Fact) -> &'static str {
    match f {
        Fact::PrivacyBlocked { .. } => "privacy_blocked",
        Fact::PrivacyAllowed { .. } => "privacy_allowed",
        Fact::Frontier { .. } => "frontier_share",
        Fact::Tiers(t) => match t.matched {
            Matched::Named => "tier_mismatch_named",
            Matched::Strongest => "tier_gap",
            Matched::Changed => "tier_gap_changed",
            Matched::AtLeast => "tier_above",
        },
        Fact::Serverless { .. } => "serverless_baseline",
        Fact::Latency { .. } => "latency",
        Fact::Cost(CostVerdict::Tie { .. }) => "cost_roughly_equal",
        Fact::Cost(CostVerdict::Cheaper {
            choice: Choice::Api,
            ..
        }) => "cost_api_cheaper",
        Fact::Cost(CostVerdict::Cheaper { .. }) => "cost_self_host_cheaper",
        Fact::Hybrid { why, .. } => match why {
            HybridWhy::OnlyFeasible => "hybrid_only_feasible",
            HybridWhy::BeatsOnlyFeasible => "hybrid_beats_only_feasible",
            HybridWhy::BeatsCheapest => "hybrid_beats_cheapest",
        },
        Fact::Team(r) => match r {
            Readiness::Unknown => "team_unknown",
            Readiness::Ready => "team_ready",
            Readiness::CanHire => "team_can_hire",
            Readiness::CannotRun => "team_cannot_run",
        },
        Fact::Experimenting => "stage_experimenting",
        Fact::TimeToMarketCritical => "time_to_market_critical",
        Fact::FineTuning => "fine_tuning",
        Fact::AlwaysOn => "always_on",
        Fact::Score { .. } => "score",
        Fact::TeamCannotRun => "score_team_cannot_run",
        Fact::Conflict { why, .. } => match why {
            Violation::Privacy => "conflict_privacy",
            Violation::Capability => "conflict_capability",
            Violation::Context { .. } => "conflict_context",
            Violation::Latency { .. } => "conflict_latency",
        },
    }
}

/// How the self-hosted model was matched to the API's tier.
pub fn matched(m: Matched) -> &'static str {
    match m {
        Matched::AtLeast => "at_least",
        Matched::Strongest => "strongest",
        Matched::Named => "named",
        Matched::Changed => "changed",
    }
}

/// A blocker's code.
pub fn blocker(b: &Blocker) -> &'static str {
    match b {
        Blocker::SensitiveToApi(PrivacyGap::ThirdPartyForbidden) => "privacy_third_party",
        Blocker::SensitiveToApi(PrivacyGap::Compliance(_)) => "privacy_compliance",
        Blocker::Latency(m) if m.side == Choice::Api => "api_latency",
        Blocker::Latency(_) => "self_host_latency",
        Blocker::Frontier { .. } => "frontier_capability",
        Blocker::Context(_) => "api_context",
        Blocker::NoDeployment(_) => "no_deployment",
    }
}

/// A rejection's code.
pub fn rejection(k: &RejectionKind) -> &'static str {
    match k {
        RejectionKind::DoesNotFit => "does_not_fit",
        RejectionKind::NoCloudPrice => "no_cloud_price",
        RejectionKind::NoOwnedCost => "no_owned_cost",
        RejectionKind::MissesLatency => "misses_latency",
        RejectionKind::TooFewGpus { .. } => "too_few_gpus",
        RejectionKind::TooManyReplicas => "too_many_replicas",
        RejectionKind::ExceedsContext { .. } => "exceeds_context",
        RejectionKind::ExcludedByPrivacy => "excluded_by_privacy",
    }
}

/// Why an alternative was not chosen, as a code.
pub fn why_not(w: &WhyNot) -> &'static str {
    match w {
        WhyNot::Blocked => "ruled_out",
        WhyNot::CostsMore { .. } => "costs_more",
        WhyNot::CostsLess { .. } => "other_criteria",
        WhyNot::SavesTooLittle { .. } => "saving_inside_band",
    }
}

/// The revisit advice's code.
pub fn advice(a: &Advice) -> &'static str {
    match a {
        Advice::WatchTheBill => "watch_api_bill",
        Advice::BelowCrossover(_) => "below_crossover",
        Advice::AboveCrossover(_) => "above_crossover",
        Advice::NeverCheaper => "never_cheaper",
    }
}

/// A remedy's code.
pub fn change(c: &Change) -> &'static str {
    match c {
        Change::MoreTensorParallelism => "more_tensor_parallelism",
        Change::OtherGpu => "other_gpu",
        Change::GpuCount => "gpu_count",
        Change::OtherPrecision => "other_precision",
        Change::OtherHosting(_) => "other_hosting",
        Change::LowerUtilization(_) => "lower_utilization",
        Change::SmallerModel { .. } => "smaller_model",
    }
}

/// A check's code: its name.
pub fn check(c: &CheckResult) -> &'static str {
    c.name.id()
}
