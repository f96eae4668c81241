//! Validation of one pricing file: raw tables to model entries, every problem with its
//! position. Merging files into a catalog happens in `catalog`.

pub mod engine;
pub mod hardware;
pub mod model_config;
pub mod overrides;
pub mod policy;
pub mod profiles;
pub mod raw;

use crate::input::validate::{Checker, MS, NUMBER, SHARE, TOKENS, USD};
use crate::input::yaml::{Located, Pos, Q};
use crate::model::catalog::hardware::Tenancy;
use crate::model::catalog::{
    ApiLatency, ApiModel, Compliance, CostLine, Fte, IndexScore, LongContext, Provenance,
    Reasoning, RoleCost, Serves, Setup, StaffScale, Tier,
};
use crate::model::date::Date;
use crate::model::problem::Problems;
use crate::model::units::{Bounds, UnitKind, fmt_tokens};
use raw::{
    RawApi, RawApiLatency, RawFte, RawIndex, RawLongContext, RawPolicy, RawPricingFile,
    RawProvider, RawReasoning, RawSetup, RawStaffing,
};

/// A provider's compliance offers.
#[derive(Debug, Clone)]
pub struct Provider {
    /// Provider id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Compliance offers.
    pub compliance: Compliance,
    /// Where they come from.
    pub compliance_source: Option<String>,
    /// How its GPU offers are shared, where it says for all of them.
    pub tenancy: Option<Tenancy>,
}

/// Staffing values of one file.
#[derive(Debug, Clone, Default)]
pub struct StaffingPart {
    /// Rows by id.
    pub scales: Vec<StaffScale>,
    /// Role costs.
    pub roles: Vec<RoleCost>,
    /// Provenance, if the file gives it.
    pub provenance: Option<Provenance>,
}

/// Where a file names an entry of another table. Such ids are checked once every file is
/// merged (the entry may come from another file), and a problem with one points here.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The field, as problems name it: `setups[cloud-a100].gpu`, `policy.default_api`.
    pub field: String,
    /// The id written there.
    pub id: String,
    /// Its position in the file.
    pub pos: Pos,
}

/// Everything one pricing file contributes.
#[derive(Debug, Default)]
pub struct PricingPart {
    /// Where the file names entries of other tables.
    pub origins: Vec<Origin>,
    /// Providers.
    pub providers: Vec<Provider>,
    /// API models, with unknown compliance.
    pub apis: Vec<ApiModel>,
    /// Setups.
    pub setups: Vec<Setup>,
    /// Staffing.
    pub staffing: StaffingPart,
    /// The raw policy (applied in merge order).
    pub policy: Option<RawPolicy>,
    /// GPUs.
    pub gpus: Vec<crate::model::catalog::hardware::Gpu>,
    /// Open models.
    pub models: Vec<crate::model::catalog::hardware::OpenModel>,
    /// Precisions.
    pub precisions: Vec<crate::model::catalog::hardware::Precision>,
    /// Serving engines.
    pub engines: Vec<crate::model::catalog::hardware::Serving>,
    /// Engine constants measured on the user's own deployment.
    pub calibrations: Vec<engine::EngineCalibration>,
}

/// The least a self-hosted unit can serve and mean something: a million tokens a month (less
/// than half a token a second). Fewer is a missing suffix: `4` meant `4B`.
pub const MIN_UNIT_TOKENS: f64 = 1e6;

/// A unit's capacity of at least [`MIN_UNIT_TOKENS`]; below, a problem that suggests the
/// suffix that was probably meant.
pub fn unit_capacity(ck: &mut Checker, field: &str, q: Option<&Q>, v: Option<f64>) -> Option<f64> {
    let (q, v) = (q?, v?);
    if v >= MIN_UNIT_TOKENS {
        return Some(v);
    }
    ck.report(
        q.pos,
        field,
        format!(
            "{} tokens a month per unit is less than {} (half a token a second): did you mean {}?",
            fmt_tokens(v),
            fmt_tokens(MIN_UNIT_TOKENS),
            fmt_tokens(v * 1e9)
        ),
        Some("give the tokens a unit serves a month with their suffix, e.g. 2.5B"),
    );
    None
}

