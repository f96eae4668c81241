//! What a GPU costs a month, line by line: a cloud rental (the cheapest offer of the kind
//! asked for among the allowed provider classes) or owned hardware (amortized purchase, power,
//! colocation); and the personnel a deployment of a given size needs, from the staffing table.

use super::{Basis, Item, Line, Role, Staff};
use crate::model::catalog::hardware::{
    Gpu, GpuPrice, Hosting, PersonnelBasis, PriceKind, ProviderClass, SelfHostPolicy,
};
use crate::model::catalog::{Catalog, ComplianceOffer};
use crate::model::workload::{HOURS_PER_MONTH, Workload};
use serde::Serialize;

/// What one GPU costs a month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GpuMonthly {
    /// Cloud or owned.
    pub hosting: Hosting,
    /// Total per GPU, USD per month.
    pub usd_per_gpu_month: f64,
    /// The lines per GPU.
    #[serde(skip)]
    pub lines: Vec<Line>,
    /// The cloud price used, for cloud hosting.
    pub price: Option<GpuPrice>,
}

/// Why a GPU cannot be priced.
#[derive(Debug, Clone, PartialEq)]
pub enum Unpriced {
    /// No cloud offer of the kind among the allowed provider classes.
    NoCloudPrice {
        /// The price kind asked for.
        kind: PriceKind,
        /// The GPU.
        gpu: String,
        /// The provider classes allowed.
        classes: Vec<ProviderClass>,
    },
    /// Offers of the kind exist, but each rents more GPUs at once than a replica uses.
    WholeNodesOnly {
        /// The GPU.
        gpu: String,
        /// GPUs per replica.
        gpus: u32,
        /// The smallest unit an offer rents.
        smallest_unit: u32,
    },
    /// The GPU is not sold on its own (a rack-scale or rental-only part).
    NotSoldAlone {
        /// The GPU.
        gpu: String,
        /// Why, as the catalog says.
        note: Option<String>,
    },
    /// No purchase price or amortized figure for owned hosting.
    NoPurchasePrice {
        /// The GPU.
        gpu: String,
    },
    /// No power figure for owned hosting.
    NoPower {
        /// The GPU.
        gpu: String,
    },
    /// Sensitive traffic may not be processed by a third party: no rented GPU may serve it.
    ThirdPartyForbidden {
        /// The GPU.
        gpu: String,
    },
    /// Offers of the kind exist, but none is known to meet the workload's requirements.
    ExcludedByPrivacy {
        /// The GPU.
        gpu: String,
        /// Offers of the kind excluded.
        offers: usize,
        /// The requirements.
        requires: Vec<ComplianceOffer>,
    },
}

/// Which cloud offers may serve a workload's sensitive traffic: any third party at all, and
/// those known to meet the required compliance offers (unknown counts as not offered). Zero
/// retention is the self-hosted model's own (no provider sees the prompts); regional endpoints
/// need an offer that states its region.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferRules {
    /// Whether a third-party cloud may serve it.
    pub third_party: bool,
    /// Compliance offers each cloud offer must be known to have.
    pub requires: Vec<ComplianceOffer>,
}

impl Default for OfferRules {
    fn default() -> Self {
        OfferRules {
            third_party: true,
            requires: Vec::new(),
        }
    }
}

impl OfferRules {
    /// The rules a workload's privacy sets for the self-hosted side: none without sensitive
    /// traffic.
    pub fn for_workload(w: &Workload) -> OfferRules {
        let p = &w.privacy;
        if p.sensitive_share <= 0.0 {
            return OfferRules::default();
        }
        OfferRules {
            third_party: p.third_party_allowed,
            requires: p.requires.clone(),
        }
    }

    /// Whether an offer meets the rules.
    pub fn admits(&self, p: &GpuPrice) -> bool {
        self.third_party && self.missing(p).is_empty()
    }

    /// The required offers a cloud offer is not known to have.
    fn missing(&self, p: &GpuPrice) -> Vec<ComplianceOffer> {
        self.requires
            .iter()
            .copied()
            .filter(|o| match o {
                ComplianceOffer::ZeroRetention => false,
                ComplianceOffer::RegionalEndpoints => p.region.is_none(),
                other => p.compliance.offers(*other) != Some(true),
            })
            .collect()
    }

