//! Constraints bind both sides: a request longer than a model's context window is refused for
//! that model with that reason, and a model that charges more for long prompts charges it.
//! Through the binary, with figures worked by hand.

mod common;

use common::{json, run};
use serde_json::Value;

fn codes(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap_or_else(|| c["code"].as_str().unwrap()))
        .collect()
}

/// A 300k-token prompt: GPT-4o accepts 128k, Llama 3.1 70B's window is 131,072 tokens. Both
/// sides are ruled out for that reason, not for memory or latency, and the lesser violation
/// is the side with the longer window.
#[test]
fn context_windows_bind_both_sides() {
    // Left to choose, the self-hosted side takes a model whose window holds the request: no
    // frontier open model's does (DeepSeek's 163,840 is the longest), so Llama 4 Scout's 10M,
    // a tier below, with the gap named.
    let r = json(&[
        "--requests",
        "3000",
        "--input-tokens",
        "300000",
        "--output-tokens",
        "500",
        "--api",
        "gpt-4o",
    ]);
    assert_eq!(r["capability"]["model"], "llama-4-scout");
    assert_eq!(r["capability"]["matched"], "changed");
    assert!(codes(&r["recommendation"]["reasons"]).contains(&"tier_gap_changed"));
    assert_eq!(codes(&r["options"]["self_host"]["blocker_codes"]), [""; 0]);
    // Asked for Llama 3.1 70B (131,072 tokens), self-hosting is ruled out for the window.
    let r = json(&[
        "--requests",
        "3000",
        "--input-tokens",
        "300000",
        "--output-tokens",
        "500",
        "--api",
        "gpt-4o",
        "--model",
        "llama-3.1-70b",
    ]);
    let o = &r["options"];
    assert_eq!(codes(&o["api"]["blocker_codes"]), ["api_context"]);
    assert_eq!(
        o["api"]["blockers"][0],
        "the request's 300k prompt tokens exceed gpt-4o's context window of 128k tokens"
    );
    assert_eq!(codes(&o["self_host"]["blocker_codes"]), ["no_deployment"]);
    assert_eq!(
        o["self_host"]["search"]["rejections"][0]["message"],
        "the request's 300.5k tokens exceed the model's context window of 131.1k tokens"
    );
    assert_eq!(
        o["self_host"]["search"]["rejections"][0]["configurations"],
        272
    );
    let reasons = codes(&r["recommendation"]["reasons"]);
    assert!(reasons.contains(&"conflict_context"), "{reasons:?}");
    assert_eq!(r["recommendation"]["choice"], "self-host");
    // A prompt inside both windows: neither is ruled out for context.
    let r = json(&[
        "--requests",
        "3000",
        "--input-tokens",
        "100000",
        "--output-tokens",
        "500",
        "--api",
        "gpt-4o",
    ]);
    assert!(
        !codes(&r["options"]["api"]["blocker_codes"]).contains(&"api_context"),
        "{}",
        r["options"]["api"]
    );
}

/// Gemini 2.5 Pro charges $1.25/$10 per 1M, and $2.50/$15 for a request whose prompt is above
/// 200k tokens; Claude Sonnet 4.5 $3/$15, and $6/$22.50 above 200k.
#[test]
fn long_prompts_pay_long_context_prices() {
    // (API, prompt tokens, USD per 1M worked by hand: (prompt x input + 500 x output) /
    // (prompt + 500))
    let cases: &[(&str, &str, f64)] = &[
        // (150,000 x 1.25 + 500 x 10) / 150,500
        ("gemini-2.5-pro", "150000", 192_500.0 / 150_500.0),
        // (200,000 x 1.25 + 500 x 10) / 200,500: at the threshold, not above it
        ("gemini-2.5-pro", "200000", 255_000.0 / 200_500.0),
        // (300,000 x 2.5 + 500 x 15) / 300,500
        ("gemini-2.5-pro", "300000", 757_500.0 / 300_500.0),
        // (150,000 x 3 + 500 x 15) / 150,500
        ("claude-sonnet-4.5", "150000", 457_500.0 / 150_500.0),
        // (300,000 x 6 + 500 x 22.5) / 300,500: 3,000 such requests a month cost $5,433.75
        ("claude-sonnet-4.5", "300000", 1_811_250.0 / 300_500.0),
    ];
    for &(api, prompt, want) in cases {
        let r = json(&[
            "--requests",
            "3000",
            "--input-tokens",
            prompt,
            "--output-tokens",
            "500",
            "--api",
            api,
        ]);
        let got = r["options"]["api"]["usd_per_mtok"].as_f64().unwrap();
        assert!((got - want).abs() < 1e-6, "{api} {prompt}: {got} != {want}");
        assert!(
            !codes(&r["options"]["api"]["blocker_codes"]).contains(&"api_context"),
            "{prompt}"
        );
    }
}

