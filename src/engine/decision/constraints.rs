//! The hard constraints, worked out once and applied to every option: sensitive traffic may
//! not reach an API that lacks what privacy requires, frontier traffic may not go to an open
//! model, and a side that misses the latency target may not serve users. Each is a
//! [`Blocker`]: a fact with its numbers, put into words by the report.

use crate::engine::decision::hybrid::Exposure;
use crate::engine::selfhost::NoDeployment;
use crate::engine::serving::latency::{LatencyEstimate, Origin, Part};
use crate::model::catalog::{ApiModel, ComplianceOffer};
use crate::model::decision::Choice;
use crate::model::workload::{ApiNetwork, LatencyMetric, LatencyTarget, Percentile, Workload};

/// What rules an option out.
#[derive(Debug, Clone, PartialEq)]
pub enum Blocker {
    /// Sensitive traffic would reach the API, which may not process it.
    SensitiveToApi(PrivacyGap),
    /// A side the option sends users to misses the latency target.
    Latency(LatencyMiss),
    /// The request is longer than an API model's context window.
    Context(ContextGap),
    /// Traffic that needs frontier reasoning would go to an open model.
    Frontier {
        /// Share of traffic that needs it.
        share: f64,
        /// Whether it is the part of an API mix whose tier the self-hosted model does not
        /// reach (rather than a frontier share the workload gives).
        mix: bool,
    },
    /// No deployment meets every requirement.
    NoDeployment(Box<NoDeployment>),
}

/// A request longer than a model's context window.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextGap {
    /// The model.
    pub model: String,
    /// Its context window, tokens.
    pub context_tokens: f64,
    /// The request's prompt, tokens.
    pub request_tokens: f64,
}

/// Why the API may not process sensitive traffic.
#[derive(Debug, Clone, PartialEq)]
pub enum PrivacyGap {
    /// Third-party processing is not allowed at all.
    ThirdPartyForbidden,
    /// Required compliance offers that an API model lacks, or is not known to have.
    Compliance(Vec<OfferGap>),
}

/// A compliance offer an API model does not have, or is not known to have.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferGap {
    /// The API model.
    pub api: String,
    /// The offer required.
    pub offer: ComplianceOffer,
    /// Whether it is known not to be offered (false: unknown).
    pub known: bool,
}

/// A side's latency against the target it misses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatencyMiss {
    /// The side.
    pub side: Choice,
    /// The figure the target applies to, ms.
    pub figure_ms: f64,
    /// The target.
    pub target: LatencyTarget,
    /// The figure is a lower bound (network and queueing alone).
    pub lower_bound: bool,
    /// The network round trip at the target's percentile, when it alone misses the target (no
    /// deployment or provider can then meet it), ms.
    pub network_floor_ms: Option<f64>,
}

/// The network part of a side's time to first token at the target's percentile, when it alone
/// is over a TTFT or end-to-end target and nothing could lower it: the self-hosted round trip,
/// or an API round trip that is measured or already the near region's (an API whose region is
/// unknown or far might be reached faster from nearby).
fn network_floor(e: &LatencyEstimate, target: &LatencyTarget) -> Option<f64> {
    if target.metric == LatencyMetric::Tpot {
        return None;
    }
    let settled = |o: &Origin| {
        matches!(
            o,
            Origin::SelfHostNetwork
                | Origin::ApiNetwork(ApiNetwork::Near | ApiNetwork::Measured(_))
        )
    };
    let network: f64 = e
        .components
        .iter()
        .filter(|c| c.name == Part::NetworkRtt && settled(&c.source))
        .map(|c| match target.percentile {
            Percentile::P50 => c.p50_ms,
            Percentile::P95 => c.p95_ms,
            Percentile::P99 => c.p99_ms,
        })
        .sum();
    (network > target.target_ms).then_some(network)
}

