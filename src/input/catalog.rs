//! The pricing catalog in force for a run: a built-in profile (`default`, `seed`), with the
//! user's `--pricing` files or folders layered on top (see [`super::pricing::profiles`] for how files
//! merge).

pub use super::pricing::profiles::{PROFILES, Source, build, profile_sources};
use super::read_text;
use crate::model::catalog::Catalog;
use crate::model::problem::{InputError, Problem};
use crate::model::workload::spec::WorkloadSpec;
use std::path::Path;

/// Reads a `--pricing` argument: a file, or every `*.yaml`/`*.yml` file of a folder in
/// name order.
pub fn read_sources(arg: &str) -> Result<Vec<Source>, InputError> {
    let path = Path::new(arg);
    if path.is_dir() {
        let names = super::yaml_files(path, super::Depth::Top)?;
        if names.is_empty() {
            return Err(Problem::new(arg, "the folder holds no .yaml or .yml file")
                .fix("point --pricing at a pricing file or a folder of them")
                .into());
        }
        names
            .iter()
            .map(|p| {
                let name = p.display().to_string();
                Ok(Source {
                    text: read_text(p, &name)?,
                    name,
                })
            })
            .collect()
    } else {
        Ok(vec![Source {
            name: arg.to_string(),
            text: read_text(path, arg).map_err(|p| {
                p.fix("--pricing takes a file, a folder or a built-in profile (default, seed)")
            })?,
        }])
    }
}

/// Loads the catalog for a list of `--pricing` arguments: a profile name resets the base,
/// paths are layered on top in order.
pub fn load(args: &[String]) -> Result<Catalog, InputError> {
    let mut profile = "default".to_string();
    let mut user: Vec<Source> = Vec::new();
    for arg in args {
        if profile_sources(arg).is_some() && !Path::new(arg).exists() {
            profile.clone_from(arg);
            user.clear();
        } else {
            user.extend(read_sources(arg)?);
        }
    }
    if user.is_empty() {
        return prebuilt(&profile);
    }
    let mut sources = profile_sources(&profile).unwrap_or_default();
    sources.extend(user);
    build(&profile, &sources)
}

/// A built-in profile as the build script built and validated it (see `build.rs`): the same
/// catalog [`build`] gives for the profile's embedded files, without parsing them again.
/// Should the JSON ever not read back (it always does: a test checks it), the profile is
/// built from its YAML instead.
fn prebuilt(profile: &str) -> Result<Catalog, InputError> {
    match read_prebuilt(profile) {
        Some(c) => Ok(c),
        None => build(profile, &profile_sources(profile).unwrap_or_default()),
    }
}

/// Each built-in profile's catalog as JSON, written by the build script.
const PREBUILT: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/prebuilt.rs"));

fn read_prebuilt(profile: &str) -> Option<Catalog> {
    let (_, json) = PREBUILT.iter().find(|(name, _)| *name == profile)?;
    serde_json::from_str::<Catalog>(json)
        .ok()
        .filter(|c| c.profile == profile)
}

/// Top-level keys only a pricing file has.
const PRICING_KEYS: &[&str] = &[
    "apis",
    "providers",
    "setups",
    "staffing",
    "policy",
    "gpus",
    "models",
    "precisions",
    "engines",
    "calibrations",
];