/// Validates a parsed pricing file.
pub fn validate(file: &str, raw: RawPricingFile, problems: &mut Problems) -> PricingPart {
    let mut ck = Checker { file, problems };
    ck.version(&raw.version);
    let mut part = PricingPart {
        origins: origins(&raw),
        ..PricingPart::default()
    };
    check_unique_ids(
        &mut ck,
        "providers",
        raw.providers.iter().map(|p| &p.value.id),
    );
    check_unique_ids(&mut ck, "apis", raw.apis.iter().map(|a| &a.value.id));
    check_unique_ids(&mut ck, "setups", raw.setups.iter().map(|s| &s.value.id));
    part.providers = raw
        .providers
        .iter()
        .map(|p| provider(&mut ck, &p.value))
        .collect();
    part.apis = raw.apis.iter().filter_map(|a| api(&mut ck, a)).collect();
    part.setups = raw
        .setups
        .iter()
        .filter_map(|s| setup(&mut ck, s))
        .collect();
    if let Some(s) = &raw.staffing {
        part.staffing = staffing(&mut ck, s);
    }
    check_unique_ids(&mut ck, "gpus", raw.gpus.iter().map(|g| &g.value.id));
    check_unique_ids(&mut ck, "models", raw.models.iter().map(|m| &m.value.id));
    check_unique_ids(
        &mut ck,
        "precisions",
        raw.precisions.iter().map(|p| &p.value.id),
    );
    part.gpus = raw
        .gpus
        .iter()
        .filter_map(|g| hardware::gpu(&mut ck, g))
        .collect();
    part.models = raw
        .models
        .iter()
        .filter_map(|m| hardware::model(&mut ck, m))
        .collect();
    part.precisions = raw
        .precisions
        .iter()
        .filter_map(|p| hardware::precision(&mut ck, p))
        .collect();
    check_unique_ids(&mut ck, "engines", raw.engines.iter().map(|e| &e.value.id));
    part.engines = raw
        .engines
        .iter()
        .filter_map(|e| engine::engine(&mut ck, e))
        .collect();
    part.calibrations = raw
        .calibrations
        .iter()
        .filter_map(|c| engine::calibration(&mut ck, c))
        .collect();
    part.policy = raw.policy.map(|p| p.value);
    part
}

/// The fields of a file that name entries of other tables, with the ids and positions.
fn origins(raw: &RawPricingFile) -> Vec<Origin> {
    let mut out = engine::origins(raw);
    let mut add = |field: String, id: &Located<String>| {
        out.push(Origin {
            field,
            id: id.value.clone(),
            pos: id.pos,
        });
    };
    for a in &raw.apis {
        let id = &a.value.id.value;
        add(format!("apis[{id}].provider"), &a.value.provider);
        if let Some(sv) = &a.value.serves {
            add(format!("apis[{id}].serves.model"), &sv.value.model);
            if let Some(p) = &sv.value.precision {
                add(format!("apis[{id}].serves.precision"), p);
            }
        }
    }
    for m in &raw.models {
        if let Some(n) = &m.value.native_precision {
            add(format!("models[{}].native_precision", m.value.id.value), n);
        }
    }
    for s in &raw.setups {
        if let Some(g) = &s.value.gpu {
            add(format!("setups[{}].gpu", s.value.id.value), g);
        }
    }
    for p in &raw.precisions {
        for (i, g) in p.value.native_on.iter().enumerate() {
            add(
                format!("precisions[{}].native_on[{i}]", p.value.id.value),
                g,
            );
        }
    }
    let Some(policy) = &raw.policy else {
        return out;
    };
    let policy = &policy.value;
    let ids = [
        ("policy.default_api", &policy.default_api),
        ("policy.default_frontier_api", &policy.default_frontier_api),
        ("policy.default_setup", &policy.default_setup),
    ];
    let self_host = policy.self_host.as_ref();
    let self_host_ids = self_host.map(|sh| {
        [
            ("policy.self_host.engine", &sh.engine),
            ("policy.self_host.default_model", &sh.default_model),
            (
                "policy.self_host.default_small_model",
                &sh.default_small_model,
            ),
        ]
    });
    for (field, value) in ids.into_iter().chain(self_host_ids.into_iter().flatten()) {
        if let Some(v) = value {
            add(field.to_string(), v);
        }
    }
    for (i, p) in self_host
        .and_then(|sh| sh.default_precisions.as_ref())
        .into_iter()
        .flatten()
        .enumerate()
    {
        add(format!("policy.self_host.default_precisions[{i}]"), p);
    }
    out
}

