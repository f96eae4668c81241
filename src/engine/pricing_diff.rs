//! Two pricing catalogs compared: which API prices moved and by how much, which APIs and GPUs
//! came and went, and how each GPU's cheapest rental price moved.

use super::cost::gpu::cheapest_price;
use crate::model::catalog::hardware::{Gpu, PriceKind};
use crate::model::catalog::{ApiModel, Catalog, Tier};
use serde::Serialize;

/// What changed between two catalogs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PricingDiff {
    /// The share of input tokens blended prices are compared at (the new catalog's policy).
    pub input_share: f64,
    /// The price kind GPUs are compared at (the new catalog's policy).
    pub price_kind: PriceKind,
    /// APIs whose prices or tier changed, then those added, then those removed.
    pub apis: Vec<ApiChange>,
    /// GPUs whose cheapest price or offers changed, then those added, then those removed.
    pub gpus: Vec<GpuChange>,
    /// APIs in both catalogs with the same prices and tier.
    pub apis_unchanged: usize,
    /// GPUs in both catalogs with the same offers.
    pub gpus_unchanged: usize,
}

impl PricingDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.apis.is_empty() && self.gpus.is_empty()
    }
}

/// How an entry changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// In both, different.
    Changed,
    /// Only in the new catalog.
    Added,
    /// Only in the old catalog.
    Removed,
}

crate::named!(Change {
    Changed => "changed",
    Added => "added",
    Removed => "removed",
});

/// An API's prices and tier on one side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiPrices {
    /// USD per 1M input tokens.
    pub input_usd_per_mtok: f64,
    /// USD per 1M output tokens.
    pub output_usd_per_mtok: f64,
    /// USD per 1M cached input tokens.
    pub cached_input_usd_per_mtok: Option<f64>,
    /// Batch discount.
    pub batch_discount: Option<f64>,
    /// USD per 1M tokens at the diff's input share.
    pub blended_usd_per_mtok: f64,
    /// Capability tier.
    pub tier: Tier,
}

impl ApiPrices {
    fn of(api: &ApiModel, input_share: f64) -> ApiPrices {
        ApiPrices {
            input_usd_per_mtok: api.input_usd_per_mtok,
            output_usd_per_mtok: api.output_usd_per_mtok,
            cached_input_usd_per_mtok: api.cached_input_usd_per_mtok,
            batch_discount: api.batch_discount,
            blended_usd_per_mtok: api.blended_usd_per_mtok(input_share),
            tier: api.tier,
        }
    }
}

/// One API that changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiChange {
    /// Catalog id.
    pub id: String,
    /// Provider id (the new side's, if both).
    pub provider: String,
    /// How it changed.
    pub change: Change,
    /// Before (`None`: added).
    pub old: Option<ApiPrices>,
    /// After (`None`: removed).
    pub new: Option<ApiPrices>,
    /// Relative move of the blended price (0.1 = 10% dearer), when in both and the old price
    /// is not zero.
    pub blended_change_share: Option<f64>,
}

/// A GPU's cheapest rental price of the diff's kind on one side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GpuSide {
    /// The cheapest offer's USD per GPU-hour, if any offer of the kind exists.
    pub cheapest_usd_per_gpu_hour: Option<f64>,
    /// Its provider.
    pub provider: Option<String>,
    /// Offers of every kind.
    pub offers: usize,
}

impl GpuSide {
    fn of(gpu: &Gpu, catalog: &Catalog, kind: PriceKind) -> GpuSide {
        let cheapest = cheapest_price(gpu, &catalog.policy.self_host, kind, None);
        GpuSide {
            cheapest_usd_per_gpu_hour: cheapest.map(|p| p.usd_per_gpu_hour),
            provider: cheapest.map(|p| p.provider.clone()),
            offers: gpu.prices.len(),
        }
    }
}

/// One GPU that changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GpuChange {
    /// Catalog id.
    pub id: String,
    /// How it changed.
    pub change: Change,
    /// Before (`None`: added).
    pub old: Option<GpuSide>,
    /// After (`None`: removed).
    pub new: Option<GpuSide>,
    /// Relative move of the cheapest price, when both sides have one.
    pub cheapest_change_share: Option<f64>,
}

