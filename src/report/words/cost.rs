//! Costs in words: cost lines and their bases, what a unit is, why configurations were
//! rejected, what would fit, the notes about the self-hosted side and the changes that would
//! meet a latency target.

use super::deployment::summary;
use super::plural;
use crate::engine::SelfHostOption;
use crate::engine::analysis::{Assumed, Basis as AssumptionBasis, Entry};
use crate::engine::cost::gpu::Unpriced;
use crate::engine::cost::{Basis, Item, Staff, UnitName};
use crate::engine::selfhost::physical::{Finding, PhysicalCheck};
use crate::engine::selfhost::remedies::Change;
use crate::engine::selfhost::search::{Rejected, RejectionKind, Shortage};
use crate::engine::selfhost::{FigureFrom, Fix, Kind, NoDeployment, Note, Target};
use crate::engine::serving::fit::FitAdvice;
use crate::model::Named;
use crate::model::units::{fmt_rate, fmt_tokens, fmt_usd};

/// What a cost line pays for: "gpu rental", "personnel: `ml_engineer`".
pub fn item(item: &Item) -> String {
    match item {
        Item::GpuRental => "gpu rental".into(),
        Item::Hardware => "hardware".into(),
        Item::Power => "power".into(),
        Item::Colocation => "colocation".into(),
        Item::Personnel(role) => format!("personnel: {}", role.id()),
        Item::OtherFixed => "other fixed".into(),
        Item::Named(name) => name.clone(),
    }
}

/// How a cost line's amount was worked out, if anything is known.
pub fn basis(basis: &Basis) -> Option<String> {
    Some(match basis {
        Basis::Rental(p) => format!(
            "{} per GPU-hour x 730 h, {} {} {} ({}, checked {})",
            fmt_rate(p.usd_per_gpu_hour),
            p.provider,
            p.instance.as_deref().unwrap_or(""),
            p.kind.id(),
            p.source,
            p.checked
        ),
        Basis::Amortized { source } => format!("amortized ({source})"),
        Basis::Purchase {
            usd,
            months,
            source,
        } => {
            format!("{} over {months} months ({source})", fmt_usd(*usd))
        }
        Basis::Power {
            watts,
            pue,
            usd_per_kwh,
        } => format!(
            "{watts} W x 730 h x PUE {pue} x {}/kWh",
            fmt_rate(*usd_per_kwh)
        ),
        Basis::Colocation {
            kw,
            usd_per_kw_month,
        } => format!("{kw} kW x {} per kW-month", fmt_rate(*usd_per_kw_month)),
        Basis::Staff(staff) => self::staff(staff),
        Basis::PerGpu { gpus, each } => {
            format!("{gpus} GPU{} x {}", plural(*gpus), self::basis(each)?)
        }
        Basis::FixedField => "self_host_fixed_usd_per_month".into(),
        Basis::GivenUnitCost => "--self-host-cost".into(),
        Basis::Note(note) => return note.clone(),
    })
}

fn staff(s: &Staff) -> String {
    let why = format!("minimum for \"{}\"", s.scale);
    let need = s.need;
    match (s.team_counted, s.hire) {
        (true, 0.0) => format!(
            "{need} FTE from the existing team ({why}); their time, {}, is not counted (policy.self_host.personnel: incremental)",
            fmt_usd(need * s.usd_per_fte)
        ),
        (true, hire) => format!(
            "{hire} FTE to hire of {need} ({why}) x {}",
            fmt_usd(s.usd_per_fte)
        ),
        (false, _) => format!("{need} FTE x {} ({why})", fmt_usd(s.usd_per_fte)),
    }
}

/// What a unit is: a setup's name, or "1 x h200 (llama-3.1-70b, fp8)".
pub fn unit_name(name: &UnitName) -> String {
    match name {
        UnitName::Given => "unit as given".into(),
        UnitName::Setup(name) => name.clone(),
        UnitName::Replica {
            tp,
            gpu,
            model,
            precision,
        } => format!("{tp} x {gpu} ({model}, {precision})"),
    }
}