    /// The cloud offers of `kind` among the allowed provider classes that the rules exclude,
    /// by provider and what they lack (empty: no third party may serve at all), in catalog
    /// order.
    pub fn excluded(
        &self,
        gpus: &[&Gpu],
        policy: &SelfHostPolicy,
        kind: PriceKind,
    ) -> Vec<Excluded> {
        let mut out: Vec<Excluded> = Vec::new();
        for p in gpus.iter().flat_map(|g| offers_of(g, policy, kind)) {
            if self.admits(p) {
                continue;
            }
            let missing = if self.third_party {
                self.missing(p)
            } else {
                Vec::new()
            };
            match out
                .iter_mut()
                .find(|e| e.provider == p.provider && e.missing == missing)
            {
                Some(e) => e.offers += 1,
                None => out.push(Excluded {
                    provider: p.provider.clone(),
                    offers: 1,
                    missing,
                }),
            }
        }
        out
    }
}

/// Cloud offers of one provider that privacy excludes, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Excluded {
    /// The provider.
    pub provider: String,
    /// How many of its offers.
    pub offers: u32,
    /// The required offers they are not known to have; empty when no third party may serve.
    pub missing: Vec<ComplianceOffer>,
}

/// A GPU's cloud offers of a price kind among the provider classes the policy allows.
pub fn offers_of<'a>(
    gpu: &'a Gpu,
    policy: &SelfHostPolicy,
    kind: PriceKind,
) -> impl Iterator<Item = &'a GpuPrice> + Clone {
    gpu.prices
        .iter()
        .filter(move |p| p.kind == kind && policy.price_classes.contains(&p.class))
}

/// The cheapest cloud price of a kind among the allowed provider classes; with `gpus`, only
/// offers that rent that many GPUs in whole units (no single GPU from an 8-GPU-only node).
pub fn cheapest_price<'a>(
    gpu: &'a Gpu,
    policy: &SelfHostPolicy,
    kind: PriceKind,
    gpus: Option<u32>,
) -> Option<&'a GpuPrice> {
    offers_of(gpu, policy, kind)
        .filter(|p| gpus.is_none_or(|g| p.rents(g)))
        .min_by(|a, b| a.usd_per_gpu_hour.total_cmp(&b.usd_per_gpu_hour))
}

/// What a GPU costs a month in a replica of `gpus` GPUs, or why it cannot be priced; a cloud
/// offer must meet `rules`.
pub fn gpu_monthly(
    gpu: &Gpu,
    policy: &SelfHostPolicy,
    (hosting, kind): (Hosting, PriceKind),
    gpus: u32,
    rules: &OfferRules,
) -> Result<GpuMonthly, Unpriced> {
    match hosting {
        Hosting::Cloud => {
            if !rules.third_party {
                return Err(Unpriced::ThirdPartyForbidden {
                    gpu: gpu.id.clone(),
                });
            }
            let of_kind = || offers_of(gpu, policy, kind);
            let offers = of_kind().count();
            if offers > 0 && !of_kind().any(|p| rules.admits(p)) {
                return Err(Unpriced::ExcludedByPrivacy {
                    gpu: gpu.id.clone(),
                    offers,
                    requires: rules.requires.clone(),
                });
            }
            let Some(price) = of_kind()
                .filter(|p| rules.admits(p) && p.rents(gpus))
                .min_by(|a, b| a.usd_per_gpu_hour.total_cmp(&b.usd_per_gpu_hour))
            else {
                return Err(if offers > 0 {
                    Unpriced::WholeNodesOnly {
                        gpu: gpu.id.clone(),
                        gpus,
                        smallest_unit: of_kind()
                            .filter(|p| rules.admits(p))
                            .filter_map(|p| p.gpus_per_unit)
                            .min()
                            .unwrap_or(1),
                    }
                } else {
                    Unpriced::NoCloudPrice {
                        kind,
                        gpu: gpu.id.clone(),
                        classes: policy.price_classes.clone(),
                    }
                });
            };
            let usd = price.usd_per_gpu_hour * HOURS_PER_MONTH;
            Ok(GpuMonthly {
                hosting,
                usd_per_gpu_month: usd,
                lines: vec![Line {
                    item: Item::GpuRental,
                    usd_per_month: usd,
                    basis: Basis::Rental(price.clone()),
                }],
                price: Some(price.clone()),
            })
        }
        Hosting::Owned => owned_monthly(gpu, policy),
    }
}

