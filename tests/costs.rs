//! Costs that grow with the work: every volume-table row is what a run at that volume costs,
//! and owned hardware is costed from a dated purchase price with its running costs stated.
//! Through the binary, with figures worked by hand.

mod common;

use common::{json, run};
use serde_json::Value;

fn usd(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

/// Each row of the volume table costs what a run at that volume costs, on both sides, with the
/// deployment and its staffing row chosen again at that volume.
#[test]
fn volume_rows_cost_what_a_run_at_that_volume_costs() {
    let flag_sets: &[&[&str]] = &[
        &[],
        &["--gpu", "a100-80gb", "--precision", "fp8", "--tp", "2"],
        &["--scenario", "healthcare"],
        &["--latency", "300ms", "--api", "claude-sonnet-4.5"],
    ];
    for flags in flag_sets {
        let report = json(&[&["--tokens", "200M"], *flags].concat());
        for row in report["volume_table"].as_array().unwrap() {
            let tokens = format!("{}", row["tokens_per_month"].as_f64().unwrap());
            let direct = json(&[&["--tokens", tokens.as_str()], *flags].concat());
            let options = &direct["options"];
            assert_eq!(
                usd(&row["api_monthly_cost_usd"]),
                usd(&options["api"]["monthly_cost_usd"]),
                "{flags:?} API at {tokens}"
            );
            assert_eq!(
                usd(&row["self_host_monthly_cost_usd"]),
                usd(&options["self_host"]["monthly_cost_usd"]),
                "{flags:?} self-host at {tokens}"
            );
        }
    }
    // By hand: 10B tokens on 2 x A100 80GB in FP8 needs 3 replicas, 6 GPUs at the cheapest
    // on-demand $1.59 an hour (x 730 h = $1,160.70 a month), plus the 10B staffing row (1 ML
    // engineer $20,000 + 0.5 DevOps $8,000): 6 x 1,160.70 + 28,000 = $34,964.20, in the table of
    // a run at 200M and in a run at 10B.
    let flags = [
        "--hosting",
        "cloud",
        "--gpu",
        "a100-80gb",
        "--precision",
        "fp8",
        "--tp",
        "2",
        "--model",
        "llama-3.1-70b",
    ];
    let table = json(&[&["--tokens", "200M"], &flags[..]].concat());
    let last = table["volume_table"].as_array().unwrap().last().unwrap();
    assert_eq!(usd(&last["tokens_per_month"]), 1e10);
    assert_eq!(usd(&last["self_host_monthly_cost_usd"]), 34_964.2);
    let direct = json(&[&["--tokens", "10B"], &flags[..]].concat());
    assert_eq!(
        usd(&direct["options"]["self_host"]["monthly_cost_usd"]),
        34_964.2
    );
}

/// Owned hardware: every GPU with a purchase price can be owned, at the price over 36 months
/// plus power (watts x 730 h x PUE 1.4 x $0.12/kWh) and colocation ($150 per kW a month).
#[test]
fn owned_hardware_costs_every_gpu_with_a_purchase_price() {
    // (gpu, per GPU a month, worked by hand)
    let cases: &[(&str, f64)] = &[
        // 2,500 / 36 = 69.444 + 72 W: 0.072 x 730 x 1.4 x 0.12 = 8.830 + 0.072 x 150 = 10.8
        ("l4", 89.075),
        // 30,000 / 36 = 833.333 + 0.7 x 730 x 1.4 x 0.12 = 85.848 + 0.7 x 150 = 105
        ("h100-sxm", 1_024.181),
        // 13,250 / 36 = 368.056 + 0.6 x 730 x 1.4 x 0.12 = 73.584 + 0.6 x 150 = 90
        ("rtx-pro-6000", 531.64),
        // 76,875 / 36 = 2,135.417 + 1.0 x 730 x 1.4 x 0.12 = 122.64 + 150
        ("b300", 2_408.057),
    ];
    for &(gpu, want) in cases {
        let r = json(&["--tokens", "800M", "--hosting", "owned", "--gpu", gpu]);
        let cost = &r["options"]["self_host"]["deployment"]["gpu_cost"];
        assert_eq!(cost["hosting"], "owned", "{gpu}");
        let got = usd(&cost["usd_per_gpu_month"]);
        assert!((got - want).abs() < 0.01, "{gpu}: {got} (want {want})");
    }
    // A part not sold on its own cannot be owned, and says so.
    let r = json(&["--tokens", "800M", "--hosting", "owned", "--gpu", "gb200"]);
    assert_eq!(r["options"]["self_host"]["feasible"], false);
}

/// The purchase price is a dated price like any other: it is listed with its date, warned about
/// when old, and held to --max-price-age; the running-cost figures are listed as assumptions.
#[test]
fn a_purchase_price_is_dated_like_any_other() {
    let (code, stdout, stderr) = run(&[
        "--tokens",
        "800M",
        "--hosting",
        "owned",
        "--gpu",
        "l4",
        "--max-price-age",
        "100",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("  - l4 purchase: checked 2025-08-01, united-compute-amazon-buybox"),
        "{stdout}"
    );
    // 2025-08-01 to the tests' day, 2026-11-27: 483 days.
    assert!(
        stderr.contains("warning: the price of l4 purchase was checked 2025-08-01, 483 days ago (more than 180); refresh it with a --pricing file that gives a newer, dated price\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("check failed: max_price_age_days: oldest price used was checked 2025-08-01, 483 days ago, against a limit of 100 days"),
        "{stderr}"
    );
    let r = json(&["--tokens", "800M", "--hosting", "owned", "--gpu", "l4"]);
    let assumed: Vec<(&str, f64, &str)> = r["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            a["source"]
                .as_str()
                .unwrap()
                .starts_with("policy.self_host (")
        })
        .map(|a| {
            (
                a["name"].as_str().unwrap(),
                a["value"].as_f64().unwrap(),
                a["unit"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        assumed,
        [
            ("self_host.amortization_months", 36.0, "months"),
            ("self_host.pue", 1.4, "ratio"),
            ("self_host.electricity_usd_per_kwh", 0.12, "USD/kWh"),
            (
                "self_host.colocation_usd_per_kw_month",
                150.0,
                "USD/kW/month"
            ),
        ]
    );
    // The A100 80GB's purchase price is dated with its source.
    let (_, stdout, _) = run(&[
        "--tokens",
        "800M",
        "--hosting",
        "owned",
        "--gpu",
        "a100-80gb",
    ]);
    assert!(
        stdout.contains(
            "  - a100-80gb purchase: checked 2026-09-16, GitHub SiberianStranger/singularity_enhanced"
        ),
        "{stdout}"
    );
}

/// Batch traffic on the self-hosted side: it has no per-token latency to meet and can wait, so
/// it runs off-peak at the largest batch that fits, and the replicas are sized for the larger of
/// the interactive peak, `(1 - b) x peak-to-average`, and the time all the work takes over the
/// month, `(1 - b) + b x interactive / batch capacity`.
#[test]
fn batch_traffic_runs_off_peak_at_the_throughput_optimal_batch() {
    let self_host = |extra: &[&str]| {
        let args = [
            &[
                "--tokens",
                "50B",
                "--model",
                "llama-3.1-70b",
                "--gpu",
                "h100-sxm",
                "--tp",
                "2",
            ][..],
            extra,
        ]
        .concat();
        json(&args)["options"]["self_host"].clone()
    };
    // Business hours (peak-to-average 3.318, no latency target: one replica serves 15.41B a
    // month at the interactive 50 ms per-token limit and 16.12B at the largest batch):
    // 50B x 3.318 / 15.41B = 10.77 -> 11 units with no batch; half batch,
    // 50B x max(0.5 x 3.318, 0.5 + 0.5 x 15.41 / 16.12) / 15.41B = 5.38 -> 6; 90% batch,
    // 50B x max(0.1 x 3.318, 0.1 + 0.9 x 15.41 / 16.12) / 15.41B = 3.12 -> 4.
    for (batch, units) in [("0", 11), ("0.5", 6), ("0.9", 4)] {
        let sh = self_host(&["--traffic", "business-hours", "--batch-share", batch]);
        assert_eq!(sh["units"], units, "batch share {batch}");
    }
    // Steady traffic with a 20 ms per-token target: interactive work runs at batch 21 (2.902B
    // a month a replica), batch work at the largest batch that fits, 423 (16.12B). No batch:
    // 50B / 2.902B = 17.23 -> 18 replicas. Half batch: 50B x (0.5 + 0.5 x 2.902 / 16.12) /
    // 2.902B = 10.17 -> 11 (the interactive peak alone would need 8.61 -> 9).
    let tpot = ["--latency", "20ms", "--latency-metric", "tpot"];
    let none = self_host(&[&tpot[..], &["--batch-share", "0"]].concat());
    let half = self_host(&[&tpot[..], &["--batch-share", "0.5"]].concat());
    let d = &half["deployment"];
    assert_eq!(
        (
            d["sizing"]["batch"].clone(),
            d["sizing"]["max_batch"].clone()
        ),
        (21.into(), 423.into())
    );
    let (ci, cb) = (
        d["replica_tokens_per_month"].as_f64().unwrap(),
        d["batch_replica_tokens_per_month"].as_f64().unwrap(),
    );
    assert_eq!((ci / 1e6).round(), 2902.0);
    assert_eq!((cb / 1e6).round(), 16121.0);
    assert_eq!(
        (none["units"].clone(), half["units"].clone()),
        (18.into(), 11.into())
    );
    assert!((d["sizing_factor"].as_f64().unwrap() - (0.5 + 0.5 * ci / cb)).abs() < 1e-6);
    // A unit cost given with the sized replica's capacity keeps its batch capacity too: the
    // same 6 units at half batch, $10,000 each.
    let given = self_host(&[
        "--traffic",
        "business-hours",
        "--batch-share",
        "0.5",
        "--self-host-cost",
        "10k",
    ]);
    assert_eq!(
        (given["kind"].clone(), given["units"].clone()),
        ("given".into(), 6.into())
    );
    assert_eq!(usd(&given["monthly_cost_usd"]), 60_000.0);
    // The API's batch discount is unchanged: batch traffic is cheaper on both sides.
    assert!(half["monthly_cost_usd"].as_f64() < none["monthly_cost_usd"].as_f64());
}

/// One-time costs and payback: switching pays the build effort over the months to production
/// (the API paid meanwhile), buys owned hardware when it is needed instead of amortizing it,
/// and the report gives the month the switch and the hardware pay back.
#[test]
fn one_time_costs_and_payback_are_in_the_projection() {
    let args = [
        "--tokens",
        "5B",
        "--hosting",
        "owned",
        "--gpu",
        "rtx-pro-6000",
        "--model",
        "llama-3.1-70b",
        "--build-effort",
        "2",
        "--time-to-production",
        "1.5",
    ];
    let r = json(&args);
    let p = &r["projection"];
    let s = &p["switch"];
    // 2 x RTX PRO 6000 bought at $13,250 each = $26,500; the build 2 x $20,000 = $40,000.
    assert_eq!(usd(&s["hardware_usd"]), 26_500.0);
    assert_eq!(usd(&s["build_usd"]), 40_000.0);
    // Running costs: $11,063.28 less the amortized 2 x 13,250 / 36 = $736.11: $10,327.17.
    // Month 1 is all build: 37,500 + 40,000 / 1.5 + 26,500 = $90,666.67. Month 2 is half
    // build: 18,750 + 5,163.59 + 13,333.33 = $37,246.92. Then $10,327.17.
    let cash: Vec<f64> = p["months"].as_array().unwrap()[..3]
        .iter()
        .map(|m| (usd(&m["switch_usd"]) * 100.0).round() / 100.0)
        .collect();
    assert_eq!(cash, [90_666.67, 37_246.92, 10_327.17]);
    // In all, 148,567.93 by month 4 against the API's 150,000: month 4. The hardware's
    // savings, 0.5 x (37,500 - 10,327.17) + (37,500 - 10,327.17) = 40,759.25 >= 26,500 by
    // month 3.
    assert_eq!(s["payback_month"], 4);
    assert_eq!(s["hardware_payback_month"], 3);
    // Twelve months in all: the first two, then ten at $10,327.17.
    let tco12 = usd(&p["tco"][0]["switch_usd"]);
    assert!(
        (tco12 - (90_666.67 + 37_246.92 + 10.0 * 10_327.17)).abs() < 0.1,
        "{tco12}"
    );
    let (code, out, _) = run(&args);
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "Switching now costs once: owned hardware $26,500 in month 1; the build, 2 engineer-months x\n  $20,000 = $40,000; and 1.5 months to production, with the API paid meanwhile (--build-effort,\n  --time-to-production). In cash, the switch pays back in month 4; the hardware has paid for itself\n  by month 3."
        ),
        "{out}"
    );
    // The policy's defaults (3 engineer-months, 3 months) are listed among the assumptions,
    // and a value given replaces them.
    let names: Vec<(String, f64)> = json(&["--tokens", "5B"])["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["name"].as_str().unwrap().starts_with("projection."))
        .map(|a| (a["name"].as_str().unwrap().to_string(), usd(&a["value"])))
        .collect();
    assert_eq!(
        names,
        [
            ("projection.build_engineer_months".to_string(), 3.0),
            ("projection.months_to_production".to_string(), 3.0)
        ]
    );
}