/// What the self-host option is called in tables: its packaged setup's id, or its unit.
pub fn self_host_label(sh: &SelfHostOption) -> String {
    sh.setup.clone().unwrap_or_else(|| unit_name(&sh.name))
}

/// The self-host deployment in words: "1 x Cloud GPU (A100)", or "2 replicas of llama-3.1-70b
/// (fp8) on 1 x h200 = 2 GPUs, 1 of them spare".
pub fn describe(sh: &SelfHostOption) -> String {
    match &sh.deployment {
        None if sh.kind == Kind::Given && sh.setup.is_none() => given_units(sh),
        Some(d) if sh.kind != Kind::Setup => {
            let units = sh.cost.units;
            let tp = d.sizing.tensor_parallel;
            let spare = if sh.cost.spare_units > 0 {
                format!(", {} of them spare", sh.cost.spare_units * tp)
            } else {
                String::new()
            };
            format!(
                "{units} replica{} of {} ({}) on {tp} x {} = {} GPU{}{spare}",
                plural(units),
                d.sizing.model,
                d.sizing.precision,
                d.sizing.gpu,
                units * tp,
                plural(units * tp),
            )
        }
        _ => format!("{} x {}", sh.cost.units, unit_name(&sh.name)),
    }
}

/// A self-host deployment in a table cell: "4 x h100-sxm (llama-3.1-70b fp8, 2 replicas)",
/// "2 x h200 (llama-3.1-70b fp8, 2 replicas, 1 spare)", or "1 x cloud-a100".
pub fn self_host_cell(sh: &SelfHostOption) -> String {
    match &sh.deployment {
        None if sh.kind == Kind::Given && sh.setup.is_none() => given_units(sh),
        Some(d) if sh.kind != Kind::Setup => {
            let units = sh.cost.units;
            let spare = match sh.cost.spare_units {
                0 => String::new(),
                n => format!(", {n} spare"),
            };
            format!(
                "{} x {} ({} {}, {units} replica{}{spare})",
                units * d.sizing.tensor_parallel,
                d.sizing.gpu,
                d.sizing.model,
                d.sizing.precision,
                plural(units),
            )
        }
        _ => format!("{} x {}", sh.cost.units, self_host_label(sh)),
    }
}

/// Units of a side the workload's figures define: "1 unit as given ($5,000 a month, 3B tokens a
/// month each)".
fn given_units(sh: &SelfHostOption) -> String {
    let units = sh.cost.units;
    format!(
        "{units} unit{} as given ({} a month, {} tokens a month each)",
        plural(units),
        fmt_usd(sh.cost.unit_usd_per_month),
        fmt_tokens(sh.tokens_per_month_per_unit)
    )
}

/// What a self-hosted route serves on: "cloud-a100", "llama-3.1-70b (fp8) on h200".
pub fn target(t: &Target) -> String {
    match t {
        Target::Setup(id) => id.clone(),
        Target::SharedSetup(id) => {
            let id = if id.is_empty() { "setup" } else { id };
            format!("{id} (simple traffic shares the packaged setup)")
        }
        Target::Deployment {
            model,
            precision,
            gpu,
        } => format!("{model} ({precision}) on {gpu}"),
    }
}

