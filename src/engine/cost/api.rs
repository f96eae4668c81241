//! The API side: one API model's effective rates at a token mix (prompt caching, batching,
//! long-context prices), and a plan of several APIs each with its share of the traffic (the
//! workload's API and its frontier API, or a mix the workload gives, split by capability tier
//! into the traffic a self-hosted side may take and the traffic that stays on an API).

use crate::engine::EngineError;
use crate::model::catalog::{ApiModel, Catalog, Tier};
use crate::model::workload::Workload;
use serde::Serialize;

/// The token mix of a workload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mix {
    /// Share of tokens that are input tokens.
    pub input_share: f64,
    /// Share of input tokens read from the prompt cache.
    pub cached_input_share: f64,
    /// Share of traffic sent through the batch API.
    pub batch_share: f64,
    /// Input tokens of the workload's request, when it gives its shape: a model that charges
    /// more above a prompt length charges that for it.
    pub prompt_tokens: Option<f64>,
}

/// Effective USD per 1M input and per 1M output tokens of an API, caching and batching folded
/// in; `at(share)` blends them at an input share.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rates {
    /// USD per 1M input tokens.
    pub input: f64,
    /// USD per 1M output tokens.
    pub output: f64,
}

impl Rates {
    /// USD per 1M tokens at `input_share`.
    pub fn at(&self, input_share: f64) -> f64 {
        input_share * self.input + (1.0 - input_share) * self.output
    }

    /// The mix of two rates: `(1 - share) x self + share x other`.
    pub fn mixed(&self, other: &Rates, share: f64) -> Rates {
        Rates {
            input: (1.0 - share) * self.input + share * other.input,
            output: (1.0 - share) * self.output + share * other.output,
        }
    }
}

/// Effective USD per 1M tokens of one API model at a mix.
///
/// `input = (1 - cached) x input_price + cached x cached_price`;
/// `blended = input_share x input + (1 - input_share) x output_price`;
/// `effective = blended x (1 - batch_share x batch_discount)`.
pub fn usd_per_mtok(api: &ApiModel, mix: &Mix) -> Result<f64, EngineError> {
    Ok(rates(api, mix)?.at(mix.input_share))
}

/// The effective input and output rates of one API model under a mix's caching and batching.
pub fn rates(api: &ApiModel, mix: &Mix) -> Result<Rates, EngineError> {
    // Above its long-context threshold a model charges its long-context prices for the whole
    // request; a cached price it does not give is taken at its long-context input price.
    let long = api
        .long_context
        .as_ref()
        .filter(|l| mix.prompt_tokens.is_some_and(|p| p > l.above_input_tokens));
    let (input_price, output_price, cached) = match long {
        Some(l) => (
            l.input_usd_per_mtok,
            l.output_usd_per_mtok,
            Some(l.cached_input_usd_per_mtok.unwrap_or(l.input_usd_per_mtok)),
        ),
        None => (
            api.input_usd_per_mtok,
            api.output_usd_per_mtok,
            api.cached_input_usd_per_mtok,
        ),
    };
    let cached_price = match (mix.cached_input_share > 0.0, cached) {
        (false, _) => 0.0,
        (true, Some(p)) => p,
        (true, None) => {
            return Err(EngineError::MissingPrice {
                entry: api.id.clone(),
                price: "cached_input_usd_per_mtok",
                because: ("cached_input_share", mix.cached_input_share),
                fix: "give the cached-input price in a --pricing file, or set cached_input_share to 0",
            });
        }
    };
    let discount = match (mix.batch_share > 0.0, api.batch_discount) {
        (false, _) => 0.0,
        (true, Some(d)) => d,
        (true, None) => {
            return Err(EngineError::MissingPrice {
                entry: api.id.clone(),
                price: "batch_discount",
                because: ("batch_share", mix.batch_share),
                fix: "give the batch discount in a --pricing file, or set batch_share to 0",
            });
        }
    };
    let input =
        (1.0 - mix.cached_input_share) * input_price + mix.cached_input_share * cached_price;
    let batch = 1.0 - mix.batch_share * discount;
    Ok(Rates {
        input: input * batch,
        output: output_price * batch,
    })
}

