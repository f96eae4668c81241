#!/usr/bin/env python3
"""Writes a LiteLLM spend-log file of about SIZE megabytes for the usage benchmark:

    scripts/usage_bench.py OUT.jsonl|OUT.csv SIZE_MB

Rows as the proxy writes them (tests/data/usage/README.md), one request every few seconds
from 2026-08-03, two models, lengths varying with the row. Synthetic; nothing is asserted.
"""

import json
import sys

START = 1785715200  # 2026-08-03T00:00:00Z
COLUMNS = ["request_id", "call_type", "api_key", "spend", "total_tokens", "prompt_tokens",
           "completion_tokens", "startTime", "endTime", "model", "model_group",
           "custom_llm_provider", "api_base", "user", "metadata", "cache_hit", "status"]


def stamp(t, sep, zone):
    import time
    return time.strftime(f"%Y-%m-%d{sep}%H:%M:%S", time.gmtime(t)) + ".000" + zone


def main():
    out, size = sys.argv[1], int(sys.argv[2]) * 1024 * 1024
    csv_out = out.endswith(".csv")
    written = 0
    n = 0
    with open(out, "w") as f:
        if csv_out:
            line = ",".join(COLUMNS) + "\n"
            f.write(line)
            written += len(line)
        while written < size:
            n += 1
            t = START + n * 3
            prompt = 400 + (n * 37) % 3000
            completion = 50 + (n * 13) % 700
            meta = {"additional_usage_values": {"prompt_tokens_details": {"cached_tokens": prompt // 3}},
                    "user_api_key_alias": "team-a", "requester_metadata": {"tags": ["prod"]}}
            row = {
                "request_id": f"chatcmpl-{n:012d}", "call_type": "acompletion",
                "api_key": "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
                "spend": 0.00123, "total_tokens": prompt + completion, "prompt_tokens": prompt,
                "completion_tokens": completion,
                "startTime": stamp(t, " " if csv_out else "T", "" if csv_out else "Z"),
                "endTime": stamp(t + 2, " " if csv_out else "T", "" if csv_out else "Z"),
                "model": "gpt-4o-mini-2024-07-18" if n % 3 == 0 else "gpt-4o-2024-08-06",
                "model_group": "gpt-4o", "custom_llm_provider": "openai",
                "api_base": "https://api.openai.com/v1", "user": "default_user_id",
                "metadata": meta, "cache_hit": "False", "status": "success",
            }
            if csv_out:
                cells = []
                for c in COLUMNS:
                    v = row[c]
                    if isinstance(v, dict):
                        v = '"' + json.dumps(v).replace('"', '""') + '"'
                    cells.append(str(v))
                line = ",".join(cells) + "\n"
            else:
                line = json.dumps(row) + "\n"
            f.write(line)
            written += len(line)


if __name__ == "__main__":
    main()