/// Why a GPU cannot be priced.
pub fn unpriced(u: &Unpriced) -> String {
    match u {
        Unpriced::NoCloudPrice { kind, gpu, classes } => {
            let classes: Vec<&str> = classes.iter().map(|c| c.id()).collect();
            format!(
                "no {} cloud price for {gpu} among {} offers; give one in a --pricing file or pick another --price-kind",
                kind.id(),
                classes.join("/")
            )
        }
        Unpriced::NoPurchasePrice { gpu } => format!(
            "no purchase price for {gpu} in the catalog; give owned.purchase_usd for it in a --pricing file"
        ),
        Unpriced::NoPower { gpu } => {
            format!("no power figure for {gpu}; give power_w for it in a --pricing file")
        }
        Unpriced::WholeNodesOnly {
            gpu,
            gpus,
            smallest_unit,
        } => format!(
            "every {gpu} offer rents at least {smallest_unit} GPUs at once, and a replica uses {gpus}"
        ),
        Unpriced::NotSoldAlone { gpu, note } => format!(
            "{gpu} is not sold on its own{}",
            note.as_ref().map_or(String::new(), |n| format!(" ({n})"))
        ),
        Unpriced::ThirdPartyForbidden { gpu } => format!(
            "sensitive traffic may not be processed by a third party, so no rented {gpu} may serve it; own the hardware (--hosting owned)"
        ),
        Unpriced::ExcludedByPrivacy {
            gpu,
            offers,
            requires,
        } => {
            let ids: Vec<&str> = requires.iter().map(|o| o.id()).collect();
            format!(
                "none of the {offers} {gpu} offers is known to offer {} (unknown counts as not offered); own the hardware, or give an offer that does in a --pricing file",
                ids.join(" and ")
            )
        }
    }
}

/// A kind of rejection: "does not fit in memory".
pub fn rejection(kind: &RejectionKind) -> String {
    match kind {
        RejectionKind::DoesNotFit => "does not fit in memory".into(),
        RejectionKind::NoCloudPrice => "no cloud price of the chosen kind".into(),
        RejectionKind::NoOwnedCost => "no owned-hardware cost".into(),
        RejectionKind::ExcludedByPrivacy => {
            "no cloud offer allowed for the sensitive traffic (privacy)".into()
        }
        RejectionKind::MissesLatency => "misses the latency target".into(),
        RejectionKind::TooFewGpus(s) => shortage(s),
        RejectionKind::ExceedsContext {
            context_tokens,
            request_tokens,
        } => format!(
            "the request's {} tokens exceed the model's context window of {} tokens",
            crate::model::units::fmt_tokens(*request_tokens),
            crate::model::units::fmt_tokens(*context_tokens)
        ),
        RejectionKind::TooManyReplicas => format!(
            "would need more than {} replicas, the most the tool counts",
            crate::model::units::fmt_count(crate::engine::MAX_UNITS)
        ),
    }
}

/// GPUs given that are too few: "1 x h200 holds 1 replica serving 4.9B tokens a month; the
/// volume needs 3 (3 GPUs)".
pub fn shortage(s: &Shortage) -> String {
    let need = s.needed + s.spares;
    let spares = if s.spares > 0 {
        format!(", {} of them spare", s.spares)
    } else {
        String::new()
    };
    format!(
        "{} x {} hold{} {} replica{} of {} GPU{}, each serving {} tokens a month; the volume needs {need} ({} GPUs{spares})",
        s.total,
        s.gpu,
        if s.total == 1 { "s" } else { "" },
        s.serve,
        plural(s.serve),
        s.tp,
        plural(s.tp),
        fmt_tokens(s.replica_tokens_per_month),
        need * s.tp
    )
}

/// Rejections of one kind with their count: "does not fit in memory (72 configurations)".
pub fn rejected(r: &Rejected) -> String {
    format!(
        "{} ({} configuration{})",
        rejection(&r.kind),
        r.configurations,
        plural(r.configurations)
    )
}

fn rejected_list(list: &[Rejected]) -> String {
    list.iter().map(rejected).collect::<Vec<_>>().join("; ")
}

/// What would hold a model that does not fit.
pub fn fit(a: &FitAdvice) -> String {
    let head = format!(
        "{} in {} needs {:.1} GB for its weights alone",
        a.model, a.precision, a.weights_gb
    );
    if a.fits.is_empty() {
        return format!("{head}; no single node of up to 8 GPUs in the catalog holds it");
    }
    let options: Vec<String> = a
        .fits
        .iter()
        .map(|f| format!("{} x {} in {}", f.tp, f.gpu, f.precision))
        .collect();
    format!("{head}; it fits on {}", options.join(", or "))
}