/// One API of a plan and its share of all the plan's traffic.
#[derive(Debug, Clone, PartialEq)]
pub struct Part<'a> {
    /// The API model.
    pub model: &'a ApiModel,
    /// Its share of the traffic (0 to 1).
    pub share: f64,
    /// Whether it stays on the API whatever the self-hosted side does: the workload's
    /// frontier traffic, or an API of a mix whose tier no open model reaches.
    pub kept: bool,
}

/// The API side: the APIs the traffic goes to, each with its share. For a workload with one
/// API, that API and the frontier API for the frontier share (kept); for a mix, each API of
/// the mix, those of a tier above what an open model reaches kept.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiPlan<'a> {
    /// The parts, in the workload's order; their shares add up to 1.
    pub parts: Vec<Part<'a>>,
}

/// What the API side costs at a volume.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiCost {
    /// Tokens per month priced.
    pub tokens_per_month: f64,
    /// Total, USD per month.
    pub monthly_cost_usd: f64,
    /// Part paid for the traffic a self-hosted side could take, USD per month.
    pub main_usd: f64,
    /// Part paid for the traffic that stays on an API (frontier), USD per month.
    pub frontier_usd: f64,
    /// Effective price across the mix, USD per 1M tokens.
    pub usd_per_mtok: f64,
    /// Each API's share and cost (one entry per API, in the workload's order).
    pub parts: Vec<PartCost>,
}

/// One API's share of the API side and what it costs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartCost {
    /// Catalog id.
    pub api: String,
    /// Its capability tier.
    pub tier: Tier,
    /// Its share of the tokens.
    pub share: f64,
    /// Whether it stays on the API in every option (frontier traffic, or a tier no open model
    /// reaches); otherwise a self-hosted or hybrid option may take its traffic.
    pub stays_on_api: bool,
    /// Its effective price, USD per 1M tokens.
    pub usd_per_mtok: f64,
    /// Its cost at the plan's volume, USD per month.
    pub monthly_cost_usd: f64,
}

impl<'a> ApiPlan<'a> {
    /// The share of traffic that stays on an API.
    pub fn frontier_share(&self) -> f64 {
        self.parts.iter().filter(|p| p.kept).map(|p| p.share).sum()
    }

