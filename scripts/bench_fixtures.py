#!/usr/bin/env python3
"""Writes the genai-perf and GuideLLM fixtures of tests/data/bench/ from the vLLM ones.

    scripts/bench_fixtures.py      (from the project root)

The five vLLM result files in tests/data/bench/vllm-h200-gpt-oss-20b/ hold measurements of
gpt-oss-20b on one H200 (sariekr/gpu_conc, see tests/data/bench/README.md). This script writes
the same measurements in the two other formats `llm-decide calibrate` reads, with the keys
and nesting each tool writes (genai-perf's profile_export_genai_perf.json; GuideLLM's
benchmarks.json in its v0.7 layout and its v0.3 layout), so that tests can check that the three
formats of one benchmark give one calibration. Only keys the tools write appear; statistics
the source does not give (percentiles, spreads) are left out rather than made up.
"""

import glob
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "tests", "data", "bench")


def runs():
    out = []
    for path in sorted(glob.glob(os.path.join(BENCH, "vllm-h200-gpt-oss-20b", "*.json"))):
        with open(path) as f:
            out.append(json.load(f))
    return sorted(out, key=lambda r: r["max_concurrency"])


def genai_perf(r):
    n = r["completed"]
    return {
        "request_throughput": {"unit": "requests/sec", "avg": r["request_throughput"]},
        "request_latency": {"unit": "ms", "avg": r["mean_e2el_ms"]},
        "request_count": {"unit": "count", "avg": float(n)},
        "time_to_first_token": {"unit": "ms", "avg": r["mean_ttft_ms"]},
        "inter_token_latency": {"unit": "ms", "avg": r["mean_tpot_ms"]},
        "output_token_throughput": {"unit": "tokens/sec", "avg": r["output_throughput"]},
        "output_sequence_length": {"unit": "tokens", "avg": r["total_output_tokens"] / n},
        "input_sequence_length": {"unit": "tokens", "avg": r["total_input_tokens"] / n},
        "input_config": {
            "model_names": [r["model_id"]],
            "subcommand": "profile",
            "endpoint": {"backend": "vllm", "type": "chat", "streaming": True},
            "perf_analyzer": {"stimulus": {"concurrency": r["max_concurrency"]}},
        },
    }


def successful(mean):
    return {"successful": {"mean": mean}}


def guidellm_metrics(r):
    n = r["completed"]
    return {
        "requests_per_second": successful(r["request_throughput"]),
        "request_latency": successful(r["mean_e2el_ms"] / 1000.0),
        "prompt_token_count": successful(r["total_input_tokens"] / n),
        "output_token_count": successful(r["total_output_tokens"] / n),
        "time_to_first_token_ms": successful(r["mean_ttft_ms"]),
        "inter_token_latency_ms": successful(r["mean_tpot_ms"]),
        "output_tokens_per_second": successful(r["output_throughput"]),
    }


# 2025-08-14 18:21:07 UTC, the vLLM files' date, in epoch seconds.
START = 1755195667.0


def guidellm_v07(rs):
    benchmarks = []
    for r in rs:
        m = guidellm_metrics(r)
        m["request_totals"] = {"successful": r["completed"], "errored": r["failed"]}
        benchmarks.append({
            "type_": "generative_benchmark",
            "config": {
                "strategy": {"type_": "concurrent", "streams": r["max_concurrency"]},
                "backend": {"kind": "openai_http", "model": r["model_id"]},
            },
            "start_time": START,
            "metrics": m,
        })
    return {"metadata": {"version": 2}, "benchmarks": benchmarks}


def guidellm_v03(rs):
    benchmarks = []
    for r in rs:
        benchmarks.append({
            "type_": "generative_benchmark",
            "args": {"strategy": {"type_": "concurrent", "streams": r["max_concurrency"]}},
            "worker": {"backend_model": r["model_id"]},
            "run_stats": {"start_time": START},
            "start_time": START,
            "request_totals": {"successful": r["completed"], "errored": r["failed"]},
            "metrics": guidellm_metrics(r),
        })
    return {"benchmarks": benchmarks}


def write(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def main():
    rs = runs()
    for r in rs:
        c = r["max_concurrency"]
        write(os.path.join(BENCH, "genai-perf-h200-gpt-oss-20b", f"concurrency{c}",
                           "profile_export_genai_perf.json"), genai_perf(r))
    write(os.path.join(BENCH, "guidellm-h200-gpt-oss-20b", "benchmarks.json"), guidellm_v07(rs))
    write(os.path.join(BENCH, "guidellm-v0.3-h200-gpt-oss-20b", "benchmarks.json"), guidellm_v03(rs))


if __name__ == "__main__":
    main()