fn owned_monthly(gpu: &Gpu, p: &SelfHostPolicy) -> Result<GpuMonthly, Unpriced> {
    let (hardware, basis) = match gpu.owned.as_ref() {
        Some(o) if !o.sold => {
            return Err(Unpriced::NotSoldAlone {
                gpu: gpu.id.clone(),
                note: o.note.clone(),
            });
        }
        Some(o) if o.amortized_usd_per_month.is_some() => (
            o.amortized_usd_per_month.unwrap_or(0.0),
            Basis::Amortized {
                source: o.source.clone(),
            },
        ),
        Some(o) if o.purchase_usd.is_some() => {
            let usd = o.purchase_usd.unwrap_or(0.0);
            (
                usd / p.amortization_months,
                Basis::Purchase {
                    usd,
                    months: p.amortization_months,
                    source: o.source.clone(),
                },
            )
        }
        _ => {
            return Err(Unpriced::NoPurchasePrice {
                gpu: gpu.id.clone(),
            });
        }
    };
    let watts = gpu.power_w.ok_or_else(|| Unpriced::NoPower {
        gpu: gpu.id.clone(),
    })?;
    let kw = watts / 1000.0;
    let lines = vec![
        Line {
            item: Item::Hardware,
            usd_per_month: hardware,
            basis,
        },
        Line {
            item: Item::Power,
            usd_per_month: kw * HOURS_PER_MONTH * p.pue * p.electricity_usd_per_kwh,
            basis: Basis::Power {
                watts,
                pue: p.pue,
                usd_per_kwh: p.electricity_usd_per_kwh,
            },
        },
        Line {
            item: Item::Colocation,
            usd_per_month: kw * p.colocation_usd_per_kw_month,
            basis: Basis::Colocation {
                kw,
                usd_per_kw_month: p.colocation_usd_per_kw_month,
            },
        },
    ];
    Ok(GpuMonthly {
        hosting: Hosting::Owned,
        usd_per_gpu_month: lines.iter().map(|l| l.usd_per_month).sum(),
        lines,
        price: None,
    })
}

/// The personnel lines of a deployment of `units` replicas: the minimum team of the
/// staffing row it falls in, at loaded monthly cost per role. With the incremental basis and a
/// described team, only the FTE the team lacks are counted, and the rest is noted at zero.
pub fn personnel(
    catalog: &Catalog,
    workload: &Workload,
    units: u32,
    multi_model: bool,
) -> Vec<Line> {
    let Some(row) = super::team::scale(&catalog.staffing, workload, units, multi_model) else {
        return Vec::new();
    };
    let incremental = catalog.policy.self_host.personnel == PersonnelBasis::Incremental;
    let team = workload.team.filter(|_| incremental);
    let (mut ml_have, mut ops_have) = team.map_or((0.0, 0.0), |t| (t.ml_engineers, t.devops));
    let mut lines = Vec::new();
    for (role, need) in [
        (Role::MlEngineer, row.minimum.ml_engineer),
        (Role::Devops, row.minimum.devops),
        (Role::Sre, row.minimum.sre),
    ] {
        if need <= 0.0 {
            continue;
        }
        let have = if role == Role::MlEngineer {
            &mut ml_have
        } else {
            &mut ops_have
        };
        let covered = have.min(need);
        *have -= covered;
        let hire = need - covered;
        let usd_per_fte = catalog
            .staffing
            .role_usd_per_month(crate::model::Named::id(role));
        lines.push(Line {
            item: Item::Personnel(role),
            usd_per_month: hire * usd_per_fte,
            basis: Basis::Staff(Staff {
                role,
                need,
                hire,
                usd_per_fte,
                scale: row.label.clone(),
                team_counted: team.is_some(),
            }),
        });
    }
    lines
}
