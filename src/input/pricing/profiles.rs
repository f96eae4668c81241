//! The built-in pricing profiles (`default`, `seed`) and how pricing files merge into a
//! catalog: by id (later entries replace earlier ones with the same id; policy values replace
//! field by field), then every reference between files is checked. Reads no files: the build
//! script runs this on the embedded files too, so the shipped profiles are validated when the
//! tool is built.

use super::raw::RawPricingFile;
use super::{self as pricing, Origin, PricingPart, Provider};
use crate::input::digest::sha256_hex;
use crate::input::validate::Checker;
use crate::input::yaml;
use crate::model::catalog::hardware::{Gpu, Serving};
use crate::model::catalog::policy::Policy;
use crate::model::catalog::{ApiModel, Catalog, CatalogFile, Provenance, Staffing};
use crate::model::problem::{InputError, Problem, Problems};
use crate::model::suggest::{unknown_among, unknown_id};

/// A pricing file's name and text.
#[derive(Debug, Clone)]
pub struct Source {
    /// `embedded:pricing/apis.yaml` or the path as the user wrote it.
    pub name: String,
    /// The file's text.
    pub text: String,
}

const POLICY: (&str, &str) = (
    "pricing/policy.yaml",
    include_str!("../../../pricing/policy.yaml"),
);
const STAFFING: (&str, &str) = (
    "pricing/staffing.yaml",
    include_str!("../../../pricing/staffing.yaml"),
);
const SETUPS: (&str, &str) = (
    "pricing/setups.yaml",
    include_str!("../../../pricing/setups.yaml"),
);
const APIS: (&str, &str) = (
    "pricing/apis.yaml",
    include_str!("../../../pricing/apis.yaml"),
);
const SEED: (&str, &str) = (
    "pricing/seed.yaml",
    include_str!("../../../pricing/seed.yaml"),
);
const GPUS: (&str, &str) = (
    "pricing/gpus.yaml",
    include_str!("../../../pricing/gpus.yaml"),
);
const MODELS: (&str, &str) = (
    "pricing/models.yaml",
    include_str!("../../../pricing/models.yaml"),
);
const SERVING: (&str, &str) = (
    "pricing/serving.yaml",
    include_str!("../../../pricing/serving.yaml"),
);
const PROVIDERS: (&str, &str) = (
    "pricing/providers.yaml",
    include_str!("../../../pricing/providers.yaml"),
);

/// The built-in profiles and the files each is made of, in merge order.
pub const PROFILES: &[(&str, &[(&str, &str)])] = &[
    (
        "default",
        &[
            POLICY, STAFFING, PROVIDERS, SETUPS, GPUS, MODELS, SERVING, APIS,
        ],
    ),
    (
        "seed",
        &[
            POLICY, STAFFING, PROVIDERS, SETUPS, GPUS, MODELS, SERVING, SEED,
        ],
    ),
];

/// The embedded files of a built-in profile.
pub fn profile_sources(name: &str) -> Option<Vec<Source>> {
    PROFILES.iter().find(|(n, _)| *n == name).map(|(_, files)| {
        files
            .iter()
            .map(|(path, text)| Source {
                name: format!("embedded:{path}"),
                text: (*text).to_string(),
            })
            .collect()
    })
}

/// Builds a catalog from sources in merge order.
pub fn build(profile: &str, sources: &[Source]) -> Result<Catalog, InputError> {
    let mut problems = Problems::default();
    let mut merged = Merged::default();
    let mut files = Vec::new();
    for source in sources {
        files.push(CatalogFile {
            name: source.name.clone(),
            sha256: sha256_hex(source.text.as_bytes()),
        });
        let raw: RawPricingFile = match yaml::parse(&source.name, &source.text) {
            Ok((raw, found)) => {
                problems.0.extend(found);
                raw
            }
            Err(found) => {
                problems.0.extend(found);
                continue;
            }
        };
        let mut part = pricing::validate(&source.name, raw, &mut problems);
        let mut ck = Checker {
            file: &source.name,
            problems: &mut problems,
        };
        if let Some(raw_policy) = part.policy.take() {
            pricing::policy::apply_policy(&mut ck, &mut merged.policy, &raw_policy);
            merged.policy_set = true;
        }

        merged.add(&source.name, part);
    }
    let sha = sha256_hex(
        files
            .iter()
            .map(|f| f.sha256.as_str())
            .collect::<Vec<_>>()
            .join("\n")
            .as_bytes(),
    );
    let catalog = merged.finish(profile, files, sha, &mut problems);
    // In file order, then line order; problems of no one file ("pricing") last.
    problems.0.sort_by_key(|p| {
        let file = sources.iter().position(|s| s.name == p.file);
        (file.unwrap_or(usize::MAX), p.pos.line, p.pos.column)
    });
    problems.finish(())?;
    catalog.ok_or_else(|| InputError::one(Problem::new("pricing", "the catalog is incomplete")))
}