/// A change to a deployment: "more tensor parallelism", "a smaller model (x, small tier)".
pub fn change(c: &Change) -> String {
    match c {
        Change::MoreTensorParallelism => "more tensor parallelism".into(),
        Change::OtherGpu => "another GPU".into(),
        Change::GpuCount => "another GPU count".into(),
        Change::OtherPrecision => "another precision".into(),
        Change::OtherHosting(h) => format!("{} hosting", h.id()),
        Change::LowerUtilization(u) => format!("lower utilization ({:.0}% at the peak)", u * 100.0),
        Change::SmallerModel { model, tier } => {
            format!("a smaller model ({model}, {} tier)", tier.id())
        }
    }
}

/// Why no deployment is offered as asked, with the closest one and the way out. With a closest
/// fit the trouble is the latency target; without one, nothing as asked fits and can be priced.
pub fn no_deployment(n: &NoDeployment) -> String {
    let goal = if n.closest.is_some() {
        "meet the target"
    } else {
        "make it work"
    };
    let fix = match &n.fix {
        Fix::Change {
            change,
            same_model,
            deployment,
        } => format!(
            "; the cheapest way to {goal}{} is {}: {} at {} a month",
            if *same_model {
                " with the same model"
            } else {
                ""
            },
            self::change(change),
            summary(deployment),
            fmt_usd(deployment.monthly_cost_usd)
        ),
        Fix::Nothing => format!(
            "; no single change of GPU, GPU count, tensor parallelism, precision, hosting, utilization or model in the catalog would {goal}"
        ),
        Fix::NoTarget => String::new(),
    };
    match &n.closest {
        Some(closest) => format!(
            "no deployment of {} meets every requirement ({}); the closest is {}{fix}",
            n.model,
            rejected_list(&n.rejected),
            summary(closest)
        ),
        None => format!(
            "no deployment of {} as asked can serve this workload ({}){fix}",
            n.model,
            rejected_list(&n.rejected),
        ),
    }
}

/// A note about the self-hosted side.
pub fn note(n: &Note) -> String {
    match n {
        Note::Given {
            unit_usd,
            unit_usd_from,
            capacity,
            capacity_from,
            fixed_usd,
            left_out_usd,
        } => {
            let left_out = if *left_out_usd > 0.0 {
                format!(
                    "; the sized deployment's personnel and spare replicas, {} a month, are left out",
                    fmt_usd(*left_out_usd)
                )
            } else {
                String::new()
            };
            format!(
                "Your figures define the self-hosted side: units x {} ({}) + {} fixed, a unit serving {} tokens a month ({}), units = ceil(tokens x peak-to-average / capacity). Nothing else is added: no personnel, power or spare units{left_out}.",
                fmt_usd(*unit_usd),
                figure_from(*unit_usd_from),
                fmt_usd(*fixed_usd),
                fmt_tokens(*capacity),
                figure_from(*capacity_from),
            )
        }
        Note::Physical(p) => physical(p),
        Note::Changed {
            rejected,
            change,
            deployment,
        } => format!(
            "No deployment as asked can serve this workload ({}); the cheapest single change that can is {}: {}.",
            rejected_list(rejected),
            self::change(change),
            summary(deployment)
        ),
        Note::SpotPreemption { gpu, provider } => format!(
            "The {gpu} GPUs are spot capacity from {provider}: the provider can take them back at any time, and this workload is in production or always on; keep on-demand or reserved capacity to fall back on (--price-kind on-demand prices it)."
        ),
        Note::Commitment { months, horizon } => format!(
            "The reserved price commits to {months} months, longer than the {horizon}-month horizon of this report: the months after the horizon are owed too."
        ),
        Note::SetupStandsIn {
            model,
            rejected,
            setup,
        } => format!(
            "No deployment of {model} could be sized and priced ({}); the packaged setup {setup} stands in.",
            rejected_list(rejected)
        ),
    }
}

fn figure_from(f: FigureFrom) -> &'static str {
    match f {
        FigureFrom::Given => "as given",
        FigureFrom::Sized => "the sized replica's",
        FigureFrom::Setup => "the packaged setup's",
    }
}