    /// The API a report names the plan by: the largest part a self-hosted side may take
    /// (the first on a tie), else the largest kept part.
    pub fn lead(&self) -> &'a ApiModel {
        let largest = |kept: bool| {
            self.parts
                .iter()
                .filter(|p| p.kept == kept)
                .reduce(|a, b| if b.share > a.share { b } else { a })
        };
        largest(false)
            .or_else(|| largest(true))
            .map_or_else(|| unreachable!("a plan has at least one part"), |p| p.model)
    }

    /// Each part that carries traffic, with its effective price.
    fn priced(&self, mix: &Mix) -> Result<Vec<(&Part<'a>, Rates)>, EngineError> {
        self.parts
            .iter()
            .filter(|p| p.share > 0.0)
            .map(|p| Ok((p, rates(p.model, mix)?)))
            .collect()
    }

    /// Effective rates across the parts.
    pub fn rates(&self, mix: &Mix) -> Result<Rates, EngineError> {
        Ok(self.priced(mix)?.iter().fold(
            Rates {
                input: 0.0,
                output: 0.0,
            },
            |sum, (p, r)| Rates {
                input: sum.input + p.share * r.input,
                output: sum.output + p.share * r.output,
            },
        ))
    }

    /// Effective USD per 1M tokens across the parts.
    pub fn usd_per_mtok(&self, mix: &Mix) -> Result<f64, EngineError> {
        Ok(self.rates(mix)?.at(mix.input_share))
    }

    /// Monthly cost at `tokens` tokens a month.
    pub fn cost(&self, mix: &Mix, tokens: f64) -> Result<ApiCost, EngineError> {
        let parts: Vec<PartCost> = self
            .priced(mix)?
            .into_iter()
            .map(|(p, r)| {
                let usd_per_mtok = r.at(mix.input_share);
                PartCost {
                    api: p.model.id.clone(),
                    tier: p.model.tier,
                    share: p.share,
                    stays_on_api: p.kept,
                    usd_per_mtok,
                    monthly_cost_usd: tokens * p.share * usd_per_mtok / 1e6,
                }
            })
            .collect();
        let paid = |kept: bool| {
            parts
                .iter()
                .filter(|p| p.stays_on_api == kept)
                .map(|p| p.monthly_cost_usd)
                .sum::<f64>()
        };
        let (main_usd, frontier_usd) = (paid(false), paid(true));
        Ok(ApiCost {
            tokens_per_month: tokens,
            monthly_cost_usd: main_usd + frontier_usd,
            main_usd,
            frontier_usd,
            usd_per_mtok: parts.iter().map(|p| p.share * p.usd_per_mtok).sum(),
            parts,
        })
    }

    /// The plan for the traffic that stays on an API: the kept parts, their shares scaled to
    /// the whole (no part when nothing is kept).
    pub fn frontier_only(&self) -> ApiPlan<'a> {
        let kept = self.frontier_share();
        ApiPlan {
            parts: self
                .parts
                .iter()
                .filter(|p| p.kept && p.share > 0.0)
                .map(|p| Part {
                    share: p.share / kept,
                    ..p.clone()
                })
                .collect(),
        }
    }

    /// The plan's API models, each once, in the plan's order.
    pub fn models(&self) -> Vec<&'a ApiModel> {
        self.distinct(|_| true)
    }

    /// The API models of the traffic a self-hosted side may take, each once.
    pub fn replaceable(&self) -> Vec<&'a ApiModel> {
        self.distinct(|p| !p.kept)
    }

    fn distinct(&self, keep: impl Fn(&Part) -> bool) -> Vec<&'a ApiModel> {
        let mut models: Vec<&ApiModel> = Vec::new();
        for p in self.parts.iter().filter(|p| keep(p)) {
            if models.iter().all(|m| m.id != p.model.id) {
                models.push(p.model);
            }
        }
        models
    }
}

/// The workload's API plan and its token mix. With one API: the API for all but the frontier
/// share, and the frontier API for that share (kept). With a mix: each API of the mix, kept
/// where [`reach`] says no open model reaches its tier; when none of the mix is reached, no
/// part is kept (the self-hosted side is then matched to the strongest open models, with the
/// gap kept as a fact, as for one API).
pub fn api_plan<'a>(
    catalog: &'a Catalog,
    workload: &Workload,
) -> Result<(ApiPlan<'a>, Mix), EngineError> {
    let find_api = |id: &str| {
        catalog.api(id).ok_or_else(|| EngineError::UnknownId {
            what: "API id",
            id: id.to_string(),
        })
    };
    let parts = if workload.apis.is_empty() {
        let f = workload.capability.frontier_share;
        let mut parts = vec![Part {
            model: find_api(&workload.api)?,
            share: 1.0 - f,
            kept: false,
        }];
        if f > 0.0 {
            parts.push(Part {
                model: find_api(&workload.capability.frontier_api)?,
                share: f,
                kept: true,
            });
        }
        parts
    } else {
        let reach = reach(catalog, workload);
        let mut parts = workload
            .apis
            .iter()
            .map(|a| {
                let model = find_api(&a.api)?;
                let kept = reach.is_some_and(|r| !r.at_least(model.tier));
                Ok(Part {
                    model,
                    share: a.share,
                    kept,
                })
            })
            .collect::<Result<Vec<_>, EngineError>>()?;
        if parts.iter().all(|p| p.kept) {
            for p in &mut parts {
                p.kept = false;
            }
        }
        parts
    };
    let mix = Mix {
        input_share: workload.input_share,
        cached_input_share: workload.cached_input_share,
        batch_share: workload.batch_share,
        prompt_tokens: workload.request.map(|r| r.input_tokens),
    };
    Ok((ApiPlan { parts }, mix))
}

