//! The facts of a decision: each reason with the criterion it comes from and its numbers,
//! why each option not chosen was not, and when to revisit. The report words them.

use super::constraints::PrivacyGap;
use crate::engine::cost::team::Readiness;
use crate::engine::selfhost::matching::TierMatch;
use crate::model::catalog::ComplianceOffer;
use crate::model::decision::{Choice, Pattern};
use crate::model::workload::{LatencyTarget, PrivacyLevel};
use serde::Serialize;

/// The criterion a reason comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Privacy.
    Privacy,
    /// Frontier capability.
    Capability,
    /// The latency target.
    Latency,
    /// Cost at the workload's volume.
    Cost,
    /// The team.
    Team,
    /// Product stage.
    Stage,
    /// Time-to-market.
    TimeToMarket,
    /// Fine-tuning.
    FineTuning,
    /// 24/7 production.
    AlwaysOn,
    /// A hybrid plan.
    Hybrid,
    /// The soft-criteria score.
    Score,
    /// Constraints that no option satisfies.
    Conflict,
}

crate::named!(Rule {
    Privacy => "privacy",
    Capability => "capability",
    Latency => "latency",
    Cost => "cost",
    Team => "team",
    Stage => "stage",
    TimeToMarket => "time-to-market",
    FineTuning => "fine-tuning",
    AlwaysOn => "always-on",
    Hybrid => "hybrid",
    Score => "score",
    Conflict => "conflict",
});

/// What a reason says, with its numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// Sensitive traffic may not go to the API.
    PrivacyBlocked {
        /// The level.
        level: PrivacyLevel,
        /// Share of traffic that is sensitive.
        sensitive_share: f64,
        /// Why not.
        gap: Option<PrivacyGap>,
    },
    /// Third-party processing is allowed (with the offers required, which the API has).
    PrivacyAllowed {
        /// The level.
        level: PrivacyLevel,
        /// Share of traffic that is sensitive.
        sensitive_share: f64,
        /// Offers required.
        requires: Vec<ComplianceOffer>,
    },
    /// A share of the traffic needs frontier reasoning and stays on an API.
    Frontier {
        /// The share.
        share: f64,
        /// The frontier API.
        api: String,
    },
    /// The self-hosted model's capability tier differs from the API's.
    Tiers(TierMatch),
    /// The self-hosted model as a serverless API, against self-hosting it.
    Serverless(Baseline),
    /// Both sides against the latency target; with no measured API latency, the article's
    /// threshold applies below `rule_of_thumb_ms`.
    Latency {
        /// The target.
        target: LatencyTarget,
        /// The article's threshold, when it applies.
        rule_of_thumb_ms: Option<f64>,
    },
    /// Both sides' cost at the workload's volume.
    Cost(CostVerdict),
    /// A hybrid plan wins.
    Hybrid {
        /// Its pattern.
        pattern: Pattern,
        /// Its cost, USD a month.
        monthly_cost_usd: f64,
        /// What it beats: the option and its cost.
        against: Option<(Choice, f64)>,
        /// Why it wins.
        why: HybridWhy,
    },
    /// The team against the staffing table's minimum.
    Team(Readiness),
    /// Still experimenting.
    Experimenting,
    /// Time-to-market is critical.
    TimeToMarketCritical,
    /// Fine-tuned models are needed.
    FineTuning,
    /// A 24/7 production workload.
    AlwaysOn,
    /// The soft-criteria total.
    Score {
        /// Points for self-hosting.
        total: f64,
    },
    /// The team cannot run a deployment and cannot hire.
    TeamCannotRun,
    /// No option satisfies every constraint; the lesser violation wins.
    Conflict {
        /// The choice.
        choice: Choice,
        /// Why it is the lesser violation.
        why: Violation,
    },
}

/// The cheapest serverless API of the self-hosted model, against self-hosting it.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// The serverless API's catalog id.
    pub api: String,
    /// Its cost, USD a month.
    pub monthly_cost_usd: f64,
    /// The self-hosted side's, USD a month.
    pub self_host_usd: f64,
    /// How far apart, relative to the larger.
    pub gap: f64,
}

