//! Validation of the hardware tables of a pricing file: GPUs, open models and precisions (the
//! serving engines are validated in `engine`).

use super::raw::{RawExperts, RawGpu, RawGpuPrice, RawModel, RawOwned, RawPrecision, RawSliding};
use crate::input::validate::{Checker, NUMBER, SHARE, TOKENS, USD};
use crate::input::yaml::{Located, Pos, Q};
use crate::model::catalog::Compliance;
use crate::model::catalog::hardware::{
    Experts, Gpu, GpuPrice, OpenModel, OwnedCost, Precision, SlidingWindow,
};
use crate::model::units::{Bounds, UnitKind};

/// An optional positive number.
fn opt_positive(ck: &mut Checker, field: &str, q: Option<&Q>) -> Option<f64> {
    ck.opt_positive(field, q, NUMBER, UnitKind::Number)
}

/// A whole number of at least 1.
pub(super) fn count(ck: &mut Checker, entry: Pos, field: &str, q: Option<&Q>) -> Option<u32> {
    let v = ck.req_positive(
        entry,
        field,
        q,
        NUMBER,
        UnitKind::Number,
        "give a whole number of at least 1",
    )?;
    if v.fract() != 0.0 || v > f64::from(u32::MAX) {
        ck.report(
            q.map_or(entry, |q| q.pos),
            field,
            format!("{v} is not a whole number"),
            Some("give a whole number"),
        );
        return None;
    }
    Some(v as u32)
}

/// Validates a GPU entry.
pub fn gpu(ck: &mut Checker, entry: &Located<RawGpu>) -> Option<Gpu> {
    let raw = &entry.value;
    let p = format!("gpus[{}]", raw.id.value);
    let f = |n: &str| format!("{p}.{n}");
    let spec_fix = "give the datasheet figure";
    // Datasheet figures within what any accelerator has had or will soon: a figure outside
    // is a typo (GB for TB, a missing digit), and would make the sizing meaningless.
    let spec = |ck: &mut Checker, name: &str, q: Option<&Q>, min: f64, max: f64| {
        let v = ck.req_positive(entry.pos, &f(name), q, NUMBER, UnitKind::Number, spec_fix);
        ck.bounded(&f(name), q, v, Bounds::new(UnitKind::Number, min, max))
    };
    let memory = spec(ck, "memory_gb", raw.memory_gb.as_ref(), 1.0, 10_000.0);
    let bandwidth = spec(
        ck,
        "memory_bandwidth_gb_s",
        raw.memory_bandwidth_gb_s.as_ref(),
        10.0,
        1_000_000.0,
    );
    let bf16 = spec(
        ck,
        "bf16_tflops",
        raw.bf16_tflops.as_ref(),
        0.1,
        1_000_000.0,
    );
    let fp8 = opt_positive(ck, &f("fp8_tflops"), raw.fp8_tflops.as_ref());
    let fp4 = opt_positive(ck, &f("fp4_tflops"), raw.fp4_tflops.as_ref());
    let int8 = opt_positive(ck, &f("int8_tops"), raw.int8_tops.as_ref());
    let measured_bf16 = opt_positive(
        ck,
        &f("measured_bf16_tflops"),
        raw.measured_bf16_tflops.as_ref(),
    );
    let measured_fp8 = opt_positive(
        ck,
        &f("measured_fp8_tflops"),
        raw.measured_fp8_tflops.as_ref(),
    );
    let measured_fp4 = opt_positive(
        ck,
        &f("measured_fp4_tflops"),
        raw.measured_fp4_tflops.as_ref(),
    );
    let power = opt_positive(ck, &f("power_w"), raw.power_w.as_ref());
    let link = opt_positive(ck, &f("link_gb_s"), raw.link_gb_s.as_ref());
    for (name, measured, peak) in [
        ("measured_bf16_tflops", measured_bf16, bf16),
        ("measured_fp8_tflops", measured_fp8, fp8),
        ("measured_fp4_tflops", measured_fp4, fp4),
    ] {
        if let (Some(m), Some(p)) = (measured, peak)
            && m > p
        {
            ck.report(
                entry.pos,
                &f(name),
                format!("{m} is above the peak of {p}"),
                Some("a measured rate cannot beat the datasheet peak"),
            );
        }
    }
    let prices = raw
        .prices
        .iter()
        .enumerate()
        .filter_map(|(i, price)| gpu_price(ck, &f(&format!("prices[{i}]")), &price.value))
        .collect();
    let owned = raw.owned.as_ref().map(|o| owned(ck, &p, o));
    let provenance = ck.provenance(entry.pos, &p, raw.checked.as_ref(), raw.source.as_ref());
    let interconnect = ck.one_of(&f("interconnect"), &raw.interconnect);
    Some(Gpu {
        id: raw.id.value.clone(),
        name: raw.name.clone().unwrap_or_else(|| raw.id.value.clone()),
        memory_gb: memory?,
        memory_bandwidth_gb_s: bandwidth?,
        bf16_tflops: bf16?,
        fp8_tflops: fp8,
        fp4_tflops: fp4,
        int8_tops: int8,
        measured_bf16_tflops: measured_bf16,
        measured_fp8_tflops: measured_fp8,
        measured_fp4_tflops: measured_fp4,
        power_w: power,
        interconnect: interconnect?,
        link_gb_s: link,
        prices,
        owned,
        provenance: provenance?,
    })
}

