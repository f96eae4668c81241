//! What a result relied on: the values assumed (with where each comes from) and the catalog
//! entries used (with when each was checked), so a report can show its evidence and a check
//! can measure the age of its prices.

use crate::engine::analysis::{Assumed, Assumption, Basis, Entry, Source, SourceKind, Unit};
use crate::engine::cost::ApiPlan;
use crate::engine::selfhost::Side;
use crate::model::Named;
use crate::model::catalog::hardware::Hosting;
use crate::model::catalog::policy::Policy;
use crate::model::catalog::{Catalog, Provenance, Setup};
use crate::model::workload::Workload;

impl Source {
    fn id(id: &str, kind: SourceKind, provenance: &Provenance) -> Source {
        Source {
            entry: Entry::Id(id.to_string()),
            kind,
            provenance: provenance.clone(),
        }
    }
}

/// The catalog entries behind an analysis: the API models priced, the self-hosted side's
/// setup, model, GPU and offer, and the staffing table.
pub fn sources(catalog: &Catalog, plan: &ApiPlan, side: &Side) -> Vec<Source> {
    let mut out: Vec<Source> = plan
        .models()
        .into_iter()
        .map(|m| Source::id(&m.id, SourceKind::Price, &m.provenance))
        .collect();
    if let Some(setup) = side.setup.as_deref().and_then(|id| catalog.setup(id)) {
        out.push(Source::id(&setup.id, SourceKind::Price, &setup.provenance));
    }
    if let Some(d) = &side.deployment {
        if let Some(m) = catalog.model(&d.sizing.model) {
            out.push(Source::id(&m.id, SourceKind::Spec, &m.provenance));
        }
        if let Some(g) = catalog.gpu(&d.sizing.gpu) {
            out.push(Source::id(&g.id, SourceKind::Spec, &g.provenance));
        }
        if d.gpu_cost.hosting == Hosting::Owned
            && let Some(o) = catalog.gpu(&d.sizing.gpu).and_then(|g| g.owned.as_ref())
        {
            out.push(Source {
                entry: Entry::GpuPurchase {
                    gpu: d.sizing.gpu.clone(),
                },
                kind: SourceKind::Price,
                provenance: Provenance {
                    checked: o.checked,
                    source: o.source.clone(),
                },
            });
        }
        if let Some(p) = &d.gpu_cost.price {
            out.push(Source {
                entry: Entry::GpuOffer {
                    gpu: d.sizing.gpu.clone(),
                    provider: p.provider.clone(),
                    kind: p.kind.id().to_string(),
                },
                kind: SourceKind::Price,
                provenance: Provenance {
                    checked: Some(p.checked),
                    source: p.source.clone(),
                },
            });
        }
    }
    out.push(Source::id(
        "staffing",
        SourceKind::Assumption,
        &catalog.staffing.provenance,
    ));
    out
}

/// Where a unit's capacity comes from: the workload, the setup's note, or the sizing.
fn capacity_basis(w: &Workload, setup: Option<&Setup>, p: &Policy) -> Basis {
    match setup {
        _ if w.given_unit.tokens_per_month.is_some() => Basis::Workload,
        Some(s) => Basis::Setup(
            s.capacity_note
                .clone()
                .unwrap_or_else(|| s.provenance.source.clone()),
        ),
        None => Basis::Sizing {
            utilization: p.self_host.target_utilization,
        },
    }
}

/// The values an analysis depends on, each with where it comes from.
pub fn assumptions(catalog: &Catalog, w: &Workload, side: &Side) -> Vec<Assumption> {
    let p = &catalog.policy;
    let setup = side.setup.as_deref().and_then(|id| catalog.setup(id));
    let assumption = |name, value, unit, basis| Assumption {
        name,
        value,
        unit,
        basis,
    };
    let mut out = vec![
        assumption(
            Assumed::InputShare,
            w.input_share,
            Unit::Share,
            if (w.input_share - p.default_input_share).abs() < 1e-12 {
                Basis::DefaultInputShare
            } else {
                Basis::Workload
            },
        ),
        assumption(
            Assumed::TieBand,
            p.tie_band,
            Unit::Share,
            Basis::PolicyTieBand,
        ),
        assumption(
            Assumed::TokensPerUnit,
            side.unit.tokens_per_month,
            Unit::TokensPerMonth,
            capacity_basis(w, setup, p),
        ),
        assumption(
            Assumed::UnitCost,
            side.unit.usd_per_month,
            Unit::UsdPerMonth,
            match setup {
                _ if w.given_unit.usd_per_month.is_some() => Basis::Workload,
                Some(s) => Basis::Setup(s.provenance.source.clone()),
                None => Basis::GpuCost,
            },
        ),
        assumption(
            Assumed::PeakToAverage,
            w.traffic.peak_to_average(),
            Unit::Ratio,
            Basis::Traffic(w.traffic.shape),
        ),
        assumption(
            Assumed::ApiRtt,
            p.latency.api_network_rtt.max_ms,
            Unit::Ms,
            Basis::PolicyApiRtt,
        ),
        assumption(
            Assumed::ApiQueue,
            p.latency.api_queue.max_ms,
            Unit::Ms,
            Basis::PolicyApiQueue,
        ),
    ];
    if side
        .deployment
        .as_ref()
        .is_some_and(|d| d.gpu_cost.hosting == Hosting::Owned)
    {
        out.extend(owned_assumptions(p));
    }
    out.extend(switch_assumptions(w, p));
    out.extend(catalog.staffing.roles.iter().map(|role| {
        assumption(
            Assumed::RoleCost(role.role.clone()),
            role.usd_per_month,
            Unit::UsdPerMonth,
            Basis::Staffing(role.source.clone()),
        )
    }));
    out
}

/// The figures behind the one-time cost of switching: the workload's, else the policy's.
fn switch_assumptions(w: &Workload, p: &Policy) -> [Assumption; 2] {
    [
        (
            Assumed::BuildEngineerMonths,
            w.build_engineer_months,
            p.build_engineer_months,
        ),
        (
            Assumed::MonthsToProduction,
            w.months_to_production,
            p.months_to_production,
        ),
    ]
    .map(|(name, given, default)| Assumption {
        name,
        value: given.unwrap_or(default),
        unit: Unit::Months,
        basis: if given.is_some() {
            Basis::Workload
        } else {
            Basis::PolicySwitch
        },
    })
}

/// The policy's figures behind owned hardware: amortization, PUE, electricity, colocation.
fn owned_assumptions(p: &Policy) -> [Assumption; 4] {
    let sh = &p.self_host;
    [
        (
            Assumed::AmortizationMonths,
            sh.amortization_months,
            Unit::Months,
        ),
        (Assumed::Pue, sh.pue, Unit::Ratio),
        (
            Assumed::ElectricityUsdPerKwh,
            sh.electricity_usd_per_kwh,
            Unit::UsdPerKwh,
        ),
        (
            Assumed::ColocationUsdPerKwMonth,
            sh.colocation_usd_per_kw_month,
            Unit::UsdPerKwMonth,
        ),
    ]
    .map(|(name, value, unit)| Assumption {
        name,
        value,
        unit,
        basis: Basis::PolicyOwned,
    })
}