/// The relative move from `old` to `new`, when `old` is not zero.
fn share(old: f64, new: f64) -> Option<f64> {
    (old != 0.0).then(|| (new - old) / old)
}

/// Changed entries first (largest move first), then added, then removed, each by id.
fn order(change: Change, moved: Option<f64>, id: &str) -> (u8, f64, String) {
    let rank = match change {
        Change::Changed => 0,
        Change::Added => 1,
        Change::Removed => 2,
    };
    (rank, -moved.map_or(0.0, f64::abs), id.to_string())
}

/// What changed from `old` to `new`. Prices are compared as given; a GPU's offers by their
/// number and its cheapest price of the new catalog's price kind (each side under its own
/// provider classes).
pub fn diff(old: &Catalog, new: &Catalog) -> PricingDiff {
    let input_share = new.policy.default_input_share;
    let kind = new.policy.self_host.price_kind;
    let mut apis = Vec::new();
    let mut apis_unchanged = 0;
    for n in &new.apis {
        let after = ApiPrices::of(n, input_share);
        match old.apis.iter().find(|o| o.id == n.id) {
            Some(o) => {
                let before = ApiPrices::of(o, input_share);
                if before == after {
                    apis_unchanged += 1;
                    continue;
                }
                apis.push(ApiChange {
                    id: n.id.clone(),
                    provider: n.provider.clone(),
                    change: Change::Changed,
                    blended_change_share: share(
                        before.blended_usd_per_mtok,
                        after.blended_usd_per_mtok,
                    ),
                    old: Some(before),
                    new: Some(after),
                });
            }
            None => apis.push(ApiChange {
                id: n.id.clone(),
                provider: n.provider.clone(),
                change: Change::Added,
                old: None,
                new: Some(after),
                blended_change_share: None,
            }),
        }
    }
    for o in old.apis.iter().filter(|o| new.api(&o.id).is_none()) {
        apis.push(ApiChange {
            id: o.id.clone(),
            provider: o.provider.clone(),
            change: Change::Removed,
            old: Some(ApiPrices::of(o, input_share)),
            new: None,
            blended_change_share: None,
        });
    }
    apis.sort_by(|a, b| {
        order(a.change, a.blended_change_share, &a.id)
            .partial_cmp(&order(b.change, b.blended_change_share, &b.id))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let (gpus, gpus_unchanged) = gpu_changes(old, new, kind);
    PricingDiff {
        input_share,
        price_kind: kind,
        apis,
        gpus,
        apis_unchanged,
        gpus_unchanged,
    }
}

/// The GPUs that changed, and how many did not.
fn gpu_changes(old: &Catalog, new: &Catalog, kind: PriceKind) -> (Vec<GpuChange>, usize) {
    let mut gpus = Vec::new();
    let mut unchanged = 0;
    for n in &new.gpus {
        let after = GpuSide::of(n, new, kind);
        match old.gpus.iter().find(|o| o.id == n.id) {
            Some(o) => {
                let before = GpuSide::of(o, old, kind);
                if o.prices == n.prices && before == after {
                    unchanged += 1;
                    continue;
                }
                gpus.push(GpuChange {
                    id: n.id.clone(),
                    change: Change::Changed,
                    cheapest_change_share: before
                        .cheapest_usd_per_gpu_hour
                        .zip(after.cheapest_usd_per_gpu_hour)
                        .and_then(|(b, a)| share(b, a)),
                    old: Some(before),
                    new: Some(after),
                });
            }
            None => gpus.push(GpuChange {
                id: n.id.clone(),
                change: Change::Added,
                old: None,
                new: Some(after),
                cheapest_change_share: None,
            }),
        }
    }
    for o in old.gpus.iter().filter(|o| new.gpu(&o.id).is_none()) {
        gpus.push(GpuChange {
            id: o.id.clone(),
            change: Change::Removed,
            old: Some(GpuSide::of(o, old, kind)),
            new: None,
            cheapest_change_share: None,
        });
    }
    gpus.sort_by(|a, b| {
        order(a.change, a.cheapest_change_share, &a.id)
            .partial_cmp(&order(b.change, b.cheapest_change_share, &b.id))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    (gpus, unchanged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{api, catalog, gpu};

    /// Old: gpt-4o $2.50/$10, cheap $0.40/$0.40, h100 at $2. At a third input, gpt-4o blends to
    /// 2.5/3 + 10 x 2/3 = $7.50 per 1M.
    #[test]
    fn api_moves_additions_and_removals() {
        let old = catalog();
        let cases: &[(&str, f64, f64, Option<f64>)] = &[
            // id, new input, new output, expected blended move
            // $2/$8 blends to $6: (6 - 7.5) / 7.5 = -20%.
            ("gpt-4o", 2.0, 8.0, Some(-0.2)),
            // $0.40/$0.52 blends to 0.4/3 + 0.52 x 2/3 = $0.48: +20%.
            ("cheap", 0.4, 0.52, Some(0.2)),
        ];
        for &(id, input, output, want) in cases {
            let mut new = catalog();
            let a = new.apis.iter_mut().find(|a| a.id == id).unwrap();
            a.input_usd_per_mtok = input;
            a.output_usd_per_mtok = output;
            let d = diff(&old, &new);
            assert_eq!(d.apis.len(), 1, "{id}");
            assert_eq!(d.apis_unchanged, 1, "{id}");
            assert_eq!(d.apis[0].change, Change::Changed);
            let got = d.apis[0].blended_change_share.unwrap();
            assert!((got - want.unwrap()).abs() < 1e-12, "{id}: {got}");
            assert_eq!(d.gpus_unchanged, 1);
            assert!(d.gpus.is_empty());
        }
        // Same catalog: nothing.
        assert!(diff(&old, &catalog()).is_empty());
        // One added, one removed; changed first, then added, then removed.
        let mut new = catalog();
        new.apis.retain(|a| a.id != "cheap");
        new.apis.push(api("new-model", 1.0, 2.0, None, None));
        new.apis[0].tier = Tier::Standard;
        let d = diff(&old, &new);
        let got: Vec<(&str, Change, Option<f64>)> = d
            .apis
            .iter()
            .map(|a| (a.id.as_str(), a.change, a.blended_change_share))
            .collect();
        assert_eq!(
            got,
            [
                ("gpt-4o", Change::Changed, Some(0.0)),
                ("new-model", Change::Added, None),
                ("cheap", Change::Removed, None),
            ]
        );
        assert_eq!(d.apis[0].new.as_ref().unwrap().tier, Tier::Standard);
        assert_eq!(d.apis_unchanged, 0);
    }

    #[test]
    fn gpu_cheapest_moves() {
        let old = catalog();
        let mut new = catalog();
        // A second on-demand offer at $1.50: the cheapest falls 25%.
        let mut cheaper = new.gpus[0].prices[0].clone();
        cheaper.usd_per_gpu_hour = 1.5;
        cheaper.provider = "other".into();
        new.gpus[0].prices.push(cheaper);
        let mut b = gpu();
        b.id = "b200".into();
        new.gpus.push(b);
        let d = diff(&old, &new);
        assert_eq!(d.gpus.len(), 2);
        let h = &d.gpus[0];
        assert_eq!((h.id.as_str(), h.change), ("h100", Change::Changed));
        assert_eq!(h.cheapest_change_share, Some(-0.25));
        let after = h.new.as_ref().unwrap();
        assert_eq!(after.offers, 2);
        assert_eq!(after.provider.as_deref(), Some("other"));
        assert_eq!(h.old.as_ref().unwrap().cheapest_usd_per_gpu_hour, Some(2.0));
        assert_eq!(
            (d.gpus[1].id.as_str(), d.gpus[1].change),
            ("b200", Change::Added)
        );
        // Removed the other way round.
        let d = diff(&new, &old);
        assert_eq!(d.gpus[1].change, Change::Removed);
        assert_eq!(d.gpus[0].cheapest_change_share, Some((2.0 - 1.5) / 1.5));
    }
}