fn check_unique_ids<'a>(
    ck: &mut Checker,
    table: &str,
    ids: impl Iterator<Item = &'a Located<String>>,
) {
    let mut seen: Vec<&str> = Vec::new();
    for id in ids {
        if id.value.trim().is_empty() {
            ck.report(
                id.pos,
                &format!("{table}[].id"),
                "is empty",
                Some("give every entry an id"),
            );
        } else if id
            .value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
        {
            ck.report(
                id.pos,
                &format!("{table}[].id"),
                format!("id {:?} holds spaces or control characters", id.value),
                Some("an id is one word: letters, digits and - . _ : / @ +"),
            );
        } else if seen.contains(&id.value.as_str()) {
            ck.report(
                id.pos,
                &format!("{table}[{}].id", id.value),
                format!("id {:?} appears twice in this file", id.value),
                Some("keep one entry per id"),
            );
        }
        seen.push(&id.value);
    }
}

fn provider(ck: &mut Checker, raw: &RawProvider) -> Provider {
    Provider {
        id: raw.id.value.clone(),
        name: raw.name.clone().unwrap_or_else(|| raw.id.value.clone()),
        compliance: Compliance {
            soc2: raw.compliance.soc2,
            hipaa_baa: raw.compliance.hipaa_baa,
            iso27001: raw.compliance.iso27001,
            zero_retention: raw.compliance.zero_retention,
            regional_endpoints: raw.compliance.regional_endpoints,
        },
        compliance_source: raw.compliance_source.clone(),
        tenancy: raw
            .tenancy
            .as_ref()
            .and_then(|t| ck.one_of(&format!("providers[{}].tenancy", raw.id.value), t)),
    }
}

const PRICE_FIX: &str =
    "give the list price in USD per 1M tokens; write 0 only if the model is free";

fn api(ck: &mut Checker, entry: &Located<RawApi>) -> Option<ApiModel> {
    let raw = &entry.value;
    let p = format!("apis[{}]", raw.id.value);
    let f = |name: &str| format!("{p}.{name}");
    let input = ck.req(
        entry.pos,
        &f("input_usd_per_mtok"),
        raw.input_usd_per_mtok.as_ref(),
        USD,
        PRICE_FIX,
    );
    let output = ck.req(
        entry.pos,
        &f("output_usd_per_mtok"),
        raw.output_usd_per_mtok.as_ref(),
        USD,
        PRICE_FIX,
    );
    let cached = ck.opt(
        &f("cached_input_usd_per_mtok"),
        raw.cached_input_usd_per_mtok.as_ref(),
        USD,
    );
    let batch = ck.opt(&f("batch_discount"), raw.batch_discount.as_ref(), SHARE);
    let context = ck.opt_positive(
        &f("context_tokens"),
        raw.context_tokens.as_ref(),
        TOKENS,
        UnitKind::Tokens,
    );
    let latency = raw.latency.as_ref().and_then(|l| api_latency(ck, &p, l));
    let long_context = raw
        .long_context
        .as_ref()
        .and_then(|l| long_context(ck, &p, l));
    let tier = if let Some(t) = &raw.tier {
        ck.one_of(&f("tier"), t)
    } else {
        ck.report(
            entry.pos,
            &f("tier"),
            "is missing",
            Some("write one of frontier, strong, standard, small"),
        );
        None
    };
    let provenance = ck.provenance(entry.pos, &p, raw.checked.as_ref(), raw.source.as_ref());
    let index = raw.index.as_ref().and_then(|i| index_score(ck, &p, i));
    let reasoning = raw.reasoning.as_ref().and_then(|r| reasoning(ck, &p, r));
    let serves = raw.serves.as_ref().map(|s| Serves {
        model: s.value.model.value.clone(),
        precision: s.value.precision.as_ref().map(|p| p.value.clone()),
    });
    // Compliance stays unknown here; the merge fills in the provider's offers.
    Some(ApiModel {
        id: raw.id.value.clone(),
        provider: raw.provider.value.clone(),
        name: raw.name.clone().unwrap_or_else(|| raw.id.value.clone()),
        input_usd_per_mtok: input?,
        output_usd_per_mtok: output?,
        cached_input_usd_per_mtok: cached,
        batch_discount: batch,
        tier: tier.unwrap_or(Tier::Standard),
        context_tokens: context,
        long_context,
        latency,
        litellm_key: raw.litellm_key.as_ref().map(|k| k.value.clone()),
        index,
        reasoning,
        serves,
        compliance: Compliance::default(),
        compliance_source: None,
        provenance: provenance?,
    })
}

