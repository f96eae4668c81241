//! Constraints bind both sides: a request longer than a model's context window is refused for
//! that model with that reason, and a model that charges more for long prompts charges it.
//! Through the binary, with figures worked by hand.

use serde_json::Value;
use std::process::Command;

fn json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .args(args)
        .args(["--format", "json"])
        .env("SOURCE_DATE_EPOCH", "1795780800")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

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
/// 200k tokens.
#[test]
fn long_prompts_pay_long_context_prices() {
    // (prompt tokens, USD per 1M worked by hand: (prompt x input + 500 x output) / (prompt + 500))
    let cases: &[(&str, f64)] = &[
        // (150,000 x 1.25 + 500 x 10) / 150,500
        ("150000", 192_500.0 / 150_500.0),
        // (200,000 x 1.25 + 500 x 10) / 200,500: at the threshold, not above it
        ("200000", 255_000.0 / 200_500.0),
        // (300,000 x 2.5 + 500 x 15) / 300,500
        ("300000", 757_500.0 / 300_500.0),
    ];
    for &(prompt, want) in cases {
        let r = json(&[
            "--requests",
            "3000",
            "--input-tokens",
            prompt,
            "--output-tokens",
            "500",
            "--api",
            "gemini-2.5-pro",
        ]);
        let got = r["options"]["api"]["usd_per_mtok"].as_f64().unwrap();
        assert!((got - want).abs() < 1e-6, "{prompt}: {got} != {want}");
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
    let out = Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .args([
            "--tokens",
            "800M",
            "--sensitive-share",
            "1",
            "--requires",
            "soc2,hippa",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
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