#[derive(Default)]
struct Merged {
    providers: Vec<Provider>,
    apis: Vec<ApiModel>,
    setups: Vec<crate::model::catalog::Setup>,
    scales: Vec<crate::model::catalog::StaffScale>,
    roles: Vec<crate::model::catalog::RoleCost>,
    staffing_provenance: Option<Provenance>,
    policy: Policy,
    policy_set: bool,
    gpus: Vec<crate::model::catalog::hardware::Gpu>,
    models: Vec<crate::model::catalog::hardware::OpenModel>,
    precisions: Vec<crate::model::catalog::hardware::Precision>,
    engines: Vec<crate::model::catalog::hardware::Serving>,
    calibrations: Vec<pricing::engine::EngineCalibration>,
    /// Every place a file names another table's entry, with the file, in merge order.
    origins: Vec<(String, Origin)>,
}

fn replace_by<T>(list: &mut Vec<T>, item: T, same: impl Fn(&T, &T) -> bool) {
    match list.iter_mut().find(|x| same(x, &item)) {
        Some(slot) => *slot = item,
        None => list.push(item),
    }
}

impl Merged {
    fn add(&mut self, file: &str, part: PricingPart) {
        self.origins
            .extend(part.origins.into_iter().map(|o| (file.to_string(), o)));
        for p in part.providers {
            replace_by(&mut self.providers, p, |a, b| a.id == b.id);
        }
        for a in part.apis {
            replace_by(&mut self.apis, a, |a, b| a.id == b.id);
        }
        for s in part.setups {
            replace_by(&mut self.setups, s, |a, b| a.id == b.id);
        }
        for s in part.staffing.scales {
            replace_by(&mut self.scales, s, |a, b| a.id == b.id);
        }
        for r in part.staffing.roles {
            replace_by(&mut self.roles, r, |a, b| a.role == b.role);
        }
        if part.staffing.provenance.is_some() {
            self.staffing_provenance = part.staffing.provenance;
        }
        for g in part.gpus {
            replace_by(&mut self.gpus, g, |a, b| a.id == b.id);
        }
        for m in part.models {
            replace_by(&mut self.models, m, |a, b| a.id == b.id);
        }
        for p in part.precisions {
            replace_by(&mut self.precisions, p, |a, b| a.id == b.id);
        }
        for e in part.engines {
            replace_by(&mut self.engines, e, |a, b| a.id == b.id);
        }
        for c in part.calibrations {
            replace_by(
                &mut self.calibrations,
                c,
                pricing::engine::EngineCalibration::same,
            );
        }
    }

    fn finish(
        self,
        profile: &str,
        files: Vec<CatalogFile>,
        sha256: String,
        problems: &mut Problems,
    ) -> Option<Catalog> {
        let provider_ids: Vec<&str> = self.providers.iter().map(|p| p.id.as_str()).collect();
        let mut apis = Vec::new();
        for api in &self.apis {
            let mut model = api.clone();
            if let Some(p) = self.providers.iter().find(|p| p.id == model.provider) {
                model.compliance = p.compliance.clone();
                model.compliance_source.clone_from(&p.compliance_source);
            } else {
                let field = format!("apis[{}].provider", model.id);
                let id = &model.provider;
                self.check_ref(problems, &field, id, "provider id", &provider_ids, "apis");
            }
            apis.push(model);
        }
        let policy = self.policy.clone();
        if !self.policy_set {
            problems.push(
                Problem::new("pricing", "no file sets the policy")
                    .fix("include pricing/policy.yaml"),
            );
        }
        let api_ids: Vec<&str> = apis.iter().map(|a| a.id.as_str()).collect();
        let setup_ids: Vec<&str> = self.setups.iter().map(|s| s.id.as_str()).collect();
        for (field, id) in [
            ("policy.default_api", &policy.default_api),
            ("policy.default_frontier_api", &policy.default_frontier_api),
        ] {
            self.check_ref(problems, field, id, "API id", &api_ids, "apis");
        }
        let field = "policy.default_setup";
        self.check_ref(
            problems,
            field,
            &policy.default_setup,
            "setup id",
            &setup_ids,
            "setups",
        );
        if self.scales.is_empty() {
            problems.push(
                Problem::new("pricing", "no file gives the staffing table")
                    .fix("include pricing/staffing.yaml"),
            );
        }
        self.check_hardware_refs(&policy, problems);
        let engines = self.calibrated_engines(problems);
        let staffing = Staffing {
            scales: self.scales,
            roles: self.roles,
            provenance: self.staffing_provenance?,
        };
        let mut gpus = self.gpus;
        with_provider_attributes(&mut gpus, &self.providers);
        Some(Catalog {
            profile: profile.to_string(),
            apis,
            providers: provider_ids.iter().map(|p| (*p).to_string()).collect(),
            setups: self.setups,
            staffing,
            policy,
            gpus,
            models: self.models,
            precisions: self.precisions,
            engines,
            files,
            sha256,
        })
    }
}