/// A reasoning model's hidden reasoning tokens per request, with their source.
fn reasoning(ck: &mut Checker, p: &str, r: &Located<RawReasoning>) -> Option<Reasoning> {
    let field = format!("{p}.reasoning.tokens_per_request");
    let v = ck.opt(&field, Some(&r.value.tokens_per_request), TOKENS);
    ck.bounded(
        &field,
        Some(&r.value.tokens_per_request),
        v,
        Bounds::new(UnitKind::Tokens, 0.0, 1e6),
    )
    .map(|tokens| Reasoning {
        tokens_per_request: tokens,
        source: r.value.source.clone(),
    })
}

/// A capability index score with its source and date.
pub fn index_score(ck: &mut Checker, p: &str, i: &Located<RawIndex>) -> Option<IndexScore> {
    let field = format!("{p}.index.score");
    let v = ck.opt(&field, Some(&i.value.score), NUMBER);
    let score = ck.bounded(
        &field,
        Some(&i.value.score),
        v,
        // Leaderboards score from 0-100 indices to Elo ratings in the thousands.
        Bounds::new(UnitKind::Number, 0.0, 10_000.0),
    );
    let checked = match Date::parse(&i.value.checked.value) {
        Ok(d) => Some(d),
        Err(e) => {
            ck.report(i.value.checked.pos, &format!("{p}.index.checked"), e, None);
            None
        }
    };
    Some(IndexScore {
        score: score?,
        source: i.value.source.clone(),
        checked: checked?,
    })
}

/// An API's measured latency, every field required.
fn api_latency(ck: &mut Checker, p: &str, l: &Located<RawApiLatency>) -> Option<ApiLatency> {
    let f = |name: &str| format!("{p}.{name}");
    let ttft = ck.opt_positive(
        &f("latency.ttft_ms"),
        Some(&l.value.ttft_ms),
        MS,
        UnitKind::Duration,
    );
    let tps = ck.opt_positive(
        &f("latency.output_tokens_per_s"),
        Some(&l.value.output_tokens_per_s),
        NUMBER,
        UnitKind::Number,
    );
    let prov = ck.provenance(
        l.pos,
        &f("latency"),
        Some(&l.value.checked),
        Some(&l.value.source),
    );
    Some(ApiLatency {
        ttft_ms: ttft?,
        output_tokens_per_s: tps?,
        provenance: prov?,
    })
}

/// An API's prices above a long-context threshold.
fn long_context(ck: &mut Checker, p: &str, l: &RawLongContext) -> Option<LongContext> {
    let f = |name: &str| format!("{p}.long_context.{name}");
    Some(LongContext {
        above_input_tokens: ck.opt_positive(
            &f("above_input_tokens"),
            Some(&l.above_input_tokens),
            TOKENS,
            UnitKind::Tokens,
        )?,
        input_usd_per_mtok: ck.opt(&f("input_usd_per_mtok"), Some(&l.input_usd_per_mtok), USD)?,
        output_usd_per_mtok: ck.opt(
            &f("output_usd_per_mtok"),
            Some(&l.output_usd_per_mtok),
            USD,
        )?,
        cached_input_usd_per_mtok: ck.opt(
            &f("cached_input_usd_per_mtok"),
            l.cached_input_usd_per_mtok.as_ref(),
            USD,
        ),
    })
}