fn physical(p: &PhysicalCheck) -> String {
    let head = format!(
        "The article prices {} ({} x {}) as serving a 70B-class model at {} tokens a month.",
        p.setup,
        p.tp,
        p.gpu,
        fmt_tokens(p.claimed_tokens_per_month)
    );
    match &p.finding {
        Finding::Fits {
            tokens_per_month,
            utilization,
        } => format!(
            "{head} By the sizing engine {} in bf16 fits and serves about {} tokens a month at {:.0}% utilization.",
            p.model,
            fmt_tokens(*tokens_per_month),
            utilization * 100.0
        ),
        Finding::DoesNotFit { advice, quantized } => {
            let quantized = quantized
                .as_ref()
                .map_or(String::new(), |(precision, tokens)| {
                    format!(
                        " Quantized to {precision} it fits and serves about {} tokens a month.",
                        fmt_tokens(*tokens)
                    )
                });
            format!("{head} That does not hold: {}.{quantized}", fit(advice))
        }
    }
}

/// An assumption's name, as the JSON contract names it.
pub fn assumed(a: &Assumed) -> String {
    match a {
        Assumed::InputShare => "input_share".into(),
        Assumed::TieBand => "tie_band".into(),
        Assumed::TokensPerUnit => "self_host.tokens_per_month_per_unit".into(),
        Assumed::UnitCost => "self_host.unit_usd_per_month".into(),
        Assumed::PeakToAverage => "peak_to_average".into(),
        Assumed::ApiRtt => "api_network_rtt_p95_ms".into(),
        Assumed::ApiQueue => "api_queue_p95_ms".into(),
        Assumed::RoleCost(role) => format!("staffing.roles[{role}].usd_per_month"),
        Assumed::AmortizationMonths => "self_host.amortization_months".into(),
        Assumed::Pue => "self_host.pue".into(),
        Assumed::ElectricityUsdPerKwh => "self_host.electricity_usd_per_kwh".into(),
        Assumed::ColocationUsdPerKwMonth => "self_host.colocation_usd_per_kw_month".into(),
        Assumed::BuildEngineerMonths => "projection.build_engineer_months".into(),
        Assumed::MonthsToProduction => "projection.months_to_production".into(),
    }
}

/// Where an assumed value comes from.
pub fn assumption_basis(b: &AssumptionBasis) -> String {
    match b {
        AssumptionBasis::DefaultInputShare => {
            "policy.default_input_share (article: one third input, two thirds output)".into()
        }
        AssumptionBasis::Workload => "workload".into(),
        AssumptionBasis::PolicyTieBand => {
            "policy.tie_band (costs this close are \"roughly equal\")".into()
        }
        AssumptionBasis::Setup(text) | AssumptionBasis::Staffing(text) => text.clone(),
        AssumptionBasis::Sizing { utilization } => format!(
            "sizing engine: one replica at {}% utilization (policy.self_host.target_utilization)",
            utilization * 100.0
        ),
        AssumptionBasis::GpuCost => {
            "GPU cost x GPUs per replica (options.self_host.deployment.gpu_cost)".into()
        }
        AssumptionBasis::Traffic(shape) => format!("traffic shape {}", shape.id()),
        AssumptionBasis::PolicyApiRtt => {
            "policy.latency.api_network_rtt_ms (article: 50-150 ms)".into()
        }
        AssumptionBasis::PolicyApiQueue => "policy.latency.api_queue_ms (article: 0-500 ms)".into(),
        AssumptionBasis::PolicyOwned => {
            "policy.self_host (an assumption of this tool for owned hardware)".into()
        }
        AssumptionBasis::PolicySwitch => {
            "policy.projection (an assumption of this tool, within the public accounts cited in the methodology)".into()
        }
    }
}

/// A catalog entry by id: "gpt-4o", or a GPU offer "h200 hyperstack on-demand".
pub fn entry(e: &Entry) -> String {
    match e {
        Entry::Id(id) => id.clone(),
        Entry::GpuPurchase { gpu } => format!("{gpu} purchase"),
        Entry::GpuOffer {
            gpu,
            provider,
            kind,
        } => format!("{gpu} {provider} {kind}"),
    }
}