/// The hard constraints of a workload.
pub struct Constraints {
    /// Why sensitive traffic may not go to the API, if it may not.
    pub api_privacy: Option<PrivacyGap>,
    /// How the API misses the latency target, if it does.
    pub api_latency: Option<LatencyMiss>,
    /// The API models whose context window the request's prompt does not fit.
    pub api_context: Vec<ContextGap>,
    /// Share of traffic that needs frontier reasoning (or, for a mix, a tier the self-hosted
    /// model does not reach), when there is any; and whether it is a mix's.
    pub self_frontier: Option<(f64, bool)>,
    /// How the self-hosted side misses the latency target, if it does.
    pub self_latency: Option<LatencyMiss>,
}

impl Constraints {
    /// The constraints of `w` with the API models `models` and both sides' latency.
    pub fn new(
        w: &Workload,
        models: &[&ApiModel],
        api: &LatencyEstimate,
        sh: &LatencyEstimate,
    ) -> Self {
        let miss = |e: &LatencyEstimate, side: Choice| {
            let target = w.latency?;
            (e.meets_target == Some(false)).then(|| LatencyMiss {
                side,
                figure_ms: e.target_estimate_ms.unwrap_or(e.ttft_p95_ms),
                target,
                lower_bound: e.lower_bound,
                network_floor_ms: network_floor(e, &target),
            })
        };
        Constraints {
            api_privacy: privacy_gap(w, models),
            api_latency: miss(api, Choice::Api),
            api_context: context_gaps(w, models),
            self_frontier: (w.capability.frontier_share > 0.0)
                .then_some((w.capability.frontier_share, !w.apis.is_empty())),
            self_latency: miss(sh, Choice::SelfHost),
        }
    }

    /// What rules out an option that routes traffic as `e` says, using the API and the
    /// self-hosted side as asked.
    pub fn blockers(&self, e: Exposure, uses_api: bool, uses_self: bool) -> Vec<Blocker> {
        let mut out = Vec::new();
        if uses_api
            && e.api_gets_sensitive
            && let Some(p) = &self.api_privacy
        {
            out.push(Blocker::SensitiveToApi(p.clone()));
        }
        if uses_api
            && e.api_user_facing
            && let Some(l) = self.api_latency
        {
            out.push(Blocker::Latency(l));
        }
        if uses_api {
            out.extend(self.api_context.iter().cloned().map(Blocker::Context));
        }
        if uses_self
            && e.self_gets_frontier
            && let Some((share, mix)) = self.self_frontier
        {
            out.push(Blocker::Frontier { share, mix });
        }
        if uses_self && let Some(l) = self.self_latency {
            out.push(Blocker::Latency(l));
        }
        out
    }
}

/// The API models whose context window (the prompt they accept) the request's prompt exceeds.
fn context_gaps(w: &Workload, models: &[&ApiModel]) -> Vec<ContextGap> {
    let Some(request) = w.request else {
        return Vec::new();
    };
    models
        .iter()
        .filter_map(|m| {
            let context = m.context_tokens?;
            (request.input_tokens > context).then(|| ContextGap {
                model: m.id.clone(),
                context_tokens: context,
                request_tokens: request.input_tokens,
            })
        })
        .collect()
}

/// Why sensitive traffic may not go to the API models, if it may not.
fn privacy_gap(w: &Workload, models: &[&ApiModel]) -> Option<PrivacyGap> {
    let p = &w.privacy;
    if p.sensitive_share <= 0.0 {
        return None;
    }
    if !p.third_party_allowed {
        return Some(PrivacyGap::ThirdPartyForbidden);
    }
    let gaps: Vec<OfferGap> = p
        .requires
        .iter()
        .flat_map(|offer| {
            models
                .iter()
                .filter_map(move |m| match m.compliance.offers(*offer) {
                    Some(true) => None,
                    known => Some(OfferGap {
                        api: m.id.clone(),
                        offer: *offer,
                        known: known.is_some(),
                    }),
                })
        })
        .collect();
    (!gaps.is_empty()).then_some(PrivacyGap::Compliance(gaps))
}
