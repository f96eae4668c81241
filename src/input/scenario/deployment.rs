//! The self-hosted deployment a scenario asks for: ids checked against the catalog, the
//! tensor- and expert-parallel degrees, the KV cache's precision and speculative decoding.

use super::resolve::given;
use crate::model::catalog::Catalog;
use crate::model::catalog::hardware::{OpenModel, Serving, TP_DEGREES};
use crate::model::problem::{Problem, Problems};
use crate::model::suggest::{unknown_among, unknown_id};
use crate::model::workload::spec::{Origin, Sourced, WorkloadSpec};
use crate::model::workload::{DEFAULT_ACCEPTANCE, DeploymentRequest, Draft, Speculative};

/// The deployment asked for, with ids checked against the catalog.
pub fn deployment_request(
    spec: &WorkloadSpec,
    catalog: &Catalog,
    problems: &mut Problems,
) -> DeploymentRequest {
    let mut check = |v: &Option<Sourced<String>>, ids: Vec<&str>, what: &str, list: &str| {
        let v = v.as_ref()?;
        if !ids.contains(&v.value.as_str()) {
            let message = if list.is_empty() {
                unknown_among(what, &v.value, ids.iter().copied())
            } else {
                unknown_id(what, &v.value, ids, list)
            };
            problems.push(v.origin.problem(message));
        }
        Some(v.value.clone())
    };
    let model = check(
        &spec.model,
        catalog.models.iter().map(|m| m.id.as_str()).collect(),
        "model id",
        "models",
    );
    let gpu = check(
        &spec.gpu,
        catalog.gpus.iter().map(|g| g.id.as_str()).collect(),
        "GPU id",
        "gpus",
    );
    let precision = check(
        &spec.precision,
        catalog.precisions.iter().map(|p| p.id.as_str()).collect(),
        "precision",
        "",
    );
    let engine = check(
        &spec.engine,
        catalog.engines.iter().map(|e| e.id.as_str()).collect(),
        "engine",
        "",
    );
    let kv_precision = check(
        &spec.kv_precision,
        kv_precision_ids(catalog),
        "KV-cache precision",
        "",
    );
    let tp = tensor_parallel(spec, problems);
    // The model and engine the parallelism asked for is checked against: those named, else
    // the policy's engine (no model: the search picks one it suits).
    let named = model.as_deref().and_then(|m| catalog.model(m));
    let serving = catalog.engine(
        engine
            .as_deref()
            .unwrap_or(&catalog.policy.self_host.engine),
    );
    let ep = spec.ep.as_ref().and_then(|e| {
        let gpus = spec.gpus.as_ref().map(|g| g.value);
        problems
            .take(expert_parallel(e, (tp, gpus), (named, serving)))
            .flatten()
    });
    let attention_dp = spec.attention_dp.as_ref().is_some_and(|dp| {
        problems
            .take(attention_parallel(dp, (named, serving)))
            .unwrap_or(false)
    });
    let target = model
        .as_deref()
        .unwrap_or(&catalog.policy.self_host.default_model);
    let speculative = speculative_request(spec, catalog, target, problems);
    DeploymentRequest {
        model,
        gpu,
        gpus: given(&spec.gpus),
        precision,
        tp,
        ep,
        attention_dp,
        speculative,
        hosting: given(&spec.hosting),
        price_kind: given(&spec.price_kind),
        engine,
        kv_precision,
    }
}

/// The catalog's precisions a KV cache is kept in by the engines modelled: 16-bit (the model's
/// dtype), FP8 (TensorRT-LLM with FP8/FP4 checkpoints, vLLM `--kv-cache-dtype fp8`) and FP4
/// (NVFP4 KV on Blackwell). Integer KV caches are not modelled.
pub fn kv_precision_ids(catalog: &Catalog) -> Vec<&str> {
    catalog
        .precisions
        .iter()
        .map(|p| p.id.as_str())
        .filter(|id| crate::model::catalog::serving::KV_PRECISIONS.contains(id))
        .collect()
}