/// Privacy binds the self-hosted side too: with sensitive traffic and no third party allowed,
/// no rented GPU may serve it (owned hardware only); with `--requires`, only cloud offers known
/// to have every required offer may (unknown counts as not offered).
#[test]
fn privacy_binds_the_self_hosted_side() {
    // Restricted: third parties not allowed. Asked for the cloud, self-hosting is ruled out for
    // that reason on every configuration that fits (37 of the 136 do not fit in memory).
    let r = json(&[
        "--tokens",
        "800M",
        "--privacy",
        "restricted",
        "--hosting",
        "cloud",
        "--model",
        "llama-3.1-70b",
    ]);
    let sh = &r["options"]["self_host"];
    assert_eq!(codes(&sh["blocker_codes"]), ["no_deployment"]);
    let rejections: Vec<(&str, u64)> = sh["search"]["rejections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["code"].as_str().unwrap(),
                x["configurations"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rejections,
        [("does_not_fit", 37), ("excluded_by_privacy", 99)]
    );
    // Left to choose, it owns the hardware.
    let r = json(&["--tokens", "800M", "--privacy", "restricted"]);
    assert_eq!(
        r["options"]["self_host"]["deployment"]["gpu_cost"]["hosting"],
        "owned"
    );
    // HIPAA BAA required, on rented GPUs: the cheapest offer of a provider known to sign one.
    let r = json(&[
        "--tokens",
        "800M",
        "--sensitive-share",
        "1",
        "--requires",
        "hipaa_baa",
        "--hosting",
        "cloud",
    ]);
    let price = &r["options"]["self_host"]["deployment"]["gpu_cost"]["price"];
    assert_eq!(price["compliance"]["hipaa_baa"], true, "{price}");
    // Without the requirement the same run rents a cheaper offer whose BAA is unknown.
    let free = json(&[
        "--tokens",
        "800M",
        "--sensitive-share",
        "1",
        "--hosting",
        "cloud",
    ]);
    assert!(
        free["options"]["self_host"]["monthly_cost_usd"]
            .as_f64()
            .unwrap()
            < r["options"]["self_host"]["monthly_cost_usd"]
                .as_f64()
                .unwrap()
    );
}

/// `--requires` takes the offers by id, and refuses one it does not know.
#[test]
fn requirements_are_settable_from_the_command_line() {
    let (code, _, err) = run(&[
        "--tokens",
        "800M",
        "--sensitive-share",
        "1",
        "--requires",
        "soc2,hippa",
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: --requires: unknown compliance offer \"hippa\"; use any of soc2, hipaa_baa, iso27001, zero_retention, regional_endpoints\n"
    );
    let r = json(&[
        "--tokens",
        "800M",
        "--sensitive-share",
        "1",
        "--requires",
        "soc2,hipaa_baa",
    ]);
    assert_eq!(
        r["workload"]["privacy"]["requires"],
        serde_json::json!(["soc2", "hipaa_baa"])
    );
}

fn reason_codes(r: &Value) -> Vec<&str> {
    r["recommendation"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap())
        .collect()
}

/// Capability: with no model named, the self-hosted model is the cheapest of at least the API's
/// tier, the tiers of both sides are stated, a weaker model the user names or the hardware
/// forces is named in the reasons, and the same open model sold as an API is priced beside
/// them as a baseline that passes the same checks.
#[test]
fn capability_compares_like_with_like() {
    // (args, API tier, self-hosted model, its tier, how matched, tier reason code)
    type Case<'a> = (
        &'a [&'a str],
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        Option<&'a str>,
    );
    let cases: &[Case] = &[
        // GPT-4o is frontier (LMArena 1330 and up): of the frontier open models (Llama 3.1
        // 405B, DeepSeek-V3/V3.1/R1, Kimi K2, gpt-oss-120b, Qwen3 32B and 235B, Gemma 3 27B),
        // Gemma 3 27B is the cheapest to self-host at 800M (one A100 40GB).
        (
            &["--tokens", "800M"],
            "frontier",
            "gemma-3-27b",
            "frontier",
            "at_least",
            None,
        ),
        // GPT-4o-mini is strong: gpt-oss-20b (LMArena 1318.1, strong) is the cheapest of the
        // strong and frontier models.
        (
            &["--tokens", "3B", "--api", "gpt-4o-mini"],
            "strong",
            "gpt-oss-20b",
            "strong",
            "at_least",
            None,
        ),
        // Asked for an 8B against GPT-4o: used as asked, the gap named.
        (
            &["--tokens", "800M", "--model", "llama-3.1-8b"],
            "frontier",
            "llama-3.1-8b",
            "small",
            "named",
            Some("tier_mismatch_named"),
        ),
        // One L4 (24 x 0.9 - 2 = 19.6 GB) holds no frontier model (Qwen3 32B in FP8 is 32.8
        // GB): the strongest that fits is gpt-oss-20b in MXFP4 (20.9B x 0.53 = 11.1 GB), and
        // the gap is named.
        (
            &["--tokens", "200M", "--gpu", "l4", "--tp", "1"],
            "frontier",
            "gpt-oss-20b",
            "strong",
            "changed",
            Some("tier_gap_changed"),
        ),
    ];
    for (args, api_tier, model, model_tier, matched, code) in cases {
        let r = json(args);
        let c = &r["capability"];
        assert_eq!(
            (
                c["api_tier"].as_str(),
                c["model"].as_str(),
                c["model_tier"].as_str(),
                c["matched"].as_str()
            ),
            (
                Some(*api_tier),
                Some(*model),
                Some(*model_tier),
                Some(*matched)
            ),
            "{args:?}"
        );
        assert_eq!(r["options"]["api"]["tier"], *api_tier, "{args:?}");
        let tier_reasons: Vec<&str> = reason_codes(&r)
            .into_iter()
            .filter(|c| c.starts_with("tier_"))
            .collect();
        assert_eq!(
            tier_reasons,
            code.iter().copied().collect::<Vec<_>>(),
            "{args:?}"
        );
    }
    // The baseline at 3B against GPT-4o-mini, blended price x volume (input and output
    // priced alike): DeepInfra $0.40 per 1M = $1,200, Fireworks $0.90 per 1M = $2,700.
    let r = json(&[
        "--tokens",
        "3B",
        "--api",
        "gpt-4o-mini",
        "--model",
        "llama-3.1-70b",
    ]);
    let baseline: Vec<(&str, f64, bool)> = r["options"]["serverless"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap(),
                s["monthly_cost_usd"].as_f64().unwrap(),
                s["feasible"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        baseline,
        [
            ("deepinfra/llama-3.1-70b", 1200.0, true),
            ("fireworks/llama-3.1-70b", 2700.0, true)
        ]
    );
    assert!(reason_codes(&r).contains(&"serverless_baseline"));
    // The same checks as any API: privacy and latency (an unmeasured API's lower bound is the
    // 150 ms round trip plus the 500 ms queue, over a 300 ms target).
    let checks: &[(&[&str], &str)] = &[
        (&["--privacy", "restricted"], "privacy_third_party"),
        (&["--latency", "300ms"], "api_latency"),
    ];
    for (extra, code) in checks {
        let args = [
            &[
                "--tokens",
                "3B",
                "--api",
                "gpt-4o-mini",
                "--model",
                "llama-3.1-70b",
            ],
            *extra,
        ]
        .concat();
        let r = json(&args);
        let serverless = r["options"]["serverless"].as_array().unwrap();
        assert_eq!(serverless.len(), 2, "{extra:?}");
        for s in serverless {
            assert!(codes(&s["blocker_codes"]).contains(code), "{extra:?}: {s}");
            assert_eq!(s["feasible"], false);
        }
        assert!(
            !reason_codes(&r).contains(&"serverless_baseline"),
            "{extra:?}"
        );
    }
    // And context: a 100k-token prompt fits DeepSeek-V3 self-hosted (163,840) and on Fireworks
    // (131,072), not DeepSeek's own API or Together's (65,536 each); DeepInfra states none.
    let r = json(&[
        "--requests",
        "20000",
        "--input-tokens",
        "100000",
        "--output-tokens",
        "500",
        "--model",
        "deepseek-v3",
    ]);
    let blocked: Vec<(&str, Vec<&str>)> = r["options"]["serverless"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), codes(&s["blocker_codes"])))
        .collect();
    assert_eq!(
        blocked,
        [
            ("deepseek-v3", vec!["api_context"]),
            ("deepinfra/deepseek-v3", vec![]),
            ("fireworks/deepseek-v3", vec![]),
            ("together/deepseek-v3", vec!["api_context"]),
        ]
    );
}