/// The strongest capability tier the self-hosted side can serve: the named model's, else the
/// strongest of the open models a sized deployment may use. `None` for a packaged setup or a
/// unit given by its cost and capacity, whose model the tool does not judge: it is taken to
/// serve every API of a mix, as it is taken to serve the one API.
pub fn reach(catalog: &Catalog, workload: &Workload) -> Option<Tier> {
    if workload.setup_named || workload.given_unit.usd_per_month.is_some() {
        return None;
    }
    match &workload.deployment.model {
        Some(id) => catalog.model(id).map(|m| m.tier),
        None => catalog
            .models
            .iter()
            .filter(|m| crate::engine::selfhost::matching::deployable(m, workload))
            .map(|m| m.tier)
            .min(),
    }
}

/// The workload as the rest of the engine reads it once its mix is split: `api` is the
/// strongest API the self-hosted side may take (the one its model is matched against; the
/// largest of them on a tie), and the frontier share and API are the kept parts' (the largest
/// kept API named). A workload with one API is returned as it is.
pub fn with_mix_split(catalog: &Catalog, workload: &Workload) -> Result<Workload, EngineError> {
    let mut w = workload.clone();
    if workload.apis.is_empty() {
        return Ok(w);
    }
    let (plan, _) = api_plan(catalog, workload)?;
    // Tiers order strongest first; `min_by` keeps the first of equals.
    let strongest = plan
        .parts
        .iter()
        .filter(|p| !p.kept)
        .min_by(|a, b| (a.model.tier.cmp(&b.model.tier)).then(b.share.total_cmp(&a.share)));
    if let Some(p) = strongest {
        w.api.clone_from(&p.model.id);
    }
    let kept = plan.frontier_only();
    w.capability.frontier_share = plan.frontier_share();
    if !kept.parts.is_empty() {
        w.capability.frontier_api.clone_from(&kept.lead().id);
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::api;

    #[test]
    fn blended_prices() {
        let gpt4o = api("gpt-4o", 2.5, 10.0, Some(1.25), Some(0.5));
        let cases: &[(f64, f64, f64, f64)] = &[
            // input share, cached share, batch share, USD per 1M
            (1.0 / 3.0, 0.0, 0.0, 7.5),
            (0.5, 0.0, 0.0, 6.25),
            (1.0, 0.0, 0.0, 2.5),
            (0.0, 0.0, 0.0, 10.0),
            (1.0, 0.5, 0.0, 1.875),
            (0.5, 0.0, 1.0, 3.125),
            (0.5, 1.0, 0.5, (0.5 * 1.25 + 5.0) * 0.75),
        ];
        for &(input_share, cached_input_share, batch_share, want) in cases {
            let mix = Mix {
                input_share,
                cached_input_share,
                batch_share,
                prompt_tokens: None,
            };
            let got = usd_per_mtok(&gpt4o, &mix).unwrap();
            assert!(
                (got - want).abs() < 1e-9,
                "{input_share} {cached_input_share} {batch_share}: {got} != {want}"
            );
        }
    }

    /// Above its threshold a long-context model charges its long-context prices for the whole
    /// request. Gemini 2.5 Pro's shape: $1.25/$10 (cached $0.125), above 200k input tokens
    /// $2.50/$15 (cached $0.25).
    #[test]
    fn long_prompts_pay_long_context_prices() {
        let mut pro = api("pro", 1.25, 10.0, Some(0.125), None);
        pro.long_context = Some(crate::model::catalog::LongContext {
            above_input_tokens: 200_000.0,
            input_usd_per_mtok: 2.5,
            output_usd_per_mtok: 15.0,
            cached_input_usd_per_mtok: Some(0.25),
        });
        // (prompt tokens, cached share, USD per 1M at a half input share)
        let cases: &[(Option<f64>, f64, f64)] = &[
            (None, 0.0, 0.5 * 1.25 + 0.5 * 10.0),
            (Some(200_000.0), 0.0, 0.5 * 1.25 + 0.5 * 10.0),
            (Some(200_001.0), 0.0, 0.5 * 2.5 + 0.5 * 15.0),
            // Half the input cached: input (2.5 + 0.25) / 2 = 1.375.
            (Some(300_000.0), 0.5, 0.5 * 1.375 + 0.5 * 15.0),
        ];
        for &(prompt_tokens, cached_input_share, want) in cases {
            let mix = Mix {
                input_share: 0.5,
                cached_input_share,
                batch_share: 0.0,
                prompt_tokens,
            };
            let got = usd_per_mtok(&pro, &mix).unwrap();
            assert!(
                (got - want).abs() < 1e-12,
                "{prompt_tokens:?}: {got} != {want}"
            );
        }
    }

    #[test]
    fn missing_prices_are_errors_not_zero() {
        let bare = api("bare", 1.0, 2.0, None, None);
        let cached = Mix {
            input_share: 0.5,
            cached_input_share: 0.2,
            batch_share: 0.0,
            prompt_tokens: None,
        };
        let e = usd_per_mtok(&bare, &cached).unwrap_err();
        assert_eq!(
            e.to_string(),
            "API \"bare\" has no cached_input_usd_per_mtok, but cached_input_share is 0.2; give the cached-input price in a --pricing file, or set cached_input_share to 0"
        );
        let batch = Mix {
            input_share: 0.5,
            cached_input_share: 0.0,
            batch_share: 0.3,
            prompt_tokens: None,
        };
        assert!(usd_per_mtok(&bare, &batch).is_err());
    }

    /// Each part pays its share at its own price; what stays on the API is the kept parts'.
    /// At an input share of 1/3: mini $0.15/$0.60 is $0.45 per 1M, big $2.50/$10 is $7.50,
    /// small $0.03/$0.06 is $0.05.
    #[test]
    fn each_part_pays_its_share_at_its_price() {
        let (mini, big, small) = (
            api("mini", 0.15, 0.6, None, None),
            api("big", 2.5, 10.0, None, None),
            api("small", 0.03, 0.06, None, None),
        );
        let part = |model, share, kept| Part { model, share, kept };
        let mix = Mix {
            input_share: 1.0 / 3.0,
            cached_input_share: 0.0,
            batch_share: 0.0,
            prompt_tokens: None,
        };
        // (parts, lead, USD a month at 50M tokens: self-host may take, stays, total)
        let cases: Vec<(Vec<Part>, &str, [f64; 3])> = vec![
            // One API with a 20% frontier share: 40M x $0.45 = $18; 10M x $7.50 = $75.
            (
                vec![part(&mini, 0.8, false), part(&big, 0.2, true)],
                "mini",
                [18.0, 75.0, 93.0],
            ),
            // All of it frontier: the main API is kept by name, and paid nothing.
            (
                vec![part(&mini, 0.0, false), part(&big, 1.0, true)],
                "mini",
                [0.0, 375.0, 375.0],
            ),
            // A mix of three, the big one kept: 30M x $0.45 = $13.50, 5M x $0.05 = $0.25;
            // 15M x $7.50 = $112.50.
            (
                vec![
                    part(&mini, 0.6, false),
                    part(&big, 0.3, true),
                    part(&small, 0.1, false),
                ],
                "mini",
                [13.75, 112.5, 126.25],
            ),
            // Nothing kept: the largest part names the plan.
            (
                vec![part(&small, 0.3, false), part(&big, 0.7, false)],
                "big",
                [0.3 * 50.0 * 0.05 + 0.7 * 50.0 * 7.5, 0.0, 0.75 + 262.5],
            ),
        ];
        for (parts, lead, [main, kept, total]) in cases {
            let plan = ApiPlan { parts };
            let cost = plan.cost(&mix, 50e6).unwrap();
            let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
            assert_eq!(plan.lead().id, lead);
            assert!(close(cost.main_usd, main), "{} != {main}", cost.main_usd);
            assert!(
                close(cost.frontier_usd, kept),
                "{} != {kept}",
                cost.frontier_usd
            );
            assert!(close(cost.monthly_cost_usd, total));
            assert!(close(cost.usd_per_mtok, total / 50.0));
            assert!(close(plan.usd_per_mtok(&mix).unwrap(), total / 50.0));
            let parts_sum: f64 = cost.parts.iter().map(|p| p.monthly_cost_usd).sum();
            assert!(close(parts_sum, total));
        }
    }

    /// A mix is split by what the self-hosted side reaches: with Llama 3.3 70B (strong) named,
    /// the frontier APIs stay on the API and the strong and small ones may be taken; with no
    /// model named, the strongest open model is frontier and nothing is kept; a packaged setup
    /// is not judged, and takes it all; a mix entirely above the named model keeps nothing
    /// (the gap is reported as for one API). The split workload names the strongest API a
    /// self-hosted side may take, and the kept share and its largest API.
    #[test]
    fn a_mix_is_split_by_the_tier_the_self_hosted_side_reaches() {
        let catalog = crate::input::catalog::load(&[]).unwrap();
        let mix = [
            ("gpt-4o-mini", 0.6),
            ("gpt-4.1", 0.3),
            ("mistral-small", 0.1),
        ];
        // (model named, setup named, mix, kept APIs, split api, frontier share)
        type Case<'a> = (
            Option<&'a str>,
            bool,
            &'a [(&'a str, f64)],
            &'a [&'a str],
            &'a str,
            f64,
        );
        let cases: &[Case] = &[
            (
                Some("llama-3.3-70b"),
                false,
                &mix,
                &["gpt-4.1"],
                "gpt-4o-mini",
                0.3,
            ),
            (None, false, &mix, &[], "gpt-4.1", 0.0),
            (Some("llama-3.3-70b"), true, &mix, &[], "gpt-4.1", 0.0),
            (
                Some("llama-3.1-8b"),
                false,
                &mix,
                &["gpt-4o-mini", "gpt-4.1"],
                "mistral-small",
                0.9,
            ),
            (
                Some("llama-3.1-8b"),
                false,
                &[("o3", 0.5), ("gpt-4.1", 0.5)],
                &[],
                "o3",
                0.0,
            ),
        ];
        for &(model, setup, parts, kept, api, frontier) in cases {
            let mut w = crate::engine::testing::workload(1e9);
            w.deployment.model = model.map(str::to_string);
            w.setup_named = setup;
            w.apis = parts
                .iter()
                .map(|&(api, share)| crate::model::workload::ApiShare {
                    api: api.to_string(),
                    share,
                })
                .collect();
            let (plan, _) = api_plan(&catalog, &w).unwrap();
            let got: Vec<&str> = plan
                .parts
                .iter()
                .filter(|p| p.kept)
                .map(|p| p.model.id.as_str())
                .collect();
            assert_eq!(got, kept, "{model:?} {setup}");
            let split = with_mix_split(&catalog, &w).unwrap();
            assert_eq!(split.api, api, "{model:?} {setup}");
            assert!((split.capability.frontier_share - frontier).abs() < 1e-12);
        }
    }
}
