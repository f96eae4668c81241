#!/usr/bin/env python3
"""The batch cap trtllm-bench gave each engine of the TensorRT-LLM v0.17 perf overview.

    scripts/trtllm_bench_batch.py           (from the project root: prints every row's figure)
    scripts/trtllm_bench_batch.py --write   (sets `max_batch` on the v0.17 rows of
                                             tests/data/calibration/measurements.json)

The v0.17 page (NVIDIA/TensorRT-LLM docs/source/performance/perf-overview.md @258c754) builds
every engine with `trtllm-bench build --dataset`, whose tuning heuristics
(tensorrt_llm/bench/build/tuning.py, calc_engine_setting and finetune_setting, read
2026-12-01) set max_batch_size to the requests the KV cache holds at full length: 95% of the
device memory left after the weights, over 2 x layers x max(tp, KV heads) x head size x KV
bytes x (input + output), at most 4,096, rounded up (to 32 under 256, 128 under 1,024, else
256), and at least 64. The page runs 3,000 requests of 1,000/1,000, which also bounds the
batch. Device memory is the catalog's memory_gb read as GiB (NVML reports 79.6 GiB for an
H100 80GB). The weights are `params x bytes` in units of 10^9, as the heuristic's release
without the BYTES_PER_ELEM table computed them (`param_count / 1000**3`); later releases divide
by 1024**3, which gives 256 and 512 for rows m085 and m093 where 224 and 384 stand here: the
model's KV cache holds fewer sequences than either (221 and 383), so no estimate moves. Which
of the two v0.17 shipped is not pinned. Needs PyYAML (pip install pyyaml).
"""

import json
import math
import sys

import yaml

BYTES = {"fp8": 1.0, "fp4": 0.5, "nvfp4": 0.5, "fp16": 2.0, "bf16": 2.0}
REQUESTS = {(1000, 1000): 3000}
MEASUREMENTS = "tests/data/calibration/measurements.json"


def cap(row, models, gpus):
    m, g = models[row["model"]], gpus[row["gpu"]]
    tp = row.get("tp") or row["gpus"]
    kv_bytes = BYTES.get(row.get("kv_precision") or "bf16", 2.0)
    per_token = 2 * m["layers"] * max(tp, m["kv_heads"]) * m["head_dim"] * kv_bytes / 1024**3
    cache = (g["memory_gb"] * tp - m["params_b"] * BYTES[row["precision"]]) * 0.95
    raw = min(cache / per_token / (row["input_tokens"] + row["output_tokens"]), 4096)
    if raw < 256:
        bs = max(64, 32 * math.ceil(raw / 32))
    elif raw < 1024:
        bs = 128 * math.ceil(raw / 128)
    else:
        bs = 256 * math.ceil(raw / 256)
    return min(bs, REQUESTS[(row["input_tokens"], row["output_tokens"])])


def main():
    models = {m["id"]: m for m in yaml.safe_load(open("pricing/models.yaml"))["models"]}
    gpus = {g["id"]: g for g in yaml.safe_load(open("pricing/gpus.yaml"))["gpus"]}
    doc = json.load(open(MEASUREMENTS))
    for row in doc["rows"]:
        if row["source"] == "trtllm-perf-overview-v0.17":
            row["max_batch"] = cap(row, models, gpus)
            print(row["id"], row["model"], f'{row["gpus"]} x {row["gpu"]}', row["max_batch"])
    if "--write" in sys.argv:
        with open(MEASUREMENTS, "w") as f:
            json.dump(doc, f, indent=1, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