/// A GPU's owned-hardware cost: a dated purchase price with what it covers (or the
/// article's amortized figure), or `sold: false` for a part not sold on its own.
fn owned(ck: &mut Checker, p: &str, o: &Located<RawOwned>) -> OwnedCost {
    let f = |n: &str| format!("{p}.owned.{n}");
    let raw = &o.value;
    let sold = raw.sold.unwrap_or(true);
    let purchase = ck.opt(&f("purchase_usd"), raw.purchase_usd.as_ref(), USD);
    if !sold && (purchase.is_some() || raw.amortized_usd_per_month.is_some()) {
        ck.report(
            o.pos,
            &f("sold"),
            "a GPU that is not sold on its own has no purchase price",
            Some("drop `sold: false`, or the price"),
        );
    }
    if (purchase.is_some() || raw.amortized_usd_per_month.is_some()) && raw.checked.is_none() {
        ck.report(
            o.pos,
            &f("checked"),
            "is missing",
            Some("say when the price was observed, as YYYY-MM-DD: a price without a date escapes --max-price-age"),
        );
    }
    let checked = raw.checked.as_ref().and_then(|c| ck.date(&f("checked"), c));
    OwnedCost {
        sold,
        purchase_usd: purchase,
        includes: raw.includes.clone(),
        amortized_usd_per_month: ck.opt(
            &f("amortized_usd_per_month"),
            raw.amortized_usd_per_month.as_ref(),
            USD,
        ),
        note: raw.note.clone(),
        checked,
        source: raw.source.clone(),
    }
}

/// A GPU's cloud offer; every field required.
fn gpu_price(ck: &mut Checker, pf: &str, price: &RawGpuPrice) -> Option<GpuPrice> {
    let usd = ck.opt(
        &format!("{pf}.usd_per_gpu_hour"),
        Some(&price.usd_per_gpu_hour),
        USD,
    );
    let checked = ck.date(&format!("{pf}.checked"), &price.checked);
    let class = ck.one_of(&format!("{pf}.class"), &price.class);
    let kind = ck.one_of(&format!("{pf}.kind"), &price.kind);
    let unit_field = format!("{pf}.gpus_per_unit");
    let unit = ck.opt(&unit_field, price.gpus_per_unit.as_ref(), NUMBER);
    let unit = ck.bounded(
        &unit_field,
        price.gpus_per_unit.as_ref(),
        unit,
        Bounds::whole(1.0, 72.0),
    );
    let tenancy = match &price.tenancy {
        Some(t) => Some(ck.one_of(&format!("{pf}.tenancy"), t)?),
        None => None,
    };
    Some(GpuPrice {
        provider: price.provider.clone(),
        class: class?,
        kind: kind?,
        usd_per_gpu_hour: usd?,
        instance: price.instance.clone(),
        region: price.region.clone(),
        gpus_per_unit: unit.map(|u| u as u32),
        tenancy,
        compliance: Compliance::default(),
        compliance_source: None,
        note: price.note.clone(),
        checked: checked?,
        source: price.source.value.clone(),
    })
}

