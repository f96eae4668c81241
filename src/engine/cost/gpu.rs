//! What a GPU costs a month, line by line: a cloud rental (the cheapest offer of the kind
//! asked for among the allowed provider classes) or owned hardware (amortized purchase, power,
//! colocation); and the personnel a deployment of a given size needs, from the staffing table.

use crate::model::Named;
use crate::model::hardware::{Gpu, GpuPrice, Hosting, PersonnelBasis, PriceKind, SelfHostPolicy};
use crate::model::pricing::{Catalog, CostLine};
use crate::model::units::fmt_usd;
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
    pub lines: Vec<CostLine>,
    /// The cloud price used, for cloud hosting.
    pub price: Option<GpuPrice>,
}

/// The cheapest cloud price of a kind among the allowed provider classes.
pub fn cheapest_price<'a>(
    gpu: &'a Gpu,
    policy: &SelfHostPolicy,
    kind: PriceKind,
) -> Option<&'a GpuPrice> {
    gpu.prices
        .iter()
        .filter(|p| p.kind == kind && policy.price_classes.contains(&p.class))
        .min_by(|a, b| a.usd_per_gpu_hour.total_cmp(&b.usd_per_gpu_hour))
}

/// What a GPU costs a month, or why it cannot be priced.
pub fn gpu_monthly(
    gpu: &Gpu,
    policy: &SelfHostPolicy,
    hosting: Hosting,
    kind: PriceKind,
) -> Result<GpuMonthly, String> {
    match hosting {
        Hosting::Cloud => {
            let price = cheapest_price(gpu, policy, kind).ok_or_else(|| {
                let classes: Vec<&str> = policy.price_classes.iter().map(|c| c.id()).collect();
                format!(
                    "no {} cloud price for {} among {} offers; give one in a --pricing file or pick another --price-kind",
                    kind.id(),
                    gpu.id,
                    classes.join("/")
                )
            })?;
            let usd = price.usd_per_gpu_hour * HOURS_PER_MONTH;
            Ok(GpuMonthly {
                hosting,
                usd_per_gpu_month: usd,
                lines: vec![CostLine {
                    name: "gpu rental".into(),
                    usd_per_month: usd,
                    note: Some(format!(
                        "${} per GPU-hour x 730 h, {} {} {} ({}, checked {})",
                        price.usd_per_gpu_hour,
                        price.provider,
                        price.instance.as_deref().unwrap_or(""),
                        kind.id(),
                        price.source,
                        price.checked
                    )),
                }],
                price: Some(price.clone()),
            })
        }
        Hosting::Owned => owned_monthly(gpu, policy),
    }
}

fn owned_monthly(gpu: &Gpu, p: &SelfHostPolicy) -> Result<GpuMonthly, String> {
    let owned = gpu.owned.as_ref();
    let (hardware, note) = match owned {
        Some(o) if o.amortized_usd_per_month.is_some() => (
            o.amortized_usd_per_month.unwrap_or(0.0),
            format!("amortized ({})", o.source),
        ),
        Some(o) if o.purchase_usd.is_some() => {
            let usd = o.purchase_usd.unwrap_or(0.0);
            (
                usd / p.amortization_months,
                format!(
                    "{} over {} months ({})",
                    fmt_usd(usd),
                    p.amortization_months,
                    o.source
                ),
            )
        }
        _ => {
            return Err(format!(
                "no purchase price for {} in the catalog; give owned.purchase_usd for it in a --pricing file",
                gpu.id
            ));
        }
    };
    let power_w = gpu.power_w.ok_or_else(|| {
        format!(
            "no power figure for {}; give power_w for it in a --pricing file",
            gpu.id
        )
    })?;
    let kw = power_w / 1000.0;
    let energy = kw * HOURS_PER_MONTH * p.pue * p.electricity_usd_per_kwh;
    let colocation = kw * p.colocation_usd_per_kw_month;
    let lines = vec![
        CostLine {
            name: "hardware".into(),
            usd_per_month: hardware,
            note: Some(note),
        },
        CostLine {
            name: "power".into(),
            usd_per_month: energy,
            note: Some(format!(
                "{power_w} W x 730 h x PUE {} x ${}/kWh",
                p.pue, p.electricity_usd_per_kwh
            )),
        },
        CostLine {
            name: "colocation".into(),
            usd_per_month: colocation,
            note: Some(format!(
                "{kw} kW x ${} per kW-month",
                p.colocation_usd_per_kw_month
            )),
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
) -> Vec<CostLine> {
    let Some(row) =
        crate::engine::cost::team::scale(&catalog.staffing, workload, units, multi_model)
    else {
        return Vec::new();
    };
    let incremental = catalog.policy.self_host.personnel == PersonnelBasis::Incremental;
    let team = workload.team.filter(|_| incremental);
    let (mut ml_have, mut ops_have) = team.map_or((0.0, 0.0), |t| (t.ml_engineers, t.devops));
    let mut lines = Vec::new();
    for (role, need) in [
        ("ml_engineer", row.minimum.ml_engineer),
        ("devops", row.minimum.devops),
        ("sre", row.minimum.sre),
    ] {
        if need <= 0.0 {
            continue;
        }
        let have = if role == "ml_engineer" {
            &mut ml_have
        } else {
            &mut ops_have
        };
        let covered = have.min(need);
        *have -= covered;
        let hire = need - covered;
        let usd = catalog.staffing.role_usd_per_month(role);
        let why = format!("minimum for \"{}\"", row.label);
        let note = match team {
            Some(_) if hire == 0.0 => format!(
                "{need} FTE from the existing team ({why}); their time, {}, is not counted (policy.self_host.personnel: incremental)",
                fmt_usd(need * usd)
            ),
            Some(_) => format!("{hire} FTE to hire of {need} ({why}) x {}", fmt_usd(usd)),
            None => format!("{need} FTE x {} ({why})", fmt_usd(usd)),
        };
        lines.push(CostLine {
            name: format!("personnel: {role}"),
            usd_per_month: hire * usd,
            note: Some(note),
        });
    }
    lines
}
