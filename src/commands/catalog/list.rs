//! `list`: the catalog, filtered.

use crate::input::scenario;
use crate::model::catalog::Catalog;
use crate::options::ListWhat;
use crate::report::{self, Listing, ScenarioEntry};
use crate::{RunError, SCENARIOS, engine, model};

pub(in crate::commands) fn list(
    catalog: &Catalog,
    what: ListWhat,
    provider: Option<&str>,
    tier: Option<model::catalog::Tier>,
) -> Result<Listing, RunError> {
    Ok(match what {
        ListWhat::Apis => Listing::Apis(
            catalog
                .apis
                .iter()
                .filter(|a| provider.is_none_or(|p| a.provider == p))
                .filter(|a| tier.is_none_or(|t| a.tier == t))
                .cloned()
                .collect(),
        ),
        ListWhat::Setups => Listing::Setups(catalog.setups.clone()),
        ListWhat::Gpus => Listing::Gpus(
            catalog
                .gpus
                .iter()
                .filter(|g| provider.is_none_or(|p| g.prices.iter().any(|x| x.provider == p)))
                .map(|g| report::GpuEntry {
                    cheapest: engine::cost::gpu::cheapest_price(
                        g,
                        &catalog.policy.self_host,
                        catalog.policy.self_host.price_kind,
                        None,
                    )
                    .cloned(),
                    gpu: g.clone(),
                })
                .collect(),
        ),
        ListWhat::Offers => Listing::Offers(
            catalog
                .gpus
                .iter()
                .flat_map(|g| {
                    g.prices.iter().map(|p| report::OfferEntry {
                        gpu: g.id.clone(),
                        offer: p.clone(),
                    })
                })
                .filter(|o| provider.is_none_or(|p| o.offer.provider == p))
                .collect(),
        ),
        ListWhat::Models => Listing::Models(
            catalog
                .models
                .iter()
                .filter(|m| tier.is_none_or(|t| m.tier == t))
                .cloned()
                .collect(),
        ),
        ListWhat::Scenarios => {
            let mut items = Vec::new();
            for (name, text) in SCENARIOS {
                let file = format!("embedded:scenarios/{name}.yaml");
                let spec = scenario::parse_scenario(&file, text)?;
                let w = scenario::resolve(&spec, catalog, name)?;
                items.push(ScenarioEntry {
                    file: (*name).to_string(),
                    name: w.name,
                    tokens_per_month: w.tokens_per_month,
                    description: w.description.unwrap_or_default(),
                });
            }
            Listing::Scenarios(items)
        }
    })
}
