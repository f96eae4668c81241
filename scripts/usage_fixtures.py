#!/usr/bin/env python3
"""Writes the usage fixtures of tests/data/usage/ (synthetic traffic, not anyone's usage).

    scripts/usage_fixtures.py      (from the project root)

- openai-completions-hourly.jsonl: 35 days from 2026-08-03 00:00 UTC (a Monday) of hourly
  buckets of OpenAI's organization Usage API (completions, grouped by model), one page of
  168 buckets a line as the API pages them (limit 168 for bucket_width=1h); two models; daytime
  traffic (09:00-18:00 UTC three times the night's), weekdays only for the second model, 0.3% more
  each day; one row with a negative count, to be skipped.
- anthropic-messages-daily.json: 7 daily buckets of Anthropic's usage report (messages,
  grouped by model), one page, with uncached, cache-read and both cache-write counts.

Only keys the APIs write appear (tests/data/usage/README.md cites the definitions).
"""

import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "data", "usage")
START = 1785715200  # 2026-08-03T00:00:00Z, a Monday


def openai_row(model, tin, cached, tout, requests):
    return {
        "object": "organization.usage.completions.result",
        "input_tokens": tin,
        "input_cached_tokens": cached,
        "output_tokens": tout,
        "num_model_requests": requests,
        "project_id": None,
        "user_id": None,
        "api_key_id": None,
        "model": model,
        "batch": None,
    }


def openai():
    buckets = []
    for h in range(35 * 24):
        day, hour = divmod(h, 24)
        weekday = day % 7 < 5
        busy = 3 if 9 <= hour < 18 else 1
        grow = 1.003 ** day
        rows = []
        requests = round(20 * busy * grow)
        rows.append(openai_row("gpt-4o-2024-08-06", requests * 1500, requests * 600, requests * 300, requests))
        if weekday:
            r2 = round(10 * busy * grow)
            rows.append(openai_row("gpt-4o-mini-2024-07-18", r2 * 800, 0, r2 * 200, r2))
        if h == 100:
            rows.append(openai_row("gpt-4o-2024-08-06", -5, 0, 10, 1))
        buckets.append({
            "object": "bucket",
            "start_time": START + h * 3600,
            "end_time": START + (h + 1) * 3600,
            "results": rows,
        })
    pages = []
    for i in range(0, len(buckets), 168):
        chunk = buckets[i:i + 168]
        last = i + 168 >= len(buckets)
        pages.append({
            "object": "page",
            "data": chunk,
            "has_more": not last,
            "next_page": None if last else f"page_{i // 168 + 1}",
        })
    with open(os.path.join(OUT, "openai-completions-hourly.jsonl"), "w") as f:
        for p in pages:
            f.write(json.dumps(p) + "\n")


def anthropic():
    data = []
    for d in range(7):
        def day(n):
            return f"2026-08-{3 + n:02d}T00:00:00Z"
        data.append({
            "starting_at": day(d),
            "ending_at": day(d + 1),
            "results": [{
                "uncached_input_tokens": 200000 + 10000 * d,
                "cache_creation": {"ephemeral_5m_input_tokens": 50000, "ephemeral_1h_input_tokens": 10000},
                "cache_read_input_tokens": 740000,
                "output_tokens": 120000,
                "server_tool_use": {"web_search_requests": 0},
                "api_key_id": None,
                "workspace_id": None,
                "model": "claude-sonnet-4-5-20250929",
                "service_tier": None,
                "context_window": None,
            }],
        })
    page = {"data": data, "has_more": False, "next_page": None}
    with open(os.path.join(OUT, "anthropic-messages-daily.json"), "w") as f:
        json.dump(page, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    openai()
    anthropic()
