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
- litellm-spend-logs.csv.gz and litellm-spend-logs.jsonl.gz: the same 28 days from 2026-08-03 of
  LiteLLM proxy spend logs, one request a row: the table as PostgreSQL's `\copy ... CSV HEADER`
  writes it (gzipped; times without a zone, metadata as JSON text) and as JSON lines (times
  in RFC 3339); requests every 20 minutes at night, every 6 during 09:00-18:00 UTC, two models,
  lengths varying with the minute; a failed request and a hit on LiteLLM's cache to leave out;
  bad rows: a count that is not a number, a negative count, a row without a time, and (JSON
  lines) a truncated last line.
- openrouter-activity.json: 30 days of OpenRouter's activity (a day's tokens by model).
- helicone-requests.json.gz, langfuse-observations.jsonl.gz,
  openrouter-generations.jsonl.gz: 28 days from 2026-08-03 of one request a row (every 30
  minutes at night, every 10 during 09:00-18:00 UTC, two models, lengths varying with the
  minute) as Helicone's query API returns them (one `{"data": [...]}` document; cache reads
  and writes beside `prompt_tokens`; a failed request and a Helicone cache hit to leave out),
  as Langfuse's observation export writes JSON lines (a span beside each tenth generation, to
  leave out) and as OpenRouter's `GET /api/v1/generation` answers, one a line.
- ccusage-daily.json: 28 days of `ccusage daily --json` (two Claude models a day).

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


LITELLM_COLUMNS = [
    "request_id", "call_type", "api_key", "spend", "total_tokens", "prompt_tokens",
    "completion_tokens", "startTime", "endTime", "completionStartTime", "model", "model_id",
    "model_group", "custom_llm_provider", "api_base", "user", "metadata", "cache_hit",
    "cache_key", "request_tags", "team_id", "end_user", "requester_ip_address", "status",
]