impl Merged {
    /// The engines, each with the calibrations of it whose GPU, precision and model the
    /// catalog knows; the GPUs an engine's smaller-GPU defaults name are checked too.
    fn calibrated_engines(&self, problems: &mut Problems) -> Vec<Serving> {
        let engine_ids: Vec<&str> = self.engines.iter().map(|e| e.id.as_str()).collect();
        let gpu_ids: Vec<&str> = self.gpus.iter().map(|g| g.id.as_str()).collect();
        let precision_ids: Vec<&str> = self.precisions.iter().map(|p| p.id.as_str()).collect();
        let model_ids: Vec<&str> = self.models.iter().map(|m| m.id.as_str()).collect();
        for e in &self.engines {
            for (i, g) in e
                .smaller_gpus
                .iter()
                .flat_map(|s| s.also.iter())
                .enumerate()
            {
                let field = format!("engines[{}].smaller_gpus.also[{i}]", e.id);
                self.check_ref(problems, &field, g, "GPU id", &gpu_ids, "gpus");
            }
        }
        let mut engines = self.engines.clone();
        for e in &mut engines {
            self.join_quantized_kv(e, &precision_ids, problems);
        }
        for c in &self.calibrations {
            let cal = &c.calibration;
            let p = pricing::engine::field(&c.engine, cal);
            let before = problems.0.len();
            let refs = [
                ("engine", Some(&c.engine), "engine id", &engine_ids, ""),
                ("gpu", Some(&cal.gpu), "GPU id", &gpu_ids, "gpus"),
                (
                    "precision",
                    Some(&cal.precision),
                    "precision id",
                    &precision_ids,
                    "",
                ),
                (
                    "model",
                    cal.model.as_ref(),
                    "model id",
                    &model_ids,
                    "models",
                ),
            ];
            for (name, id, what, known, list) in refs {
                if let Some(id) = id {
                    self.check_ref(problems, &format!("{p}.{name}"), id, what, known, list);
                }
            }
            if problems.0.len() == before
                && let Some(e) = engines.iter_mut().find(|e| e.id == c.engine)
            {
                e.calibrations.push(cal.clone());
            }
        }
        engines
    }
}

/// A GPU offer carries its provider's published attributes (unknown when the provider has no
/// entry); its own tenancy, where sourced, wins over the provider's.
fn with_provider_attributes(gpus: &mut [Gpu], providers: &[Provider]) {
    for price in gpus.iter_mut().flat_map(|g| g.prices.iter_mut()) {
        if let Some(p) = providers.iter().find(|p| p.id == price.provider) {
            price.compliance = p.compliance.clone();
            price.compliance_source.clone_from(&p.compliance_source);
            price.tenancy = price.tenancy.or(p.tenancy);
        }
    }
}

