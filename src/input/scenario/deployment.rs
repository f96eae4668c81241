//! The self-hosted deployment a scenario asks for: ids checked against the catalog, the
//! tensor- and expert-parallel degrees, the KV cache's precision and speculative decoding.

use super::resolve::given;
use crate::model::catalog::Catalog;
use crate::model::catalog::hardware::{OpenModel, TP_DEGREES};
use crate::model::problem::{Problem, Problems};
use crate::model::suggest::{unknown_among, unknown_id};
use crate::model::workload::spec::{Sourced, WorkloadSpec};
use crate::model::workload::{DEFAULT_ACCEPTANCE, DeploymentRequest, Speculative};

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
    let ep = spec.ep.as_ref().and_then(|e| {
        let named = model.as_deref().and_then(|m| catalog.model(m));
        expert_parallel(
            (e.value, e.origin.key()),
            (tp, spec.gpus.as_ref().map(|g| g.value)),
            named,
        )
        .map_err(|(problem, fix)| problems.push(e.origin.problem(problem).fix(fix)))
        .ok()
        .flatten()
    });
    let speculative = speculative(
        spec.speculative.as_ref().map(|s| (s.value, s.origin.key())),
        spec.acceptance.as_ref().map(|s| (s.value, s.origin.key())),
    )
    .unwrap_or_else(|(key, problem, fix)| {
        problems.push(Problem::new(&key, problem).fix(fix));
        None
    });
    DeploymentRequest {
        model,
        gpu,
        gpus: given(&spec.gpus),
        precision,
        tp,
        ep,
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
    const KV: &[&str] = &["fp16", "bf16", "fp8", "fp4"];
    catalog
        .precisions
        .iter()
        .map(|p| p.id.as_str())
        .filter(|id| KV.contains(id))
        .collect()
}

/// The expert-parallel degree asked for: 1 is none; otherwise one of the degrees the engines
/// support, dividing the tensor-parallel degree where one is given, on a mixture of experts
/// where a model is named.
///
/// # Errors
/// The problem and its fix.
pub fn expert_parallel(
    (ep, key): (u32, &str),
    (tp, gpus): (Option<u32>, Option<u32>),
    model: Option<&OpenModel>,
) -> Result<Option<u32>, (String, String)> {
    if !TP_DEGREES.contains(&ep) {
        return Err((
            format!("expert parallelism of {ep} is not supported"),
            "use 1, 2, 4 or 8".into(),
        ));
    }
    if let Some(t) = tp
        && t % ep != 0
    {
        return Err((
            format!("expert parallelism of {ep} does not divide the tensor-parallel degree {t}"),
            format!(
                "give an expert-parallel degree that divides {t} (the experts are spread over the replica's GPUs)"
            ),
        ));
    }
    if let Some(g) = gpus
        && g % ep != 0
    {
        return Err((
            format!("expert parallelism of {ep} needs a multiple of {ep} GPUs, but {g} are given"),
            format!(
                "give a GPU count that is a multiple of {ep}, or an expert-parallel degree that divides {g}"
            ),
        ));
    }
    if let Some(m) = model
        && m.experts.is_none()
        && ep > 1
    {
        return Err((
            format!("{} is a dense model: it has no experts to spread", m.id),
            format!("drop {key}, or name a mixture-of-experts model (`llm-decide list models`)"),
        ));
    }
    Ok((ep > 1).then_some(ep))
}

/// Speculative decoding asked for: draft tokens from 1 to 8, and an acceptance strictly between 0
/// and 1 (0.85 when none is given); an acceptance without draft tokens is refused.
///
/// # Errors
/// The flag or field at fault, the problem and its fix.
pub fn speculative(
    tokens: Option<(u32, &str)>,
    acceptance: Option<(f64, &str)>,
) -> Result<Option<Speculative>, (String, String, String)> {
    match (tokens, acceptance) {
        (None, None) => Ok(None),
        (None, Some((_, key))) => Err((
            key.to_string(),
            "an acceptance is given, but speculative decoding is not asked for".into(),
            "give the draft tokens a step too (--speculative K), or drop it".into(),
        )),
        (Some((k, key)), _) if !(1..=8).contains(&k) => Err((
            key.to_string(),
            format!("{k} draft tokens a step are not modelled"),
            "give 1 to 8".into(),
        )),
        (Some(_), Some((a, key))) if !(a > 0.0 && a < 1.0) => Err((
            key.to_string(),
            format!("an acceptance of {a} is not a probability strictly between 0 and 1"),
            "give a share such as 0.7 (70%)".into(),
        )),
        (Some((k, _)), a) => Ok(Some(Speculative {
            tokens: k,
            acceptance: a.map_or(DEFAULT_ACCEPTANCE, |(a, _)| a),
        })),
    }
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
