//! The bad-input corpus: broken inputs, each with its exact message and exit status 2, and
//! nothing on stdout. Files are written at test time (some are binary, one is over the size
//! limit); more cases with fixed files live in tests/cmd/err-*.toml.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An alias bomb: twelve levels of ten references each, 10^13 nodes if expanded.
fn alias_bomb() -> String {
    let mut doc = String::from(
        "version: 1\ntokens_per_month: 1B\ndescription:\n  - &l0 [1,1,1,1,1,1,1,1,1,1]\n",
    );
    for i in 1..13 {
        let refs = vec![format!("*l{}", i - 1); 10].join(",");
        let _ = writeln!(doc, "  - &l{i} [{refs}]");
    }
    doc.push_str("  - *l12\n");
    doc
}

#[test]
fn every_bad_input_gets_its_message_and_status_2() {
    let dir = scratch();
    let files: Vec<(&str, Vec<u8>)> = vec![
        (
            "malformed.yaml",
            b"version: 1\ntokens_per_month: [800M\nname: x\n".to_vec(),
        ),
        (
            "version.yaml",
            b"version: 2\ntokens_per_month: 800M\n".to_vec(),
        ),
        ("nan.yaml", b"version: 1\ntokens_per_month: .nan\n".to_vec()),
        (
            "inf.yaml",
            b"version: 1\ntokens_per_month: 800M\nlatency:\n  target_ms: .inf\n".to_vec(),
        ),
        (
            "huge.yaml",
            b"version: 1\ntokens_per_month: 1e30\n".to_vec(),
        ),
        (
            "zero.yaml",
            b"version: 1\ntokens_per_month: 800M\nlatency:\n  target_ms: 0\n".to_vec(),
        ),
        (
            "shares.yaml",
            b"version: 1\ntokens_per_month: 800M\ninput_share: 140%\nbatch_share: -0.2\n".to_vec(),
        ),
        (
            "ids.yaml",
            b"version: 1\ntokens_per_month: 800M\napi: gpt4o\nsetup: cloud-h10\n".to_vec(),
        ),
        ("empty.yaml", Vec::new()),
        (
            "latin1.yaml",
            b"version: 1\nname: caf\xe9\ntokens_per_month: 800M\n".to_vec(),
        ),
        (
            "big.yaml",
            [
                b"version: 1\n".as_slice(),
                &vec![b'#'; 5 * 1024 * 1024],
                b"\n",
            ]
            .concat(),
        ),
        ("bomb.yaml", alias_bomb().into_bytes()),
        (
            "choices.yaml",
            b"version: 1\ntokens_per_month: 800M\ntraffic:\n  shape: spikey\ninput_share: 140%\nprivacy:\n  level: secret\ntime_to_market: asap\n".to_vec(),
        ),
        (
            "refs.yaml",
            b"version: 1\nsetups:\n  - id: my-rig\n    kind: cloud\n    gpu: h100-sxn\n    gpus_per_unit: 2\n    costs:\n      - name: gpu rental\n        usd_per_month: 4000\n    tokens_per_month_per_unit: 2B\n    checked: 2026-11-01\n    source: quote\npolicy:\n  default_api: gpt-4oo\n".to_vec(),
        ),
        // Valid YAML whose values make no physical sense (each used to run for minutes).
        (
            "hours.yaml",
            b"version: 1\ntokens_per_month: 800M\ntraffic:\n  shape: business-hours\n  business_hours_per_month: 1e-9\n".to_vec(),
        ),
        (
            "capacity.yaml",
            b"version: 1\nsetups:\n  - id: tiny\n    name: tiny\n    kind: cloud\n    gpus_per_unit: 1\n    costs:\n      - {name: hardware, usd_per_month: 1000}\n    tokens_per_month_per_unit: 4\n    checked: 2026-11-01\n    source: quote\n".to_vec(),
        ),
        (
            "physics.yaml",
            b"version: 1\npolicy:\n  self_host:\n    target_utilization: 1e-9\n    redundancy_replicas: 100\n  monte_carlo:\n    draws: 20M\n  projection:\n    horizon_months: 6000\n".to_vec(),
        ),
        (
            "engine.yaml",
            b"version: 1\nengines:\n  - id: slow\n    bandwidth_efficiency: 1e-9\n    gemm_efficiency: 0.5\n    default_matmul_ratio: 0.5\n    memory_utilization: 0.9\n    step_overhead_ms: 86400s\n    runtime_overhead_gb: 2\n    kv_bytes: 2\n    max_batch: 256\n    sequence_overhead_us: 0\n    prefill_layer_overhead_us: 0\n    prefill_wait_steps: 0\n    link_efficiency: 0.77\n    all_reduce_latency_us: 25\n".to_vec(),
        ),
        (
            "deep.yaml",
            format!("version: 1\nname: {}{}\n", "[".repeat(200), "]".repeat(200)).into_bytes(),
        ),
    ];
    for (name, bytes) in &files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    std::os::unix::fs::symlink("/nonexistent/file.yaml", dir.join("dangling.yaml")).unwrap();
    std::fs::create_dir_all(dir.join("folder.yaml")).unwrap();

    let ready = "saas-startup, healthcare, ecommerce, trading, hybrid-80-20";
    let cases: Vec<(Vec<&str>, String)> = vec![
        (vec!["--scenario", "malformed.yaml"], "error: malformed.yaml:2:1: field `tokens_per_month`: invalid type: sequence, expected a number or a quantity such as 800M, 150ms, $5k or 33%; check the value's type against the documentation in docs/methodology.md".into()),
        (vec!["--scenario", "version.yaml"], "error: version.yaml:1:10: field `version`: version 2 is not supported; this llm-decide reads version 1; write `version: 1`".into()),
        (vec!["--scenario", "nan.yaml"], "error: nan.yaml:2:19: field `tokens_per_month`: .nan is not a finite number; write a finite value with its unit, e.g. 800M, 150ms or 33%".into()),
        (vec!["--scenario", "inf.yaml"], "error: inf.yaml:4:14: field `latency.target_ms`: .inf is not a finite number; write a finite value with its unit, e.g. 800M, 150ms or 33%".into()),
        (vec!["--scenario", "huge.yaml"], "error: huge.yaml:2:19: field `tokens_per_month`: \"1000000000000000000000000000000\" is not a valid token quantity: it is larger than the limit of 1e18; write a number of tokens with an optional k, M, B or T suffix, e.g. 800M, 1.5B, 750k, 2e9 or 1_000_000".into()),
        (vec!["--scenario", "zero.yaml"], "error: zero.yaml:4:14: field `latency.target_ms`: 0 is not a valid latency target: it must be greater than zero; give a positive value".into()),
        (vec!["--scenario", "shares.yaml"], "error: 2 problems in the input:\n  shares.yaml:3:14: field `input_share`: \"140%\" is not a valid share: it is more than 1 (100%); write a share between 0 and 1, e.g. 0.33, 33% or 1/3\n  shares.yaml:4:14: field `batch_share`: \"-0.2\" is not a valid share: it is negative; write a share between 0 and 1, e.g. 0.33, 33% or 1/3".into()),
        (vec!["--scenario", "ids.yaml"], "error: 2 problems in the input:\n  ids.yaml:3:6: field `api`: unknown API id \"gpt4o\"; did you mean \"gpt-4o\"? (`llm-decide list apis` shows them all)\n  ids.yaml:4:8: field `setup`: unknown setup id \"cloud-h10\"; did you mean \"cloud-h100\"? (`llm-decide list setups` shows them all)".into()),
        (vec!["--pricing", "refs.yaml", "--tokens", "1B"], "error: 2 problems in the input:\n  refs.yaml:5:10: field `setups[my-rig].gpu`: unknown GPU id \"h100-sxn\"; did you mean \"h100-sxm\"? (`llm-decide list gpus` shows them all)\n  refs.yaml:14:16: field `policy.default_api`: unknown API id \"gpt-4oo\"; did you mean \"gpt-4o\"? (`llm-decide list apis` shows them all)".into()),
        (vec!["--scenario", "choices.yaml"], "error: 4 problems in the input:\n  choices.yaml:4:10: field `traffic.shape`: unknown value \"spikey\" (did you mean \"spiky\"?); use one of steady, business-hours, spiky, profile\n  choices.yaml:5:14: field `input_share`: \"140%\" is not a valid share: it is more than 1 (100%); write a share between 0 and 1, e.g. 0.33, 33% or 1/3\n  choices.yaml:7:10: field `privacy.level`: unknown value \"secret\"; use one of public, standard, confidential, regulated, restricted\n  choices.yaml:8:17: field `time_to_market`: unknown value \"asap\"; use one of relaxed, normal, critical".into()),
        (vec!["--scenario", "empty.yaml"], "error: empty.yaml: the file is empty; write at least `version: 1`; run `llm-decide init` for a commented starter".into()),
        (vec!["--scenario", "latin1.yaml"], "error: latin1.yaml: is not UTF-8 text (invalid byte at offset 20); save the file as UTF-8".into()),
        (vec!["--scenario", "big.yaml"], "error: big.yaml: is 5242892 bytes, over the 4194304 byte limit for input files; split it into smaller files".into()),
        (vec!["--scenario", "bomb.yaml"], "error: bomb.yaml:4:3: expected text (one value), found a list or a block of fields; check the value's type against the documentation in docs/methodology.md".into()),
        (vec!["--scenario", "deep.yaml"], "error: deep.yaml:2:7: field `name`: expected text (one value), found a list or a block of fields; check the value's type against the documentation in docs/methodology.md".into()),
        (vec!["--scenario", "dangling.yaml"], format!("error: dangling.yaml: no such file; check the path, or name a ready-made scenario: {ready}")),
        // A device with no end is read up to the limit, not forever.
        (vec!["--scenario", "/dev/zero"], "error: /dev/zero: is more than 4194304 bytes, over the 4194304 byte limit for input files; split it into smaller files".into()),
        // A file that exists but cannot be read (reading address 0 of the process fails).
        (vec!["--scenario", "/proc/self/mem"], "error: /proc/self/mem: cannot be read: Input/output error (os error 5); name a readable file (a regular file, or a pipe such as <(command))".into()),
        (vec!["--scenario", "folder.yaml"], "error: folder.yaml: is a folder, not a file; name a file inside it".into()),
        (vec!["--scenario", "hours.yaml"], "error: hours.yaml:5:29: field `traffic.business_hours_per_month`: 0.000000001 business hours a month is not between 1 and 729; give the hours a month the traffic runs, e.g. 220 (22 weekdays x 10 h)".into()),
        (vec!["--pricing", "capacity.yaml", "--setup", "tiny", "--tokens", "800M"], "error: capacity.yaml:9:32: field `setups[tiny].tokens_per_month_per_unit`: 4 tokens a month per unit is less than 1M (half a token a second): did you mean 4B?; give the tokens a unit serves a month with their suffix, e.g. 2.5B".into()),
        (vec!["--pricing", "physics.yaml", "--tokens", "800M"], "error: 4 problems in the input:\n  physics.yaml:4:25: field `policy.self_host.target_utilization`: 0.000000001 is below the limit of 5%; give at least 5%\n  physics.yaml:5:26: field `policy.self_host.redundancy_replicas`: 100 is above the limit of 64; give at most 64\n  physics.yaml:7:12: field `policy.monte_carlo.draws`: 20,000,000 is above the limit of 1,000,000; give at most 1,000,000\n  physics.yaml:9:21: field `policy.projection.horizon_months`: 6,000 is above the limit of 600; give at most 600".into()),
        (vec!["--pricing", "engine.yaml", "--tokens", "800M"], "error: 2 problems in the input:\n  engine.yaml:4:27: field `engines[slow].bandwidth_efficiency`: 0.000000001 is below the limit of 1%; give at least 1%\n  engine.yaml:8:23: field `engines[slow].step_overhead_ms`: 86400 s is above the limit of 1 s; give at most 1 s".into()),
        (vec!["--tokens", "1B", "--self-host-capacity", "3"], "error: --self-host-capacity: 3 tokens a month per unit is less than 1M (half a token a second): did you mean 3B?; give the tokens a unit serves a month with their suffix, e.g. 3B".into()),
        (vec!["--tokens", "1e18", "--model", "llama-3.1-70b"], "error: at 2e18, the largest volume the report prices (its volume table, sweep, ranges, growth and projection), the self-hosted side would need 194,035,604 units of 10.31B tokens a month each (at the bottom of the throughput and utilization ranges), more than the 100,000,000 the tool counts; check the volume, the growth and the unit's capacity".into()),
        // Growth makes the volume: the message says so (1.73^35 = 214,592,041; x 1.2B = 2.58e17).
        (vec!["--tokens", "1.2B", "--growth", "73%"], "error: at 2.58e17, the largest volume the report prices (its volume table, sweep, ranges, growth and projection), the self-hosted side would need 194,094,390 units of 1.327B tokens a month each (at the bottom of the throughput and utilization ranges), more than the 100,000,000 the tool counts; that volume is the growth of 73% a month over 35 months (x214,592,041) on 1.2B; check the volume, the growth and the unit's capacity".into()),
        (vec!["--tokens", "1e15", "--growth", "100%"], "error: --growth: 100% a month for 36 months takes 1e15 tokens a month past 1e18, the most the tool prices; lower the growth, or shorten the projection (--horizon; the total cost of ownership always runs 36 months)".into()),
        (vec!["--tokens", "1B", "--draws", "2M"], "error: invalid value '2M' for '--draws <N>': 2,000,000 is above the limit of 1,000,000; give at most 1,000,000\n\nFor more information, try '--help'.".into()),
        (vec!["--tokens", "1B", "--gpus", "5000"], "error: invalid value '5000' for '--gpus <N>': 5,000 is above the limit of 4,096; give at most 4,096\n\nFor more information, try '--help'.".into()),
        (vec!["--tokens", "-5M"], "error: invalid value '-5M' for '--tokens <TOKENS>': \"-5M\" is not a valid token quantity: it is negative; write a number of tokens with an optional k, M, B or T suffix, e.g. 800M, 1.5B, 750k, 2e9 or 1_000_000\n\nFor more information, try '--help'.".into()),
        (vec!["--tokens", "NaN"], "error: invalid value 'NaN' for '--tokens <TOKENS>': \"NaN\" is not a valid token quantity: it is not a number; write a number of tokens with an optional k, M, B or T suffix, e.g. 800M, 1.5B, 750k, 2e9 or 1_000_000\n\nFor more information, try '--help'.".into()),
        (vec!["--tokens", "1M", "--latency", "inf"], "error: invalid value 'inf' for '--latency <DURATION>': \"inf\" is not a valid duration: it is not a number; write a duration with its unit, e.g. 150ms, 0.2s or 1.5s\n\nFor more information, try '--help'.".into()),
        (vec!["--tokens", "800M", "--input-share", "2"], "error: invalid value '2' for '--input-share <SHARE>': \"2\" is not a valid share: it is more than 1 (100%); write a share between 0 and 1, e.g. 0.33, 33% or 1/3\n\nFor more information, try '--help'.".into()),
        (vec!["crossover", "--tokens", "800M", "--from", "5B", "--to", "1B"], "error: --from: 5B is not below --to 1B; give --from a smaller volume than --to".into()),
        (vec!["diff", "a.yaml"], "error: the following required arguments were not provided:\n  <HEAD>\n\nUsage: llm-decide diff <BASE> <HEAD>\n\nFor more information, try '--help'.".into()),
    ];
    for (args, want) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_llm-decide"))
            .args(&args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).trim_end(),
            want,
            "{args:?}"
        );
    }
}