/// Validates an open-model entry.
/// A model entry that points at its Hugging Face config.json (`config:`, relative to the
/// pricing file's folder): the architecture comes from the file, the tier and provenance from
/// the entry, and the entry may not give the architecture's figures too.
fn model_from_config(
    ck: &mut Checker,
    entry: &Located<RawModel>,
    config: &Located<String>,
) -> Option<OpenModel> {
    let raw = &entry.value;
    let p = format!("models[{}]", raw.id.value);
    let at = |q: &Option<Q>| q.as_ref().map(|q| q.pos);
    let given = [
        ("params_b", at(&raw.params_b)),
        ("active_params_b", at(&raw.active_params_b)),
        ("vocab_size", at(&raw.vocab_size)),
        (
            "tied_embeddings",
            raw.tied_embeddings.as_ref().map(|t| t.pos),
        ),
        ("layers", at(&raw.layers)),
        ("hidden_size", at(&raw.hidden_size)),
        ("attention_heads", at(&raw.attention_heads)),
        ("kv_heads", at(&raw.kv_heads)),
        ("head_dim", at(&raw.head_dim)),
        ("kv_values_per_layer", at(&raw.kv_values_per_layer)),
        ("context_tokens", at(&raw.context_tokens)),
        ("experts", raw.experts.as_ref().map(|e| e.count.pos)),
        (
            "sliding_window",
            raw.sliding_window.as_ref().map(|s| s.window_tokens.pos),
        ),
    ];
    if let Some((field, Some(pos))) = given.iter().find(|(_, g)| g.is_some()) {
        ck.report(
            *pos,
            &format!("{p}.{field}"),
            "is given beside config, which the architecture is read from",
            Some("give either config or the architecture's figures, not both"),
        );
        return None;
    }
    let path = std::path::Path::new(ck.file)
        .parent()
        .unwrap_or_else(|| std::path::Path::new(""))
        .join(&config.value);
    let arch = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
        .and_then(|text| {
            super::model_config::read(&text).map_err(|e| format!("{}: {e}", path.display()))
        });
    let arch = match arch {
        Ok(a) => a,
        Err(message) => {
            ck.report(
                config.pos,
                &format!("{p}.config"),
                message,
                Some("point config at the model's config.json from its Hugging Face repository"),
            );
            return None;
        }
    };
    let tier = ck.one_of(&format!("{p}.tier"), &raw.tier);
    let provenance = ck.provenance(entry.pos, &p, raw.checked.as_ref(), raw.source.as_ref());
    let mut model = arch.model(&raw.id.value, tier?, "");
    model.provenance = provenance?;
    if let Some(name) = &raw.name {
        model.name.clone_from(name);
    }
    if let Some(n) = &raw.native_precision {
        model.native_precision = Some(n.value.clone());
    }
    model.index = raw
        .index
        .as_ref()
        .and_then(|i| super::index_score(ck, &p, i));
    Some(model)
}

/// Active parameters are a part of the total less the input embedding's lookup table, and a
/// mixture of experts gives them.
fn check_active(
    ck: &mut Checker,
    entry: &Located<RawModel>,
    (params, active): (Option<f64>, Option<f64>),
    lookup: f64,
) {
    let field = format!("models[{}].active_params_b", entry.value.id.value);
    // Counts are given to hundredths of a billion, so one hundredth is rounding.
    if let (Some(p), Some(a)) = (params, active)
        && a > p - lookup + 0.01
    {
        let message = if lookup > 0.0 {
            format!(
                "{a} is above params_b {p} less the input embedding's {lookup:.3} (vocab_size \
                 x hidden_size, a lookup)"
            )
        } else {
            format!("{a} is above params_b {p}")
        };
        let fix = if lookup > 0.0 {
            "give the parameters a token multiplies (the untied input embedding is only looked \
             up), or say tied_embeddings: true"
        } else {
            "active parameters are a part of the total"
        };
        ck.report(entry.pos, &field, message, Some(fix));
    }
    if let (Some(p), None) = (params, active)
        && lookup >= p
    {
        ck.report(
            entry.pos,
            &format!("models[{}].vocab_size", entry.value.id.value),
            format!("vocab_size x hidden_size is {lookup:.3} billion, not below params_b {p}"),
            Some("check vocab_size and hidden_size against the model's config.json"),
        );
    }
    if entry.value.experts.is_some() && active.is_none() {
        ck.report(
            entry.pos,
            &field,
            "is missing for a mixture-of-experts model",
            Some("give the parameters used per token"),
        );
    }
}

