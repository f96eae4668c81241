//! Like with like: which open models a decision may self-host against its API. With no model
//! named, the candidates are every open model whose capability tier is at least the API's (the
//! search then takes the cheapest deployment of any of them); when none reaches the API's
//! tier, the strongest tier there is, with the gap kept as a fact. A model the workload names
//! is used as named, and a tier that differs from the API's is kept as a fact too.

use super::search::{self, Deployment, RejectionKind, Search, Space};
use crate::engine::EngineError;
use crate::model::Named;
use crate::model::catalog::hardware::OpenModel;
use crate::model::catalog::{Catalog, Tier};
use crate::model::workload::Workload;

/// How the self-hosted model was matched to the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matched {
    /// The cheapest open model whose tier is at least the API's.
    AtLeast,
    /// No open model reaches the API's tier: the cheapest of the strongest there are.
    Strongest,
    /// The workload names the model.
    Named,
    /// A model the catalog reaches the API's tier with was not used: nothing as asked could
    /// serve, and the change taken is a smaller model.
    Changed,
}

/// The capability tiers on both sides of a decision.
#[derive(Debug, Clone, PartialEq)]
pub struct TierMatch {
    /// The API's catalog id.
    pub api: String,
    /// Its tier.
    pub api_tier: Tier,
    /// The self-hosted model's catalog id.
    pub model: String,
    /// Its tier.
    pub model_tier: Tier,
    /// How the model was chosen.
    pub matched: Matched,
}

impl TierMatch {
    /// Whether the self-hosted model is weaker than the API (a gap the report names).
    pub fn weaker(&self) -> bool {
        !self.model_tier.at_least(self.api_tier)
    }

    /// Whether the tiers differ in either direction.
    pub fn differs(&self) -> bool {
        self.model_tier != self.api_tier
    }
}

/// The open models a sized deployment may use: the named model, or every model at or above
/// the API's tier (else every model of the strongest tier), in catalog order. `None` when the
/// workload names its model or its API is not in the catalog: the search then takes the
/// workload's model (or the policy's default) alone.
pub fn candidates<'a>(catalog: &'a Catalog, workload: &Workload) -> Option<Vec<&'a OpenModel>> {
    if workload.deployment.model.is_some() {
        return None;
    }
    let api = catalog.api(&workload.api)?;
    let models = || catalog.models.iter().filter(|m| deployable(m, workload));
    let reaching: Vec<&OpenModel> = models().filter(|m| m.tier.at_least(api.tier)).collect();
    if !reaching.is_empty() {
        return Some(reaching);
    }
    let strongest = models().map(|m| m.tier).min()?;
    Some(models().filter(|m| m.tier == strongest).collect())
}

/// Whether the deployment asked for can serve the model: expert parallelism and attention
/// data parallelism need experts.
pub fn deployable(model: &OpenModel, workload: &Workload) -> bool {
    let d = &workload.deployment;
    (d.ep.is_none_or(|ep| ep <= 1) && !d.attention_dp) || model.experts.is_some()
}

/// The tiers on both sides once `model` serves the self-hosted side.
pub fn tiers(catalog: &Catalog, workload: &Workload, model: &OpenModel) -> Option<TierMatch> {
    let api = catalog.api(&workload.api)?;
    let matched = if workload.deployment.model.is_some() {
        Matched::Named
    } else if model.tier.at_least(api.tier) {
        Matched::AtLeast
    } else if catalog.models.iter().any(|m| m.tier.at_least(api.tier)) {
        Matched::Changed
    } else {
        Matched::Strongest
    };
    Some(TierMatch {
        api: api.id.clone(),
        api_tier: api.tier,
        model: model.id.clone(),
        model_tier: model.tier,
        matched,
    })
}

/// The first group of models (strongest first) of which some configuration fits in memory and
/// context as asked, searched as one, with the space its deployment belongs to: whatever else
/// stops a group (the latency target, too few GPUs, no price) would stop a weaker model too, and
/// the side's remedies say what would work. With none, the first group's search, for the
/// changes that would make it work; `None` only with no groups.
pub fn first_serving<'s, 'a>(
    catalog: &Catalog,
    workload: &Workload,
    groups: &'s [Vec<Space<'a>>],
) -> Option<(Search, &'s Space<'a>)> {
    let mut found = None;
    for spaces in groups {
        let (search, at) = search_models(catalog, workload, spaces);
        let fits = fits_somewhere(&search);
        if found.is_none() || fits {
            found = Some((search, &spaces[at]));
        }
        if fits {
            break;
        }
    }
    found
}

/// The search spaces of the models the side may use, in groups tried in order: the workload's
/// model alone; or every open model of at least the API's tier (else of the strongest tier),
/// then each weaker tier in turn, for when no model of a stronger one can serve as asked
/// ([`candidates`]).
pub fn spaces<'a>(
    catalog: &'a Catalog,
    workload: &Workload,
) -> Result<Vec<Vec<Space<'a>>>, EngineError> {
    let Some(models) = candidates(catalog, workload).filter(|m| !m.is_empty()) else {
        return Ok(vec![vec![search::space(catalog, workload)?]]);
    };
    let weakest = models
        .iter()
        .map(|m| m.tier)
        .max()
        .unwrap_or(Tier::Frontier);
    let mut groups = vec![models];
    for tier in Tier::ALL.iter().copied().filter(|t| *t > weakest) {
        let group: Vec<_> = catalog
            .models
            .iter()
            .filter(|m| m.tier == tier && deployable(m, workload))
            .collect();
        if !group.is_empty() {
            groups.push(group);
        }
    }
    groups
        .into_iter()
        .map(|group| {
            group
                .into_iter()
                .map(|m| {
                    let mut w = workload.clone();
                    w.deployment.model = Some(m.id.clone());
                    search::space(catalog, &w)
                })
                .collect()
        })
        .collect()
}