/// Whether a file's text is a pricing file: one of its top-level keys is a pricing section,
/// and none is a scenario's own (a scenario's `apis`, its mix, shares the name of the pricing
/// section).
pub fn is_pricing_file(text: &str) -> bool {
    let keys: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| !k.starts_with([' ', '\t', '#', '-']))
        .map(|(k, _)| k.trim())
        .collect();
    let scenario = |k: &&str| {
        WorkloadSpec::FIELDS
            .iter()
            .any(|(path, _)| path.split('.').next() == Some(*k))
            && !PRICING_KEYS.contains(k)
    };
    // A scenario's mix gives each API a `share`, which no pricing entry has.
    let mix = keys.contains(&"apis") && text.lines().any(|l| l.contains("share:"));
    keys.iter()
        .any(|k| PRICING_KEYS.contains(k) && !(mix && *k == "apis"))
        && !keys.iter().any(scenario)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(text: &str) -> Result<Catalog, InputError> {
        let mut sources = profile_sources("default").unwrap();
        sources.push(Source {
            name: "user.yaml".into(),
            text: text.into(),
        });
        build("default", &sources)
    }

    /// Every tier read from the capability index is the one its score and the policy's
    /// thresholds give; the entries without a score are the ones the data files name.
    #[test]
    fn tiers_follow_the_capability_index() {
        let c = load(&[]).unwrap();
        let ci = c.policy.capability_index.clone().unwrap();
        let mut unscored = Vec::new();
        for (id, tier, index) in c
            .apis
            .iter()
            .map(|a| (&a.id, a.tier, a.index.as_ref()))
            .chain(c.models.iter().map(|m| (&m.id, m.tier, m.index.as_ref())))
        {
            match index {
                Some(i) => assert_eq!(tier, ci.tier(i.score), "{id}: score {}", i.score),
                None => unscored.push(id.as_str()),
            }
        }
        assert_eq!(
            unscored,
            [
                "mistral-medium",
                "mistral-small",
                "qwen2.5-7b",
                "mistral-7b",
                "qwen3-8b"
            ]
        );
    }

    #[test]
    fn both_profiles_load() {
        let default = load(&[]).unwrap();
        let seed = load(&["seed".into()]).unwrap();
        assert_eq!(seed.apis.len(), 4);
        assert!(default.apis.len() > seed.apis.len());
        assert_eq!(default.setups.len(), 4);
        assert!(default.policy.self_host.sized_by_default);
        assert!(
            !seed.policy.self_host.sized_by_default,
            "the seed profile keeps the article's setups"
        );
        let mut seed_policy = seed.policy.clone();
        seed_policy.self_host.sized_by_default = true;
        assert_eq!(seed_policy, default.policy);
        assert_eq!(default.gpus.len(), 17);
        assert_eq!(default.models.len(), 29);
        assert_eq!(default.precisions.len(), 8);
        assert_eq!(
            seed.policy.volumes,
            vec![10e6, 100e6, 500e6, 1e9, 5e9, 10e9]
        );
        assert_eq!(seed.policy.tie_band, 0.1);
        assert_eq!(seed.policy.default_input_share, 1.0 / 3.0);
        assert_ne!(seed.sha256, default.sha256);
        assert_eq!(
            default.api("gpt-4o").unwrap().compliance.hipaa_baa,
            Some(true)
        );
        assert_eq!(
            default.api("deepseek-v3").unwrap().compliance.hipaa_baa,
            None
        );
    }

    #[test]
    fn prebuilt_profiles_are_the_ones_built_from_their_yaml() {
        for (name, _) in PROFILES {
            let from_yaml = build(name, &profile_sources(name).unwrap()).unwrap();
            let prebuilt = read_prebuilt(name).expect("the build script's JSON reads back");
            assert_eq!(prebuilt, from_yaml, "profile {name}");
            assert_eq!(load(&[(*name).to_string()]).unwrap(), from_yaml);
        }
        assert_eq!(read_prebuilt("nonesuch"), None);
    }

    #[test]
    fn user_entries_replace_built_in_ones_whole() {
        let c = with(
            "version: 1\napis:\n  - id: gpt-4o\n    provider: openai\n    input_usd_per_mtok: 1\n    output_usd_per_mtok: 4\n    tier: frontier\n    checked: 2026-11-01\n    source: contract\npolicy:\n  tie_band: 5%\n",
        )
        .unwrap();
        let api = c.api("gpt-4o").unwrap();
        assert_eq!(
            (api.input_usd_per_mtok, api.output_usd_per_mtok),
            (1.0, 4.0)
        );
        assert_eq!(
            api.cached_input_usd_per_mtok, None,
            "the whole entry is replaced"
        );
        assert_eq!(api.provenance.source, "contract");
        assert_eq!(c.policy.tie_band, 0.05);
        assert_eq!(
            c.policy.default_api, "gpt-4o",
            "other policy fields keep their value"
        );
        assert_eq!(c.files.last().unwrap().name, "user.yaml");
    }

    #[test]
    fn reference_and_duplicate_problems() {
        let e = with(
            "version: 1\napis:\n  - id: x\n    provider: opena\n    input_usd_per_mtok: 1\n    output_usd_per_mtok: 1\n    tier: small\n    checked: 2026-11-01\n    source: s\n  - id: x\n    provider: openai\n    input_usd_per_mtok: 1\n    output_usd_per_mtok: 1\n    tier: small\n    checked: 2026-11-31\n    source: s\n",
        )
        .unwrap_err();
        let messages: Vec<String> = e.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            vec![
                "user.yaml:4:15: field `apis[x].provider`: unknown provider id \"opena\"; did you mean \"openai\"? (`llm-decide list apis` shows them all)",
                "user.yaml:10:9: field `apis[x].id`: id \"x\" appears twice in this file; keep one entry per id",
                "user.yaml:15:14: field `apis[x].checked`: \"2026-11-31\" is not a calendar date",
            ]
        );
    }

    #[test]
    fn a_wrong_choice_is_reported_with_the_files_other_problems() {
        let e = with(
            "version: 1\napis:\n  - id: x\n    provider: openai\n    input_usd_per_mtok: -1\n    output_usd_per_mtok: 1\n    tier: frontierr\n    checked: 2026-11-01\n    source: s\nsetups:\n  - id: y\n    kind: clowd\n    costs: []\n    tokens_per_month_per_unit: 1B\n    checked: 2026-11-01\n    source: s\n",
        )
        .unwrap_err();
        let messages: Vec<String> = e.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            vec![
                "user.yaml:5:25: field `apis[x].input_usd_per_mtok`: \"-1\" is not a valid amount of money: it is negative; write an amount in US dollars, e.g. 5000, 5k, $5,000 or 1.2M",
                "user.yaml:7:11: field `apis[x].tier`: unknown value \"frontierr\" (did you mean \"frontier\"?); use one of frontier, strong, standard, small",
                "user.yaml:11:5: field `setups[y].costs`: is missing or empty; list the unit's monthly cost lines, e.g. `- {name: hardware, usd_per_month: 3500}`",
                "user.yaml:12:11: field `setups[y].kind`: unknown value \"clowd\" (did you mean \"cloud\"?); use one of owned, cloud",
            ]
        );
    }

    fn messages(sources: &[Source]) -> Vec<String> {
        match build("default", sources) {
            Ok(_) => Vec::new(),
            Err(e) => e.problems.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn references_between_tables_point_at_the_file_and_line_that_set_them() {
        let mut sources = profile_sources("default").unwrap();
        sources.push(Source {
            name: "a.yaml".into(),
            text: "version: 1\nprecisions:\n  - id: fp8\n    bytes_per_weight: 1\n    native_rate: fp8\n    native_on: [h100-sxm, h20]\n    source: s\npolicy:\n  default_setup: cloud-a10\n  self_host:\n    default_model: llama-3.1-70\n".into(),
        });
        sources.push(Source {
            name: "b.yaml".into(),
            text: "version: 1\npolicy:\n  self_host:\n    default_precisions: [fp16, fp9]\n".into(),
        });
        assert_eq!(
            messages(&sources),
            vec![
                "a.yaml:6:27: field `precisions[fp8].native_on[1]`: unknown GPU id \"h20\"; did you mean \"h200\"? (`llm-decide list gpus` shows them all)",
                "a.yaml:9:18: field `policy.default_setup`: unknown setup id \"cloud-a10\"; did you mean \"cloud-a100\"? (`llm-decide list setups` shows them all)",
                "a.yaml:11:20: field `policy.self_host.default_model`: unknown model id \"llama-3.1-70\"; did you mean \"llama-3.1-70b\"? (`llm-decide list models` shows them all)",
                "b.yaml:4:32: field `policy.self_host.default_precisions[1]`: unknown precision id \"fp9\"; did you mean \"fp8\"? (`llm-decide list models` shows them all)",
            ]
        );
    }

    #[test]
    fn a_later_file_can_mend_a_reference_and_define_what_an_earlier_one_names() {
        let mut sources = profile_sources("default").unwrap();
        let file = |name: &str, text: &str| Source {
            name: name.into(),
            text: text.into(),
        };
        // a.yaml names an API that b.yaml defines, and a setup id that b.yaml then corrects.
        sources.push(file(
            "a.yaml",
            "version: 1\npolicy:\n  default_api: house-model\n  default_setup: cloud-a10\n",
        ));
        sources.push(file(
            "b.yaml",
            "version: 1\napis:\n  - id: house-model\n    provider: openai\n    input_usd_per_mtok: 1\n    output_usd_per_mtok: 2\n    tier: standard\n    checked: 2026-11-01\n    source: contract\npolicy:\n  default_setup: cloud-a100\n",
        ));
        assert_eq!(messages(&sources), Vec::<String>::new());
        let c = build("default", &sources).unwrap();
        assert_eq!(
            (
                c.policy.default_api.as_str(),
                c.policy.default_setup.as_str()
            ),
            ("house-model", "cloud-a100")
        );
    }

    #[test]
    fn pricing_files_are_told_by_their_sections() {
        assert!(is_pricing_file("version: 1\napis:\n  - id: x\n"));
        assert!(is_pricing_file(
            "# prices\nversion: 1\npolicy: {tie_band: 5%}\n"
        ));
        assert!(!is_pricing_file(
            "version: 1\nname: a\ntokens_per_month: 1B\nbudget:\n  max_monthly_cost_usd: 1k\n"
        ));
        // A scenario's mix of APIs is not the pricing section of the same name.
        assert!(!is_pricing_file(
            "version: 1\ntokens_per_month: 1B\napis:\n  - {api: o3, share: 1}\n"
        ));
        assert!(!is_pricing_file(
            "version: 1\napis:\n  - {api: o3, share: 1}\n"
        ));
        // A nested key named like a section does not count.
        assert!(!is_pricing_file("version: 1\nself_host:\n  models: x\n"));
    }
}