/// Attention data parallelism asked for: refused where the engine splits a model by layers,
/// and on a dense model where one is named (its feed-forward weights would be split or held
/// whole, not both).
///
/// # Errors
/// The problem, at the flag or field that asked for it.
pub fn attention_parallel(
    dp: &Sourced<bool>,
    (model, engine): (Option<&OpenModel>, Option<&Serving>),
) -> Result<bool, Problem> {
    if !dp.value {
        return Ok(false);
    }
    if let Some(s) = engine.filter(|s| s.layer_split) {
        return Err(dp
            .origin
            .problem(format!(
                "{} splits a model across GPUs by layers, not its attention by sequences",
                s.name
            ))
            .fix("drop attention data parallelism, or name a tensor-parallel engine (--engine)"));
    }
    if let Some(m) = model.filter(|m| m.experts.is_none()) {
        return Err(dp
            .origin
            .problem(format!(
                "{} is a dense model: attention data parallelism serves a mixture of experts",
                m.id
            ))
            .fix("drop attention data parallelism, or name a mixture-of-experts model"));
    }
    Ok(true)
}

/// The expert-parallel degree asked for: 1 is none; otherwise one of the degrees the engines
/// support, dividing the tensor-parallel degree and the GPUs where they are given, on a mixture
/// of experts where a model is named.
///
/// # Errors
/// The problem, at the flag or field that gave the degree.
pub fn expert_parallel(
    ep: &Sourced<u32>,
    (tp, gpus): (Option<u32>, Option<u32>),
    (model, engine): (Option<&OpenModel>, Option<&Serving>),
) -> Result<Option<u32>, Problem> {
    let (e, origin) = (ep.value, &ep.origin);
    let refuse = |problem: String, fix: String| Err(origin.problem(problem).fix(fix));
    if let Some(s) = engine.filter(|s| s.layer_split && e > 1) {
        return refuse(
            format!(
                "{} splits a model across GPUs by layers, not by experts",
                s.name
            ),
            "drop the expert-parallel degree, or name a tensor-parallel engine (--engine)".into(),
        );
    }
    if !TP_DEGREES.contains(&e) {
        return refuse(
            format!("expert parallelism of {e} is not supported"),
            "use 1, 2, 4 or 8".into(),
        );
    }
    if let Some(t) = tp
        && t % e != 0
    {
        return refuse(
            format!("expert parallelism of {e} does not divide the tensor-parallel degree {t}"),
            format!(
                "give an expert-parallel degree that divides {t} (the experts are spread over the replica's GPUs)"
            ),
        );
    }
    if let Some(g) = gpus
        && g % e != 0
    {
        return refuse(
            format!(
                "expert parallelism of {e} needs a multiple of {e} GPUs, but {g} {} given",
                if g == 1 { "is" } else { "are" }
            ),
            format!(
                "give a GPU count that is a multiple of {e}, or an expert-parallel degree that divides {g}"
            ),
        );
    }
    if let Some(m) = model
        && m.experts.is_none()
        && e > 1
    {
        return refuse(
            format!("{} is a dense model: it has no experts to spread", m.id),
            format!(
                "drop {}, or name a mixture-of-experts model (`llm-decide list models`)",
                origin.key()
            ),
        );
    }
    Ok((e > 1).then_some(e))
}

/// The speculative decoding a scenario asks for (draft tokens, acceptance, draft model),
/// checked against `target`, the model served.
fn speculative_request(
    spec: &WorkloadSpec,
    catalog: &Catalog,
    target: &str,
    problems: &mut Problems,
) -> Option<Speculative> {
    let asked = problems
        .take(speculative(
            spec.speculative.as_ref(),
            spec.acceptance.as_ref(),
        ))
        .flatten();
    problems
        .take(draft_model(
            spec.draft_model.as_ref(),
            (asked, spec.speculative.is_some()),
            catalog,
            target,
        ))
        .flatten()
}