fn setup(ck: &mut Checker, entry: &Located<RawSetup>) -> Option<Setup> {
    let raw = &entry.value;
    let p = format!("setups[{}]", raw.id.value);
    let f = |name: &str| format!("{p}.{name}");
    let gpus = ck.opt_positive(
        &f("gpus_per_unit"),
        raw.gpus_per_unit.as_ref(),
        NUMBER,
        UnitKind::Number,
    );
    let capacity = ck.req_positive(
        entry.pos,
        &f("tokens_per_month_per_unit"),
        raw.tokens_per_month_per_unit.as_ref(),
        TOKENS,
        UnitKind::Tokens,
        "say how many tokens a month one unit serves, e.g. 2.5B",
    );
    let capacity = unit_capacity(
        ck,
        &f("tokens_per_month_per_unit"),
        raw.tokens_per_month_per_unit.as_ref(),
        capacity,
    );
    if raw.costs.is_empty() {
        ck.report(
            entry.pos,
            &f("costs"),
            "is missing or empty",
            Some("list the unit's monthly cost lines, e.g. `- {name: hardware, usd_per_month: 3500}`"),
        );
    }
    let mut costs = Vec::new();
    for line in &raw.costs {
        let name = &line.value.name.value;
        let usd = ck.req(
            line.pos,
            &f(&format!("costs[{name}].usd_per_month")),
            line.value.usd_per_month.as_ref(),
            USD,
            "give the monthly cost of this line in USD; write 0 if it is included elsewhere",
        );
        if let Some(usd) = usd {
            costs.push(CostLine {
                name: name.clone(),
                usd_per_month: usd,
                note: line.value.note.clone(),
            });
        }
    }
    let provenance = ck.provenance(entry.pos, &p, raw.checked.as_ref(), raw.source.as_ref());
    let kind = ck.one_of(&format!("{p}.kind"), &raw.kind);
    if costs.len() != raw.costs.len() {
        return None;
    }
    let gpus = gpus.unwrap_or(1.0);
    Some(Setup {
        id: raw.id.value.clone(),
        name: raw.name.clone().unwrap_or_else(|| raw.id.value.clone()),
        kind: kind?,
        gpu: raw.gpu.as_ref().map(|g| g.value.clone()),
        gpus_per_unit: gpus.round().clamp(1.0, 1024.0) as u32,
        costs,
        tokens_per_month_per_unit: capacity?,
        capacity_note: raw.capacity_note.clone(),
        provenance: provenance?,
    })
}

fn fte(ck: &mut Checker, prefix: &str, raw: &RawFte) -> Fte {
    Fte {
        ml_engineer: ck
            .opt(
                &format!("{prefix}.ml_engineer"),
                raw.ml_engineer.as_ref(),
                NUMBER,
            )
            .unwrap_or(0.0),
        devops: ck
            .opt(&format!("{prefix}.devops"), raw.devops.as_ref(), NUMBER)
            .unwrap_or(0.0),
        sre: ck
            .opt(&format!("{prefix}.sre"), raw.sre.as_ref(), NUMBER)
            .unwrap_or(0.0),
    }
}

fn staffing(ck: &mut Checker, entry: &Located<RawStaffing>) -> StaffingPart {
    let raw = &entry.value;
    let mut part = StaffingPart::default();
    for s in &raw.scales {
        let p = format!("staffing.scales[{}]", s.value.id.value);
        let up_to = ck.opt_positive(
            &format!("{p}.up_to_units"),
            s.value.up_to_units.as_ref(),
            NUMBER,
            UnitKind::Number,
        );
        part.scales.push(StaffScale {
            id: s.value.id.value.clone(),
            label: s.value.label.clone(),
            up_to_units: up_to.map(|u| u.round() as u32),
            minimum: fte(ck, &format!("{p}.minimum"), &s.value.minimum),
            recommended: fte(ck, &format!("{p}.recommended"), &s.value.recommended),
            note: s.value.note.clone(),
        });
    }
    for r in &raw.roles {
        let field = format!("staffing.roles[{}].usd_per_month", r.value.role.value);
        if let Some(usd) = ck.opt(&field, Some(&r.value.usd_per_month), USD) {
            part.roles.push(RoleCost {
                role: r.value.role.value.clone(),
                usd_per_month: usd,
                source: r.value.source.clone(),
            });
        }
    }
    if raw.checked.is_some() || raw.source.is_some() {
        part.provenance = ck.provenance(
            entry.pos,
            "staffing",
            raw.checked.as_ref(),
            raw.source.as_ref(),
        );
    }
    part
}