def litellm_rows():
    """Each request as (row dict, minute); the bad and left-out rows marked in place."""
    rows = []
    n = 0
    for minute in range(0, 28 * 24 * 60):
        day, rest = divmod(minute, 24 * 60)
        hour = rest // 60
        step = 6 if 9 <= hour < 18 else 20
        if rest % step:
            continue
        n += 1
        mini = n % 3 == 0
        prompt = 400 + (minute * 37) % 3000
        completion = 50 + (minute * 13) % 700
        cached = (prompt // 2) if n % 4 == 0 else 0
        t = START + minute * 60
        row = {
            "request_id": f"chatcmpl-{n:06d}",
            "call_type": "acompletion",
            "api_key": "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
            "spend": 0.0,
            "total_tokens": prompt + completion,
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "startTime": t,
            "endTime": t + 3,
            "completionStartTime": t + 1,
            "model": "gpt-4o-mini-2024-07-18" if mini else "gpt-4o-2024-08-06",
            "model_id": "example-deployment",
            "model_group": "gpt-4o-mini" if mini else "gpt-4o",
            "custom_llm_provider": "openai",
            "api_base": "https://api.openai.com/v1",
            "user": "default_user_id",
            "metadata": {"additional_usage_values": {"prompt_tokens_details": {"cached_tokens": cached}}},
            "cache_hit": "False",
            "cache_key": "Cache OFF",
            "request_tags": [],
            "team_id": "",
            "end_user": "",
            "requester_ip_address": "",
            "status": "success",
        }
        if n == 101:
            row["status"] = "failure"
            row["prompt_tokens"] = 0
            row["completion_tokens"] = 0
        if n == 202:
            row["cache_hit"] = "True"
        if n == 303:
            row["prompt_tokens"] = "n/a"
        if n == 404:
            row["completion_tokens"] = -3
        if n == 505:
            row["startTime"] = None
        rows.append(row)
    return rows


def iso(t, sep, zone):
    import datetime
    d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    return d.strftime(f"%Y-%m-%d{sep}%H:%M:%S") + ".000" + zone


def litellm():
    import csv
    import gzip
    import io
    rows = litellm_rows()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(LITELLM_COLUMNS)
    for r in rows:
        out = []
        for c in LITELLM_COLUMNS:
            v = r[c]
            if c in ("startTime", "endTime", "completionStartTime"):
                v = "" if v is None else iso(v, " ", "")
            elif c in ("metadata",):
                v = json.dumps(v)
            elif c == "request_tags":
                v = json.dumps(v)
            out.append(v)
        w.writerow(out)
    # mtime=0: the same bytes on every run.
    with open(os.path.join(OUT, "litellm-spend-logs.csv.gz"), "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
            g.write(buf.getvalue().encode())
    buf = io.StringIO()
    with buf as f:
        for i, r in enumerate(rows):
            r = dict(r)
            for c in ("startTime", "endTime", "completionStartTime"):
                if r[c] is not None:
                    r[c] = iso(r[c], "T", "Z")
                elif c == "startTime":
                    del r[c]
            line = json.dumps(r)
            if i == len(rows) - 1:
                f.write(line[: len(line) // 2])
            else:
                f.write(line + "\n")
        text = f.getvalue()
    with open(os.path.join(OUT, "litellm-spend-logs.jsonl.gz"), "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
            g.write(text.encode())


def openrouter():
    data = []
    for d in range(30):
        import datetime
        day = (datetime.date(2026, 8, 3) + datetime.timedelta(days=d)).isoformat()
        for model, slug, base in [
            ("openai/gpt-4.1", "openai/gpt-4.1-2025-04-14", 3_000_000),
            ("meta-llama/llama-3.3-70b-instruct", "meta-llama/llama-3.3-70b-instruct", 9_000_000),
        ]:
            prompt = base + 20_000 * d
            data.append({
                "date": day,
                "model": model,
                "model_permaslug": slug,
                "endpoint_id": "00000000-0000-0000-0000-000000000000",
                "provider_name": "Example",
                "usage": 1.5,
                "byok_usage_inference": 0,
                "requests": prompt // 2000,
                "prompt_tokens": prompt,
                "completion_tokens": prompt // 5,
                "reasoning_tokens": 0,
            })
    with open(os.path.join(OUT, "openrouter-activity.json"), "w") as f:
        json.dump({"data": data}, f, indent=1)
        f.write("\n")


def requests_stream():
    """(n, seconds, model index, uncached input, cache read, cache write, output)."""
    out = []
    n = 0
    for minute in range(0, 28 * 24 * 60):
        rest = minute % (24 * 60)
        hour = rest // 60
        step = 10 if 9 <= hour < 18 else 30
        if rest % step:
            continue
        n += 1
        uncached = 300 + (minute * 37) % 2500
        read = 1000 if n % 4 == 0 else 0
        write = 200 if n % 8 == 1 else 0
        output = 40 + (minute * 13) % 600
        out.append((n, START + minute * 60, n % 3 == 0, uncached, read, write, output))
    return out


def stamp(t, micro=False):
    import datetime
    d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    if micro:
        return d.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00")
    return d.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def write_gz(name, text):
    import gzip
    with open(os.path.join(OUT, name), "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
            g.write(text.encode())


def helicone():
    rows = []
    for n, t, mini, uncached, read, write, output in requests_stream():
        rows.append({
            "response_id": f"resp-{n}", "response_created_at": stamp(t + 2),
            "response_status": 500 if n == 77 else 200,
            "request_id": f"req-{n}", "request_created_at": stamp(t),
            "request_user_id": "user-1", "provider": "ANTHROPIC",
            "request_model": "claude-haiku-4-5-20251001" if mini else "claude-sonnet-4-5-20250929",
            "delay_ms": 1800, "time_to_first_token": 400,
            "total_tokens": uncached + output,
            "prompt_tokens": uncached, "completion_tokens": output,
            "prompt_cache_read_tokens": read, "prompt_cache_write_tokens": write,
            "cost": 0.001,
            "cache_reference_id": "5f1c2a4e-0000-4000-8000-000000000001" if n == 88 else "00000000-0000-0000-0000-000000000000",
            "cache_enabled": False,
        })
    write_gz("helicone-requests.json.gz", json.dumps({"data": rows, "error": None}) + "\n")


def langfuse():
    lines = []
    for n, t, mini, uncached, read, write, output in requests_stream():
        details = {"input": uncached, "output": output, "total": uncached + read + output}
        if read:
            details["input_cached_tokens"] = read
        lines.append(json.dumps({
            "id": f"obs-{n}", "traceId": f"trace-{n}", "startTime": stamp(t),
            "endTime": stamp(t + 2), "projectId": "proj-1", "type": "GENERATION",
            "name": "chat", "model": "gpt-4.1-mini" if mini else "gpt-4.1",
            "usageDetails": details, "inputUsage": uncached + read, "outputUsage": output,
            "totalUsage": uncached + read + output, "totalCost": 0.001,
        }))
        if n % 10 == 0:
            lines.append(json.dumps({
                "id": f"span-{n}", "traceId": f"trace-{n}", "startTime": stamp(t),
                "type": "SPAN", "name": "handle", "model": None, "usageDetails": {},
                "inputUsage": 0, "outputUsage": 0, "totalUsage": 0,
            }))
    write_gz("langfuse-observations.jsonl.gz", "\n".join(lines) + "\n")


def openrouter_generations():
    lines = []
    for n, t, mini, uncached, read, write, output in requests_stream():
        lines.append(json.dumps({"data": {
            "id": f"gen-{1785715200 + n}-example", "created_at": stamp(t, micro=True),
            "model": "meta-llama/llama-3.3-70b-instruct" if mini else "openai/gpt-4.1",
            "provider_name": "Example", "streamed": True, "cancelled": False,
            "tokens_prompt": uncached + read, "tokens_completion": output,
            "native_tokens_prompt": uncached + read, "native_tokens_completion": output,
            "native_tokens_cached": read, "native_tokens_reasoning": 0,
            "total_cost": 0.001, "latency": 2000, "generation_time": 1500,
            "finish_reason": "stop",
        }}))
    write_gz("openrouter-generations.jsonl.gz", "\n".join(lines) + "\n")


def ccusage():
    import datetime
    daily = []
    for d in range(28):
        day = (datetime.date(2026, 8, 3) + datetime.timedelta(days=d)).isoformat()
        weekday = d % 7 < 5
        scale = 3 if weekday else 1
        models = [
            {"modelName": "claude-sonnet-4-5-20250929", "inputTokens": 2000 * scale,
             "outputTokens": 40000 * scale, "cacheCreationTokens": 90000 * scale,
             "cacheReadTokens": (1200000 + 10000 * d) * scale, "cost": 4.0},
            {"modelName": "claude-haiku-4-5-20251001", "inputTokens": 300 * scale,
             "outputTokens": 2000 * scale, "cacheCreationTokens": 5000 * scale,
             "cacheReadTokens": 3000 * scale, "cost": 0.1},
        ]
        tot = {k: sum(m[k] for m in models) for k in ("inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens")}
        daily.append({"date": day, **tot, "totalTokens": sum(tot.values()), "totalCost": 4.1,
                      "modelsUsed": [m["modelName"] for m in models], "modelBreakdowns": models})
    totals = {k: sum(r[k] for r in daily) for k in ("inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "totalTokens", "totalCost")}
    with open(os.path.join(OUT, "ccusage-daily.json"), "w") as f:
        json.dump({"daily": daily, "totals": totals}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    helicone()
    langfuse()
    openrouter_generations()
    ccusage()
    openai()
    anthropic()
    litellm()
    openrouter()