/// Searches every space as one: the cheapest deployment of any model (ties to fewer GPUs, then
/// to more capacity),
/// every passing deployment, and, when none passes, the fastest fit of any. Returns the
/// search and the index of the space its deployment belongs to; with none, of the first space
/// that fits somewhere as asked, else the first.
fn search_models(catalog: &Catalog, workload: &Workload, spaces: &[Space]) -> (Search, usize) {
    let mut all = Search {
        best: None,
        passing: Vec::new(),
        closest: None,
        evaluated: 0,
        rejected: Vec::new(),
    };
    let (mut best_at, mut closest_at, mut fitted_at) = (None, None, None);
    for (i, space) in spaces.iter().enumerate() {
        // A model's best is worked out in full only when it beats those before it.
        let found = search::search_beating(catalog, workload, space, all.best.as_ref());
        if fitted_at.is_none() && fits_somewhere(&found) {
            fitted_at = Some(i);
        }
        all.evaluated += found.evaluated;
        all.passing.extend(found.passing);
        for r in found.rejected {
            match all.rejected.iter_mut().find(|a| a.kind == r.kind) {
                Some(a) => a.configurations += r.configurations,
                None => all.rejected.push(r),
            }
        }
        if let Some(d) = found.best
            && all.best.as_ref().is_none_or(|b| d.preferred_to(b))
        {
            all.best = Some(d);
            best_at = Some(i);
        }
        if let Some(d) = found.closest {
            let ttft = |d: &Deployment| d.latency.ttft_p95_ms;
            if all.closest.as_ref().is_none_or(|c| ttft(&d) < ttft(c)) {
                all.closest = Some(d);
                closest_at = Some(i);
            }
        }
    }
    if all.best.is_some() {
        all.closest = None;
        closest_at = None;
    }
    // With nothing that serves, the changes that would make it work are looked for on a model
    // that fits somewhere as asked, not on one that fits nowhere.
    (all, best_at.or(closest_at).or(fitted_at).unwrap_or(0))
}

/// Whether some configuration of a search fits in memory and context as asked (whatever else
/// stopped it: the latency target, too few GPUs, no price).
fn fits_somewhere(search: &Search) -> bool {
    !search.passing.is_empty()
        || search.closest.is_some()
        || search.rejected.iter().any(|r| {
            !matches!(
                r.kind,
                RejectionKind::DoesNotFit | RejectionKind::ExceedsContext { .. }
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing;

    /// A model whose best does not beat an earlier model's returns no deployment (none is worked
    /// out), yet still passes and fits; one that beats it returns its own.
    #[test]
    fn a_space_beaten_by_an_earlier_best_passes_without_a_deployment() {
        let catalog = testing::catalog();
        let mut w = testing::workload(800e6);
        w.deployment.model = Some("llama-3.1-70b".into());
        let space = search::space(&catalog, &w).unwrap();
        let alone = search::search(&catalog, &w, &space);
        let best = alone.best.clone().unwrap();
        // A tie is not preferred: the earlier model keeps it.
        let beaten = search::search_beating(&catalog, &w, &space, Some(&best));
        assert_eq!((&beaten.best, &beaten.closest), (&None, &None));
        assert_eq!(beaten.passing, alone.passing);
        assert!(fits_somewhere(&beaten));
        let mut dearer = best.clone();
        dearer.monthly_cost_usd += 1.0;
        let beating = search::search_beating(&catalog, &w, &space, Some(&dearer));
        assert_eq!(beating.best, alone.best);
    }

    #[test]
    fn candidates_reach_the_apis_tier_or_are_the_strongest() {
        let mut catalog = testing::catalog();
        let mut small = catalog.models[0].clone();
        small.id = "small-model".into();
        small.tier = Tier::Small;
        catalog.models.push(small);
        let mut mini = catalog.apis[0].clone();
        mini.id = "mini".into();
        mini.tier = Tier::Standard;
        catalog.apis.push(mini);
        // The test catalog's open models: llama-3.1-70b (strong) and small-model (small); its
        // gpt-4o is frontier, "cheap" strong, "mini" standard.
        // (API, named model, candidates, the tiers' match for the first candidate or the named)
        type Case<'a> = (&'a str, Option<&'a str>, Option<&'a [&'a str]>, Matched);
        let cases: &[Case] = &[
            ("gpt-4o", None, Some(&["llama-3.1-70b"]), Matched::Strongest),
            ("cheap", None, Some(&["llama-3.1-70b"]), Matched::AtLeast),
            ("mini", None, Some(&["llama-3.1-70b"]), Matched::AtLeast),
            ("mini", Some("small-model"), None, Matched::Named),
            ("nowhere", None, None, Matched::Named),
        ];
        for (api, named, want, how) in cases {
            let mut w = testing::workload(1e9);
            w.api = (*api).to_string();
            w.deployment.model = named.map(str::to_string);
            let got = candidates(&catalog, &w);
            let ids = got.map(|ms| ms.iter().map(|m| m.id.as_str()).collect::<Vec<_>>());
            assert_eq!(ids.as_deref(), *want, "{api} {named:?}");
            let model = catalog.model(named.unwrap_or("llama-3.1-70b")).unwrap();
            if let Some(t) = tiers(&catalog, &w, model) {
                assert_eq!(t.matched, *how, "{api} {named:?}");
            }
        }
        // A weaker model taken although one reaches the API's tier is a change, not a gap.
        let mut w = testing::workload(1e9);
        w.api = "cheap".into();
        let t = tiers(&catalog, &w, catalog.model("small-model").unwrap()).unwrap();
        assert_eq!((t.matched, t.weaker()), (Matched::Changed, true));
    }
}
