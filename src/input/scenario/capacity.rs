//! The `capacity` command's input: ids checked against the catalog (with suggestions) and
//! numbers checked, into an engine request.

use crate::model::catalog::Catalog;
use crate::model::catalog::hardware::TP_DEGREES;
use crate::model::problem::{InputError, Problem, Problems};
use crate::model::suggest::{unknown_among, unknown_id};
use crate::model::workload::RequestShape;
use crate::model::workload::spec::CapacityRequest;
use crate::model::workload::spec::{CapacitySpec, Sourced};

fn check_id<'a>(
    problems: &mut Problems,
    flag: &'static str,
    id: &str,
    ids: impl Iterator<Item = &'a str> + Clone,
    what: &str,
    list: Option<&str>,
) {
    if !ids.clone().any(|i| i == id) {
        let message = match list {
            Some(list) => unknown_id(what, id, ids, list),
            None => unknown_among(what, id, ids),
        };
        problems.push(Problem::new(flag, message));
    }
}

/// The catalog ids a deployment's flags name (`--model`, `--gpu`, `--precision`,
/// `--engine`, `--kv-precision`), checked, with a suggestion for each unknown one.
pub struct DeploymentIds<'a> {
    /// Model id.
    pub model: &'a str,
    /// GPU id.
    pub gpu: &'a str,
    /// Precision id.
    pub precision: &'a str,
    /// Engine id.
    pub engine: &'a str,
    /// KV precision id.
    pub kv_precision: Option<&'a str>,
}

impl DeploymentIds<'_> {
    /// Records a problem for each id the catalog does not hold.
    pub fn check(&self, catalog: &Catalog, problems: &mut Problems) {
        check_id(
            problems,
            "--model",
            self.model,
            catalog.models.iter().map(|m| m.id.as_str()),
            "model id",
            Some("models"),
        );
        check_id(
            problems,
            "--gpu",
            self.gpu,
            catalog.gpus.iter().map(|g| g.id.as_str()),
            "GPU id",
            Some("gpus"),
        );
        check_id(
            problems,
            "--precision",
            self.precision,
            catalog.precisions.iter().map(|p| p.id.as_str()),
            "precision",
            None,
        );
        check_id(
            problems,
            "--engine",
            self.engine,
            catalog.engines.iter().map(|e| e.id.as_str()),
            "engine",
            None,
        );
        if let Some(kv) = self.kv_precision {
            check_id(
                problems,
                "--kv-precision",
                kv,
                super::deployment::kv_precision_ids(catalog).into_iter(),
                "KV-cache precision",
                None,
            );
        }
    }
}

/// The catalog ids a capacity spec names, checked; the engine it asks for, or the policy's.
fn ids(spec: &CapacitySpec, catalog: &Catalog, problems: &mut Problems) -> (String, String) {
    let engine = spec
        .engine
        .clone()
        .unwrap_or_else(|| catalog.policy.self_host.engine.clone());
    let precision = precision(spec, catalog);
    DeploymentIds {
        model: &spec.model,
        gpu: &spec.gpu,
        precision: &precision,
        engine: &engine,
        kv_precision: spec.kv_precision.as_deref(),
    }
    .check(catalog, problems);
    (engine, precision)
}

/// The precision asked for, else the one the model's checkpoint is released in (the catalog's
/// `native_precision`: FP8, MXFP4), else BF16.
fn precision(spec: &CapacitySpec, catalog: &Catalog) -> String {
    spec.precision
        .clone()
        .or_else(|| catalog.model(&spec.model)?.native_precision.clone())
        .unwrap_or_else(|| "bf16".to_string())
}

/// The tensor-parallel degree checked against the engines' degrees and the GPUs given, and the
/// expert-parallel degree that applies.
fn parallelism(
    spec: &CapacitySpec,
    (catalog, engine): (&Catalog, &str),
    problems: &mut Problems,
) -> Option<u32> {
    let (gpus, tp) = (spec.gpus, spec.tp);
    if let Some(t) = tp
        && !TP_DEGREES.contains(&t)
    {
        problems.push(
            Problem::new(
                "--tp",
                format!("tensor parallelism of {t} is not supported"),
            )
            .fix("use 1, 2, 4 or 8"),
        );
    }
    if let (Some(g), Some(t)) = (gpus, tp)
        && g % t != 0
    {
        let problem = if g < t {
            format!("tensor parallelism of {t} needs at least {t} GPUs, but --gpus is {g}")
        } else {
            format!("{g} GPUs (--gpus) do not split into replicas of {t} (one would be left over)")
        };
        problems.push(Problem::new("--tp", problem).fix(format!(
            "give a GPU count that is a multiple of {t}, or a tensor parallelism that divides {g}"
        )));
    }
    spec.ep.and_then(|e| {
        let ep = Sourced::flag("--ep", e);
        let named = catalog.model(&spec.model);
        problems
            .take(super::deployment::expert_parallel(
                &ep,
                (tp, gpus),
                (named, catalog.engine(engine)),
            ))
            .flatten()
    })
}

/// Checks a capacity spec against the catalog.
pub fn resolve(spec: &CapacitySpec, catalog: &Catalog) -> Result<CapacityRequest, InputError> {
    let mut problems = Problems::default();
    let (engine, precision) = ids(spec, catalog, &mut problems);
    let (gpus, tp) = (spec.gpus, spec.tp);
    let ep = parallelism(spec, (catalog, &engine), &mut problems);
    let attention_dp = spec.attention_dp
        && problems
            .take(super::deployment::attention_parallel(
                &Sourced::flag("--attention-dp", true),
                (catalog.model(&spec.model), catalog.engine(&engine)),
            ))
            .unwrap_or(false);
    if spec.peak_to_average < 1.0 {
        problems.push(
            Problem::new(
                "--peak-to-average",
                format!("{} is below 1", spec.peak_to_average),
            )
            .fix("the peak is at least the average"),
        );
    }
    let speculative = problems
        .take(super::deployment::speculative(
            spec.speculative
                .map(|k| Sourced::flag("--speculative", k))
                .as_ref(),
            spec.acceptance
                .map(|a| Sourced::flag("--acceptance", a))
                .as_ref(),
        ))
        .flatten();
    let speculative = problems
        .take(super::deployment::draft_model(
            spec.draft_model
                .clone()
                .map(|d| Sourced::flag("--draft-model", d))
                .as_ref(),
            (speculative, spec.speculative.is_some()),
            catalog,
            &spec.model,
        ))
        .flatten();
    problems.finish(CapacityRequest {
        model: spec.model.clone(),
        gpu: spec.gpu.clone(),
        precision,
        engine,
        kv_precision: spec.kv_precision.clone(),
        gpus,
        tp,
        ep,
        attention_dp,
        speculative,
        concurrency: spec.concurrency,
        sweep: spec.sweep,
        shape: RequestShape {
            input_tokens: spec.input_tokens,
            output_tokens: spec.output_tokens,
        },
        tokens_per_month: spec.tokens,
        peak_to_average: spec.peak_to_average,
        hosting: spec.hosting,
        price_kind: spec
            .price_kind
            .unwrap_or(catalog.policy.self_host.price_kind),
    })
}