impl Merged {
    /// References into the hardware tables: setups' GPUs, precisions' GPUs, the policy's
    /// engine, models and precisions. A table no file gives is not checked.
    fn check_hardware_refs(&self, policy: &Policy, problems: &mut Problems) {
        let sh = &policy.self_host;
        if let Some(gpu_ids) = nonempty(self.gpus.iter().map(|g| g.id.as_str()).collect()) {
            for s in &self.setups {
                if let Some(g) = &s.gpu {
                    let field = format!("setups[{}].gpu", s.id);
                    self.check_ref(problems, &field, g, "GPU id", &gpu_ids, "gpus");
                }
            }
            for p in &self.precisions {
                for (i, g) in p.native_on.iter().enumerate() {
                    let field = format!("precisions[{}].native_on[{i}]", p.id);
                    self.check_ref(problems, &field, g, "GPU id", &gpu_ids, "gpus");
                }
            }
            let engine_ids: Vec<&str> = self.engines.iter().map(|e| e.id.as_str()).collect();
            let field = "policy.self_host.engine";
            self.check_ref(problems, field, &sh.engine, "engine id", &engine_ids, "");
        }
        if let Some(model_ids) = nonempty(self.models.iter().map(|m| m.id.as_str()).collect()) {
            for (field, id) in [
                ("policy.self_host.default_model", &sh.default_model),
                (
                    "policy.self_host.default_small_model",
                    &sh.default_small_model,
                ),
            ] {
                self.check_ref(problems, field, id, "model id", &model_ids, "models");
            }
            for (api, sv) in self
                .apis
                .iter()
                .filter_map(|a| Some((a, a.serves.as_ref()?)))
            {
                let field = format!("apis[{}].serves.model", api.id);
                self.check_ref(
                    problems, &field, &sv.model, "model id", &model_ids, "models",
                );
            }
        }
        if let Some(precision_ids) =
            nonempty(self.precisions.iter().map(|p| p.id.as_str()).collect())
        {
            let served = self.apis.iter().filter_map(|a| {
                let p = a.serves.as_ref()?.precision.as_ref()?;
                Some((format!("apis[{}].serves.precision", a.id), p))
            });
            let native = self.models.iter().filter_map(|m| {
                let p = m.native_precision.as_ref()?;
                Some((format!("models[{}].native_precision", m.id), p))
            });
            let defaults = sh
                .default_precisions
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("policy.self_host.default_precisions[{i}]"), p));
            for (field, p) in served.chain(native).chain(defaults) {
                self.check_ref(
                    problems,
                    &field,
                    p,
                    "precision id",
                    &precision_ids,
                    "models",
                );
            }
        }
    }

    /// Checks the precisions an engine's quantized-checkpoint KV cache names (the cache's
    /// among those a KV cache is kept in) and fills in that precision's bytes and the GPUs that
    /// run it.
    fn join_quantized_kv(&self, e: &mut Serving, precision_ids: &[&str], problems: &mut Problems) {
        let Some(q) = e.quantized_kv.as_mut() else {
            return;
        };
        let p = format!("engines[{}].quantized_kv", e.id);
        let kv_ids: Vec<&str> = precision_ids
            .iter()
            .copied()
            .filter(|id| crate::model::catalog::serving::KV_PRECISIONS.contains(id))
            .collect();
        let field = format!("{p}.precision");
        self.check_ref(
            problems,
            &field,
            &q.precision,
            "KV-cache precision",
            &kv_ids,
            "",
        );
        for (i, w) in q.weights.iter().enumerate() {
            let field = format!("{p}.weights[{i}]");
            self.check_ref(problems, &field, w, "precision id", precision_ids, "");
        }
        if let Some(kv) = self.precisions.iter().find(|x| x.id == q.precision) {
            q.bytes = kv.bytes_per_weight;
            q.native_on.clone_from(&kv.native_on);
        }
    }

    /// Checks that `id`, the value of `field`, is one of `ids`; the problem points at the last
    /// place that wrote that id in that field (the value in force).
    fn check_ref(
        &self,
        problems: &mut Problems,
        field: &str,
        id: &str,
        what: &str,
        ids: &[&str],
        list: &str,
    ) {
        if ids.contains(&id) {
            return;
        }
        // A table `list` does not show is named by its ids instead.
        let message = if list.is_empty() {
            unknown_among(what, id, ids.iter().copied())
        } else {
            unknown_id(what, id, ids.iter().copied(), list)
        };
        let written = |o: &Origin| o.field == field && o.id == id;
        let problem = match self.origins.iter().rev().find(|(_, o)| written(o)) {
            Some((file, o)) => Problem::new(file, message).at(o.pos),
            None => Problem::new("pricing", message),
        };
        problems.push(problem.field(field));
    }
}

/// The list, or `None` when it is empty.
fn nonempty<T>(list: Vec<T>) -> Option<Vec<T>> {
    (!list.is_empty()).then_some(list)
}