/// Spot GPUs for a production or always-on workload carry a preemption warning; a reservation
/// longer than the report's horizon carries a commitment note.
#[test]
fn price_kinds_say_what_they_commit_to() {
    let notes = |args: &[&str]| -> Vec<String> {
        let r = json(&[args, &["--model", "llama-3.1-70b", "--hosting", "cloud"]].concat());
        r["options"]["self_host"]["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect()
    };
    let spot = notes(&[
        "--tokens",
        "800M",
        "--price-kind",
        "spot",
        "--always-on",
        "yes",
    ]);
    assert!(
        spot.iter()
            .any(|n| n.contains("spot capacity") && n.contains("can take them back")),
        "{spot:?}"
    );
    assert!(
        notes(&[
            "--tokens",
            "800M",
            "--price-kind",
            "spot",
            "--phase",
            "experimenting",
            "--always-on",
            "no"
        ])
        .iter()
        .all(|n| !n.contains("spot capacity"))
    );
    // Three years against the default 24-month horizon; one year is inside it.
    let three = notes(&["--tokens", "800M", "--price-kind", "reserved-3y"]);
    assert!(
        three.contains(&"The reserved price commits to 36 months, longer than the 24-month horizon of this report: the months after the horizon are owed too.".to_string()),
        "{three:?}"
    );
    assert!(
        notes(&["--tokens", "800M", "--price-kind", "reserved-1y"])
            .iter()
            .all(|n| !n.contains("commits to"))
    );
    let one = notes(&[
        "--tokens",
        "800M",
        "--price-kind",
        "reserved-1y",
        "--horizon",
        "6",
    ]);
    assert!(
        one.iter()
            .any(|n| n.contains("commits to 12 months, longer than the 6-month horizon")),
        "{one:?}"
    );
}

/// The report names the cloud offers privacy excluded and why: with no third party allowed,
/// every offer searched; with required attributes, each provider's offers with what they are
/// not known to have (AWS states HIPAA BAA but not the type of its SOC 2 report).
#[test]
fn excluded_offers_are_named_with_the_reason() {
    let excluded = |extra: &[&str]| -> Vec<(String, u64, Vec<String>)> {
        let args = [
            &[
                "--tokens",
                "1B",
                "--hosting",
                "cloud",
                "--model",
                "llama-3.1-70b",
            ][..],
            extra,
        ]
        .concat();
        json(&args)["options"]["self_host"]["search"]["excluded_offers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["provider"].as_str().unwrap().to_string(),
                    e["offers"].as_u64().unwrap(),
                    codes(&e["missing"])
                        .iter()
                        .map(ToString::to_string)
                        .collect(),
                )
            })
            .collect()
    };
    let all = excluded(&["--privacy", "restricted"]);
    assert!(
        all.iter().all(|(_, _, missing)| missing.is_empty()),
        "{all:?}"
    );
    let soc2 = excluded(&["--sensitive-share", "1", "--requires", "hipaa_baa,soc2"]);
    assert!(
        soc2.contains(&("aws".to_string(), 19, vec!["soc2".to_string()])),
        "{soc2:?}"
    );
    // Asked for nothing, nothing is excluded.
    assert!(excluded(&[]).is_empty());
    assert_eq!(
        all.iter().map(|e| e.1).sum::<u64>(),
        soc2.iter().map(|e| e.1).sum::<u64>()
    );
}

/// With nothing that serves as asked, the changes are looked for on a model that fits the GPUs
/// asked for: one H100 holds no Llama 3.1 405B, but gpt-oss-120b (the first frontier model that
/// fits) is only short of GPUs for 50B tokens a month, so the report names it, not the 405B.
#[test]
fn nothing_as_asked_names_a_model_that_fits() {
    let r = json(&["--tokens", "50B", "--gpu", "h100-sxm", "--gpus", "1"]);
    let sh = &r["options"]["self_host"];
    assert_eq!(codes(&sh["blocker_codes"]), ["no_deployment"]);
    assert!(
        sh["blockers"][0]
            .as_str()
            .unwrap()
            .starts_with("no deployment of gpt-oss-120b as asked can serve this workload"),
        "{}",
        sh["blockers"][0]
    );
    assert_eq!(r["capability"]["model"], "gpt-oss-120b");
}