pub fn model(ck: &mut Checker, entry: &Located<RawModel>) -> Option<OpenModel> {
    let raw = &entry.value;
    if let Some(config) = &raw.config {
        return model_from_config(ck, entry, config);
    }
    let p = format!("models[{}]", raw.id.value);
    let f = |n: &str| format!("{p}.{n}");
    let fix = "give the figure from the model's config.json";
    let params = ck.req_positive(
        entry.pos,
        &f("params_b"),
        raw.params_b.as_ref(),
        NUMBER,
        UnitKind::Number,
        "give the total parameters in billions",
    );
    let active = opt_positive(ck, &f("active_params_b"), raw.active_params_b.as_ref());
    let layers = count(ck, entry.pos, &f("layers"), raw.layers.as_ref());
    let hidden = count(ck, entry.pos, &f("hidden_size"), raw.hidden_size.as_ref());
    let vocab = raw
        .vocab_size
        .as_ref()
        .and_then(|q| count(ck, q.pos, &f("vocab_size"), Some(q)));
    // The input embedding is a lookup unless tied to the output projection.
    let lookup = match (vocab, hidden, raw.tied_embeddings.as_ref().map(|t| t.value)) {
        (Some(v), Some(h), Some(false) | None) => f64::from(v) * f64::from(h) / 1e9,
        _ => 0.0,
    };
    let heads = count(
        ck,
        entry.pos,
        &f("attention_heads"),
        raw.attention_heads.as_ref(),
    );
    let kv_heads = count(ck, entry.pos, &f("kv_heads"), raw.kv_heads.as_ref());
    let head_dim = count(ck, entry.pos, &f("head_dim"), raw.head_dim.as_ref());
    let kv_values = match &raw.kv_values_per_layer {
        Some(q) => count(ck, q.pos, &f("kv_values_per_layer"), Some(q)),
        None => kv_heads.zip(head_dim).map(|(k, d)| 2 * k * d),
    };
    let context = ck.req_positive(
        entry.pos,
        &f("context_tokens"),
        raw.context_tokens.as_ref(),
        TOKENS,
        UnitKind::Number,
        fix,
    );
    let experts = raw.experts.as_ref().and_then(|e| experts(ck, &p, e));
    let sliding = raw.sliding_window.as_ref().and_then(|s| sliding(ck, &p, s));
    check_active(ck, entry, (params, active), lookup);
    let provenance = ck.provenance(entry.pos, &p, raw.checked.as_ref(), raw.source.as_ref());
    let tier = ck.one_of(&f("tier"), &raw.tier);
    let index = raw
        .index
        .as_ref()
        .and_then(|i| super::index_score(ck, &p, i));
    let params = params?;
    Some(OpenModel {
        index,
        id: raw.id.value.clone(),
        name: raw.name.clone().unwrap_or_else(|| raw.id.value.clone()),
        params_b: params,
        active_params_b: active.unwrap_or(params - lookup),
        lookup_params_b: lookup,
        layers: layers?,
        hidden_size: hidden?,
        attention_heads: heads?,
        kv_heads: kv_heads?,
        head_dim: head_dim?,
        kv_values_per_layer: kv_values?,
        context_tokens: context?,
        experts,
        sliding,
        native_precision: raw.native_precision.as_ref().map(|n| n.value.clone()),
        tier: tier?,
        provenance: provenance?,
    })
}

/// Validates a precision entry.
pub fn precision(ck: &mut Checker, entry: &Located<RawPrecision>) -> Option<Precision> {
    let raw = &entry.value;
    let field = format!("precisions[{}].native_rate", raw.id.value);
    let native_rate = ck.one_of(&field, &raw.native_rate);
    let field = format!("precisions[{}].bytes_per_weight", raw.id.value);
    let bytes = ck.opt_positive(
        &field,
        Some(&raw.bytes_per_weight),
        NUMBER,
        UnitKind::Number,
    )?;
    let field = format!("precisions[{}].matmul_ratio", raw.id.value);
    let ratio = raw
        .matmul_ratio
        .as_ref()
        .and_then(|q| ck.opt_positive(&field, Some(q), SHARE, UnitKind::Share));
    Some(Precision {
        id: raw.id.value.clone(),
        bytes_per_weight: bytes,
        matmul_ratio: ratio,
        experts_only: raw.experts_only.unwrap_or(false),
        native_rate: native_rate?,
        native_on: raw.native_on.iter().map(|g| g.value.clone()).collect(),
        source: raw.source.clone(),
    })
}

/// A mixture-of-experts model's experts: fewer routed per token than there are.
fn sliding(ck: &mut Checker, p: &str, s: &RawSliding) -> Option<SlidingWindow> {
    let f = |n: &str| format!("{p}.sliding_window.{n}");
    let window = count(
        ck,
        s.window_tokens.pos,
        &f("window_tokens"),
        Some(&s.window_tokens),
    );
    let layers = count(ck, s.layers.pos, &f("layers"), Some(&s.layers));
    Some(SlidingWindow {
        window_tokens: f64::from(window?),
        layers: layers?,
    })
}

fn experts(ck: &mut Checker, p: &str, e: &RawExperts) -> Option<Experts> {
    let f = |n: &str| format!("{p}.{n}");
    let c = count(ck, e.count.pos, &f("experts.count"), Some(&e.count));
    let k = count(
        ck,
        e.per_token.pos,
        &f("experts.per_token"),
        Some(&e.per_token),
    );
    match (c, k) {
        (Some(count), Some(per_token)) if per_token < count => Some(Experts { count, per_token }),
        (Some(_), Some(_)) => {
            ck.report(
                e.per_token.pos,
                &f("experts.per_token"),
                "must be fewer than experts.count",
                None,
            );
            None
        }
        _ => None,
    }
}