/// The cost comparison at the workload's volume.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CostVerdict {
    /// Within the roughly-equal band.
    Tie {
        /// How far apart, relative to the larger.
        gap: f64,
        /// The band.
        band: f64,
    },
    /// One side is cheaper.
    Cheaper {
        /// The cheaper side.
        choice: Choice,
        /// By how much, relative to the larger.
        gap: f64,
    },
}

/// Why a hybrid plan is the recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HybridWhy {
    /// No pure option satisfies every constraint.
    OnlyFeasible,
    /// It beats the only feasible pure option by more than the band.
    BeatsOnlyFeasible,
    /// It beats the cheapest pure option by more than the band.
    BeatsCheapest,
}

/// Why one side is the lesser violation when no option satisfies every constraint.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Violation {
    /// Privacy is a legal limit.
    Privacy,
    /// Frontier traffic would go to a weaker model.
    Capability,
    /// The request's prompt is longer than a side's context window: that side cannot serve it
    /// at all (`both`: neither can; this side's window is the longer).
    Context {
        /// Whether both sides' windows are too short.
        both: bool,
    },
    /// Neither meets the latency target; this side comes closest.
    Latency {
        /// Its figure, ms.
        figure_ms: f64,
    },
}

/// One reason behind the recommendation.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// The criterion.
    pub rule: Rule,
    /// What it argues for, if anything.
    pub favors: Option<Choice>,
    /// Points it added to the soft-criteria score, when it was scored.
    pub points: Option<f64>,
    /// What it says.
    pub fact: Fact,
}

/// Why an option was not chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WhyNot {
    /// A constraint rules it out (its blockers say which).
    Blocked,
    /// It costs more.
    CostsMore {
        /// By how much, USD a month.
        usd: f64,
        /// How much cheaper the choice is, as a share of this option's cost (the gap every
        /// cost comparison uses: relative to the dearer side).
        share: f64,
    },
    /// It costs less, but the other criteria favor the choice.
    CostsLess {
        /// By how much, USD a month.
        usd: f64,
        /// The choice the criteria favor.
        choice: Choice,
    },
    /// A hybrid that saves less than the band needed to run both sides.
    SavesTooLittle {
        /// The saving, USD a month.
        usd: f64,
        /// The saving as a share of the dearer cost.
        share: f64,
        /// The band.
        band: f64,
    },
}

/// An option not chosen, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternative {
    /// The option.
    pub choice: Choice,
    /// Its hybrid pattern, if a hybrid.
    pub pattern: Option<Pattern>,
    /// Its cost, USD per month.
    pub monthly_cost_usd: f64,
    /// Why it was not chosen.
    #[serde(skip)]
    pub why_not: WhyNot,
}

/// The advice on when to look again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Advice {
    /// The API is the choice: watch its bill against the planning marks.
    WatchTheBill,
    /// Self-hosting or a hybrid below the crossover: constraints, not cost, decide.
    BelowCrossover(f64),
    /// Above the crossover: revisit if volume falls below it.
    AboveCrossover(f64),
    /// Self-hosting is never cheaper at these prices.
    NeverCheaper,
}

/// When to look again.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revisit {
    /// The crossover volume; `None`: never.
    pub crossover_tokens_per_month: Option<f64>,
    /// Volume at which the API bill reaches the "start planning" mark.
    pub start_planning_tokens_per_month: Option<f64>,
    /// Volume at which the API bill reaches the "be ready to switch" mark.
    pub ready_to_switch_tokens_per_month: Option<f64>,
    /// The advice.
    #[serde(skip)]
    pub advice: Advice,
}

/// The recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// API, self-host or hybrid.
    pub choice: Choice,
    /// The hybrid pattern, when hybrid.
    pub pattern: Option<Pattern>,
    /// Monthly cost of the recommended option, USD.
    pub monthly_cost_usd: f64,
    /// The reasons, hard constraints first.
    #[serde(skip)]
    pub reasons: Vec<Reason>,
    /// The options not chosen.
    pub alternatives: Vec<Alternative>,
    /// When to look again.
    pub revisit: Revisit,
    /// Soft-criteria score (positive favors self-hosting); `None` when constraints decided.
    pub score: Option<f64>,
}