/// Speculative decoding asked for: draft tokens from 1 to 8, and an acceptance strictly between 0
/// and 1 (0.85 when none is given); an acceptance without draft tokens is refused.
///
/// # Errors
/// The problem, at the flag or field at fault.
pub fn speculative(
    tokens: Option<&Sourced<u32>>,
    acceptance: Option<&Sourced<f64>>,
) -> Result<Option<Speculative>, Problem> {
    match (tokens, acceptance) {
        (None, None) => Ok(None),
        (None, Some(a)) => {
            let tokens = match a.origin {
                Origin::Flag(_) => "--speculative K",
                Origin::File { .. } => "self_host.speculative",
            };
            Err(a
                .origin
                .problem("an acceptance is given, but speculative decoding is not asked for")
                .fix(format!(
                    "give the draft tokens a step too ({tokens}), or drop it"
                )))
        }
        (Some(k), _) if !(1..=8).contains(&k.value) => Err(k
            .origin
            .problem(format!("{} draft tokens a step are not modelled", k.value))
            .fix("give 1 to 8")),
        (Some(_), Some(a)) if !(a.value > 0.0 && a.value < 1.0) => Err(a
            .origin
            .problem(format!(
                "an acceptance of {} is not a probability strictly between 0 and 1",
                a.value
            ))
            .fix("give a share such as 0.7 (70%)")),
        (Some(k), a) => Ok(Some(Speculative {
            tokens: k.value,
            acceptance: a.map_or(DEFAULT_ACCEPTANCE, |a| a.value),
            draft: None,
        })),
    }
}

/// Speculative decoding with a separate draft model: the model a catalog id, smaller than the
/// model it drafts for (its architecture sizes its memory and its passes; the two are taken to
/// share a vocabulary, which the catalog does not record). A draft model without speculative
/// decoding is refused.
///
/// # Errors
/// The problem, at the flag or field that names the draft model.
pub fn draft_model(
    draft: Option<&Sourced<String>>,
    (speculative, tokens_given): (Option<Speculative>, bool),
    catalog: &Catalog,
    target: &str,
) -> Result<Option<Speculative>, Problem> {
    let Some(d) = draft else {
        return Ok(speculative);
    };
    // Draft tokens given but refused: that problem is said already.
    if speculative.is_none() && tokens_given {
        return Ok(None);
    }
    let Some(mut spec) = speculative else {
        let tokens = match d.origin {
            Origin::Flag(_) => "--speculative K",
            Origin::File { .. } => "self_host.speculative",
        };
        return Err(d
            .origin
            .problem("a draft model is given, but speculative decoding is not asked for")
            .fix(format!(
                "give the draft tokens a step too ({tokens}), or drop it"
            )));
    };
    let ids: Vec<&str> = catalog.models.iter().map(|m| m.id.as_str()).collect();
    let Some(m) = catalog.model(&d.value) else {
        return Err(d
            .origin
            .problem(unknown_id("model id", &d.value, ids, "models")));
    };
    if let Some(t) = catalog.model(target)
        && m.params_b >= t.params_b
    {
        return Err(d
            .origin
            .problem(format!(
                "{} ({}B parameters) is not smaller than {} ({}B): a draft model is a small one",
                m.id, m.params_b, t.id, t.params_b
            ))
            .fix("name a smaller model of the same family, e.g. an 8B or 1B one"));
    }
    spec.draft = Some(Draft { model: m.clone() });
    Ok(Some(spec))
}

/// The tensor-parallel degree: one the engine supports, and no more than the GPUs given.
fn tensor_parallel(spec: &WorkloadSpec, problems: &mut Problems) -> Option<u32> {
    let tp = spec.tp.as_ref()?;
    let t = tp.value;
    if !TP_DEGREES.contains(&t) {
        problems.push(
            tp.origin
                .problem(format!("tensor parallelism of {t} is not supported"))
                .fix("use 1, 2, 4 or 8"),
        );
        return None;
    }
    if let Some(g) = &spec.gpus
        && g.value % t != 0
    {
        let problem = if g.value < t {
            format!(
                "tensor parallelism of {t} needs at least {t} GPUs, but {} gives {}",
                g.origin.key(),
                g.value
            )
        } else {
            format!(
                "{} GPUs ({}) do not split into replicas of {t} (one would be left over)",
                g.value,
                g.origin.key()
            )
        };
        problems.push(tp.origin.problem(problem).fix(format!(
            "give a GPU count that is a multiple of {t}, or a tensor parallelism that divides {}",
            g.value
        )));
    }
    Some(t)
}
