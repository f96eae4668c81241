#!/usr/bin/env python3
"""Regenerates docs/report.schema.json from the JSON llm-decide really prints.

    scripts/schema.py            (from the project root; builds the release binary first)

It runs the binary over the commands in tests/data/schema-runs.txt (every document kind,
every option kind, checks, remedies, notes, hybrids, owned and rented GPUs), infers the shape of every object
from what it printed, and writes a strict schema: every object lists its fields, requires the
ones always present and allows no others (`additionalProperties: false`), so a renamed or
dropped field fails validation. Shapes that recur (a latency estimate, a cost line, a check)
become shared definitions. The curated parts live below: which fields are integers, which may
be null though the runs never printed a value, the enums (choices, codes) and descriptions.
tests/schema.rs validates real output against the result with the `jsonschema` crate.
"""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "llm-decide")

RUNS_FILE = os.path.join(ROOT, "tests", "data", "schema-runs.txt")


def runs():
    with open(RUNS_FILE) as f:
        return [line.split() for line in f if line.strip() and not line.startswith("#")]


# Which top-level document a run printed, by a key only it has.
def kind(doc):
    if "error" in doc:
        return "error"
    if "flipped" in doc:
        return "diff"
    if "options" in doc:
        return "decision"
    if "passed" in doc and "scenarios" in doc:
        return "check"
    if "scenarios" in doc and isinstance(doc["scenarios"], list) and doc["scenarios"] and "options" in doc["scenarios"][0]:
        return "compare"
    if "by_tensor_parallel" in doc:
        return "capacity"
    if "tpot_error_fitted" in doc:
        return "calibration"
    if "period" in doc and "cached_share" in doc:
        return "usage"
    if "log_scale" in doc:
        return "crossover"
    if "valid" in doc:
        return "validation"
    if "new_providers" in doc:
        return "import"
    if "apis_unchanged" in doc:
        return "pricing_diff"
    for k in ["apis", "setups", "gpus", "offers", "models", "scenarios"]:
        if k in doc:
            return "list_" + k
    raise SystemExit(f"unknown document with keys {sorted(doc)}")

# Objects found at these key paths (a path is keys joined by '.', '[]' for list items) are
# shared definitions.
SHARED = {
    "latency": ["*.api.latency", "*.self_host.latency", "*.deployment.latency", "*.hybrid[].latency"],
    "cost_line": ["*.unit_costs[]", "*.fixed_costs[]", "*.lines[]", "*.personnel[]"],
    "check_result": ["checks[]", "*.checks[]", "gates[]"],
    "deployment": ["options.self_host.deployment", "*.remedies[].deployment"],
    "pricing_stamp": ["pricing"],
    "workload": ["workload"],
    "tool": ["tool"],
    "catalog_file": ["*.files[]"],
    "input_file": ["inputs[]"],
    "volume_row": ["volume_table[]", "rows[]"],
    "crossover_point": ["crossover"],
    "gpu_price": ["*.price", "*.cheapest", "*.prices[]"],
}

# Numeric fields that are whole numbers.
INTEGERS = {
    "schema_version", "units", "spare_units", "replicas", "spare_replicas", "gpus", "batch",
    "max_batch", "tensor_parallel", "servers", "evaluated", "configurations", "self_host_units",
    "month", "months", "draws", "seed", "crossover_month", "start_planning_month",
    "ready_to_switch_month", "horizon_months", "layers", "kv_heads", "attention_heads",
    "head_dim", "hidden_size", "gpus_per_unit",
}

# Fields that may be null though the runs above never printed null, and fields that may hold
# a value though the runs never printed one (Option<T> in the code).
NULLABLE = {
    "prefill_layer_overhead_us": "number", "prefill_wait_steps": "number",
    "frontier_id": "string", "setup": "string", "gpu": "string", "pattern": "string",
    "score": "number", "note": "string", "instance": "string", "description": "string",
    "checked": "string", "crossover_tokens_per_month": "number", "tokens_per_month": "number",
    "units": "integer", "monthly_cost_usd": "number", "stable_from_tokens_per_month": "number",
    "hybrid_usd": "number", "hybrid_pattern": "string", "crossover_month": "integer",
    "start_planning_month": "integer", "ready_to_switch_month": "integer",
    "flips_at": "number", "crossover_low_tokens": "number", "crossover_high_tokens": "number",
    "start_planning_tokens_per_month": "number", "ready_to_switch_tokens_per_month": "number",
    "tpot_ms": "number", "e2e_p50_ms": "number", "e2e_p95_ms": "number",
    "target_estimate_ms": "number", "meets_target": "boolean", "points": "number",
    "favors": "string", "actual": None, "deployment": "object", "search": "object",
    "latency": "object", "team": "object", "hiring_usd_per_month": "number",
    "missing_ml_engineers": "number", "missing_devops": "number", "message": "string",
    "needed": "object", "gpu_cost": "object", "gpu_cost_problem": "string",
    "max_batch": "integer", "max_output_tokens_per_s": "number",
    "single_stream_output_tokens_per_s": "number", "prefill_tokens_per_s": "number",
    "ttft_ms": "number", "tokens_per_month_at_target_utilization": "number", "enough": "boolean",
    "cheapest": "object", "price": "object", "owned": "object", "oldest_checked": "string",
    "oldest_price_checked": "string", "api_price_decline_yearly": "number", "budget": "object",
    "request": "object", "cached_input_usd_per_mtok": "number", "batch_discount": "number",
    "context_tokens": "number", "long_context": "object", "deprecation_date": "string",
    "fp8_tflops": "number", "fp4_tflops": "number", "int8_tops": "number", "power_w": "number",
    "measured_bf16_tflops": "number", "measured_fp8_tflops": "number", "compliance_source": "string",
    "capacity_note": "string", "expect": "string", "max_monthly_cost_usd": "number",
    "max_cost_per_mtok_usd": "number", "max_latency_ms": "number", "max_price_age_days": "number",
    "base_usd": "number", "head_usd": "number", "delta_usd": "number", "delta_share": "number",
    "base_label": "string", "head_label": "string", "crossover_delta_tokens_per_month": "number",
    "engine": "string", "hosting": "string", "model": "string", "precision": "string",
    "price_kind": "string", "tp": "integer", "base_crossover_tokens": "number",
    "amortized_usd_per_month": "number", "purchase_usd": "number", "hipaa_baa": "boolean",
    "soc2": "boolean", "iso27001": "boolean", "gdpr_dpa": "boolean", "zero_retention": "boolean",
    "frontier_api": "string", "horizon_months": "integer", "seed": "integer",
    "last_modified": "string", "refreshes": "string", "regional_endpoints": "boolean",
    "capability": "object", "payback_month": "integer", "hardware_payback_month": "integer",
}

CHOICE = ["api", "self-host", "hybrid"]
PATTERN = ["complexity", "sensitivity", "dev-prod", "burst"]
CHECKS = ["max_monthly_cost_usd", "max_cost_per_mtok_usd", "max_latency_ms", "expect",
          "max_price_age_days", "fail_on_flip", "max_increase", "alert_at"]
ENUMS = {
    "choice": CHOICE,
    "pattern": PATTERN,
    "favors": CHOICE,
    "winner": ["api", "self-host", "tie"],
    "rule": ["privacy", "capability", "latency", "cost", "team", "stage", "time-to-market",
             "fine-tuning", "always-on", "hybrid", "score", "conflict"],
    "hosting": ["cloud", "owned"],
    "price_kind": ["on-demand", "reserved-1y", "reserved-3y", "spot"],
    "class": ["hyperscaler", "specialist", "marketplace"],
    "tier": ["frontier", "strong", "standard", "small"],
    "api_tier": ["frontier", "strong", "standard", "small"],
    "model_tier": ["frontier", "strong", "standard", "small"],
    "matched": ["at_least", "strongest", "named", "changed"],
    "metric": ["ttft", "tpot", "e2e"],
    "percentile": ["p50", "p95", "p99"],
    "level": ["public", "standard", "confidential", "regulated", "restricted"],
    "shape": ["steady", "business-hours", "spiky", "profile"],
    "phase": ["experimenting", "production"],
    "time_to_market": ["relaxed", "normal", "critical"],
    "readiness": ["unknown", "ready", "can-hire", "cannot-run"],
    "side": ["api", "self-host"],
    "bound": ["compute", "memory"],
    "dated_by": ["as_of", "last_modified", "fetched"],
    "tenancy": ["dedicated", "bare-metal", "shared", "marketplace"],
    "lever": ["api_price", "gpu_price", "utilization", "throughput", "personnel", "input_share",
              "volume"],
}
# Enums by path suffix (the last keys of the path).
PATH_ENUMS = {
    "recommendation.reasons[].code": [
        "privacy_blocked", "privacy_allowed", "frontier_share", "latency", "cost_roughly_equal",
        "cost_api_cheaper", "cost_self_host_cheaper", "hybrid_only_feasible",
        "hybrid_beats_only_feasible", "hybrid_beats_cheapest", "team_unknown", "team_ready",
        "team_can_hire", "team_cannot_run", "stage_experimenting", "time_to_market_critical",
        "fine_tuning", "always_on", "score", "score_team_cannot_run", "conflict_privacy",
        "conflict_capability", "conflict_latency", "conflict_context", "tier_mismatch_named",
        "tier_gap", "tier_gap_changed", "tier_above", "serverless_baseline"],
    "blocker_codes[]": ["privacy_third_party", "privacy_compliance", "api_latency",
                        "self_host_latency", "frontier_capability", "no_deployment", "api_context"],
    "rejections[].code": ["does_not_fit", "no_cloud_price", "no_owned_cost", "misses_latency",
                          "too_few_gpus", "too_many_replicas", "exceeds_context",
                          "excluded_by_privacy"],
    "alternatives[].why_not_code": ["ruled_out", "costs_more", "other_criteria", "saving_inside_band"],
    "self_host.kind": ["sized", "setup", "given"],
    "revisit.code": ["watch_api_bill", "below_crossover", "above_crossover", "never_cheaper"],
    "remedies[].code": ["more_tensor_parallelism", "other_gpu", "gpu_count", "other_precision",
                        "other_hosting", "lower_utilization", "smaller_model"],
    "apis[].change": ["changed", "added", "removed"],
    "gpus[].change": ["changed", "added", "removed"],
    "offers[].kind": ["on-demand", "reserved-1y", "reserved-3y", "spot"],
    "recommendation.choice": CHOICE,
    "recommendation.pattern": PATTERN + [None],
    "alternatives[].choice": CHOICE,
    "excluded_offers[].missing[]": ["soc2", "hipaa_baa", "iso27001", "zero_retention",
                                    "regional_endpoints"],
}

DESCRIPTIONS = {
    "decision": "One decision (`llm-decide --format json`).",
    "error": "Bad input (exit status 2) under `--format json`: each problem with its source (a file or flag; null for a computation the input made impossible), line, column and field where known, message and fix.",
    "compare": "Scenarios side by side (`llm-decide compare --format json`).",
    "check": "Scenario files checked against budgets (`llm-decide check --format json`).",
    "diff": "Two runs compared (`llm-decide diff --format json`).",
    "capacity": "A deployment sized on its own (`llm-decide capacity --format json`).",
    "usage": "API usage exports summarized (`llm-decide usage --format json`): the period, tokens a month, input, cached and output shares, requests, request-length percentiles, the hourly shape, growth, the model mix mapped to catalog APIs, the figures the export cannot give with the reason, the rows skipped (unreadable) and those excluded by design (failed requests, proxy cache hits).",
    "calibration": "The engine's constants fitted to a benchmark of your deployment (`llm-decide calibrate --format json`): each constant fitted or kept with the reason, each run measured against the estimates at the published and fitted constants, and the pricing entry written.",
    "crossover": "Both sides' cost over a sweep of volumes (`llm-decide crossover --format json`).",
    "validation": "Files `llm-decide validate` found valid.",
    "import": "LiteLLM's price list converted (`llm-decide pricing import-litellm --format json`).",
    "pricing_diff": "Two pricing catalogs compared (`llm-decide pricing diff --format json`): API price moves, APIs and GPUs added and removed, GPU cheapest-price moves.",
    "latency": "A side's latency: the parts of the time to first token, time per output token, end-to-end time, and the verdict against the target (null: no target, or a lower bound that does not settle it).",
    "cost_line": "One line of a cost build-up: what it pays for, USD a month, and how it was worked out.",
    "check_result": "A check or gate: its limit, the actual value (null when unknown), whether it passed, its stable code and its message.",
    "reason_code": "Stable machine code of a reason; `message` is its sentence.",
}


def type_of(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


class Node:
    """What was seen at one path: types, object fields (and how often), list items."""

    def __init__(self):
        self.types = set()
        self.seen = 0
        self.objects = 0
        self.fields = {}
        self.field_counts = {}
        self.items = None
        self.values = set()

    def add(self, v):
        self.seen += 1
        t = type_of(v)
        self.types.add(t)
        if t == "object":
            self.objects += 1
            for k, x in v.items():
                self.fields.setdefault(k, Node()).add(x)
                self.field_counts[k] = self.field_counts.get(k, 0) + 1
        elif t == "array":
            self.items = self.items or Node()
            for x in v:
                self.items.add(x)
        elif t == "string" and len(self.values) < 50:
            self.values.add(v)


def matches(path, pattern):
    if pattern.startswith("*."):
        suffix = pattern[2:]
        return path == suffix or path.endswith("." + suffix)
    return path == pattern


# Shared definitions that only some documents use (elsewhere the same key has another shape).
SHARED_KINDS = {"pricing_stamp": {"decision", "crossover"}}
current_kind = None


def shared_name(path):
    for name, patterns in SHARED.items():
        if name in SHARED_KINDS and current_kind not in SHARED_KINDS[name]:
            continue
        if any(matches(path, p) for p in patterns):
            return name
    return None


def path_enum(path, key):
    for suffix, values in PATH_ENUMS.items():
        if path == suffix or path.endswith("." + suffix):
            return values
    return None


defs = {}


def schema(node, path, key, top=False):
    """The schema of what was seen at `path` (`key` is its last key)."""
    name = None if top else shared_name(path)
    if name and name != "check_result":
        inner = build(node, path, key)
        merge_def(name, inner)
        ref = {"$ref": f"#/$defs/{name}"}
        return nullable(ref, node, key)
    if name == "check_result":
        merge_def(name, build(node, "check_result", key))
        return {"$ref": "#/$defs/check_result"}
    return nullable(build(node, path, key), node, key)


def nullable(s, node, key):
    if "null" in node.types and not ("type" in s and "null" in s["type"]) and "$ref" in s:
        return {"anyOf": [s, {"type": "null"}]}
    return s


def build(node, path, key):
    types = sorted(node.types - {"null"})
    null = "null" in node.types or (key in NULLABLE)
    if types == ["object"]:
        props = {}
        required = []
        for k, child in sorted(node.fields.items()):
            props[k] = schema(child, f"{path}.{k}" if path else k, k)
            if node.field_counts[k] == node.objects:
                required.append(k)
        s = {"type": "object", "properties": props, "required": required,
             "additionalProperties": False}
        if null:
            s["type"] = ["object", "null"]
        return s
    if types == ["array"]:
        s = {"type": "array"}
        if node.items and node.items.types:
            s["items"] = schema(node.items, path + "[]", key)
        if null:
            s["type"] = ["array", "null"]
        return s
    if not types:
        # Only ever null in the runs: the type the code gives it.
        t = NULLABLE.get(key)
        if t is None:
            return {}
        if t == "object":
            return {"type": ["object", "null"]}
        return {"type": [t, "null"]}
    if types == ["number"]:
        t = "integer" if key in INTEGERS else "number"
        s = {"type": [t, "null"] if null else t}
        if key in ("sha256",):
            pass
        return s
    if types == ["string"]:
        s = {"type": ["string", "null"] if null else "string"}
        e = path_enum(path, key) or (ENUMS.get(key) if key in ENUMS else None)
        if e:
            s = {"enum": e + ([None] if null and None not in e else [])}
        elif key == "sha256":
            s["pattern"] = "^[0-9a-f]{64}$"
        elif key in ("checked", "oldest_checked", "oldest_price_checked") and "string" in types:
            s["pattern"] = r"^\d{4}-\d{2}-\d{2}$"
        return s
    if types == ["boolean"]:
        return {"type": ["boolean", "null"] if null else "boolean"}
    # Mixed types (a check's limit: a number or a recommendation).
    t = ["integer" if x == "number" and key in INTEGERS else x for x in types]
    return {"type": t + (["null"] if null else [])}


def merge(a, b):
    """A schema that accepts what either accepts (for shared definitions seen in several
    places): the union of properties, required only where required in both."""
    if a == b:
        return a
    if a.get("type") in ("object", ["object", "null"]) and b.get("type") in ("object", ["object", "null"]):
        props = dict(a.get("properties", {}))
        for k, v in b.get("properties", {}).items():
            props[k] = merge(props[k], v) if k in props else v
        required = [k for k in a.get("required", []) if k in b.get("required", [])]
        t = a["type"] if a["type"] == b["type"] else ["object", "null"]
        return {"type": t, "properties": dict(sorted(props.items())), "required": required,
                "additionalProperties": False}
    if "type" in a and "type" in b:
        ta = a["type"] if isinstance(a["type"], list) else [a["type"]]
        tb = b["type"] if isinstance(b["type"], list) else [b["type"]]
        t = sorted(set(ta) | set(tb))
        if "integer" in t and "number" in t:
            t.remove("integer")
        out = dict(a)
        out.update({k: v for k, v in b.items() if k not in out})
        out["type"] = t if len(t) > 1 else t[0]
        if "items" in a and "items" in b:
            out["items"] = merge(a["items"], b["items"])
        return out
    if "$ref" in a and "$ref" in b and a == b:
        return a
    return {"anyOf": [a, b]}


def merge_def(name, s):
    defs[name] = merge(defs[name], s) if name in defs else s


def main():
    env = dict(os.environ, SOURCE_DATE_EPOCH="1795780800")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    roots = {}
    for args in runs():
        out = subprocess.run([BIN, *args, "--format", "json"], cwd=ROOT, env=env,
                             capture_output=True, check=False)
        doc = json.loads(out.stdout) if out.stdout else {}
        if out.returncode > 1 and "error" not in doc:
            raise SystemExit(f"{args}: {out.stderr.decode()}")
        k = kind(doc)
        roots.setdefault(k, Node()).add(doc)
        if k == "compare":
            roots.setdefault("decision", Node())
            for d in doc["scenarios"]:
                roots["decision"].add(d)
    documents = {}
    global current_kind
    for k in sorted(roots):
        if k == "compare":
            continue
        current_kind = k
        documents[k] = build(roots[k], "", "")
    current_kind = "compare"
    compare = build(roots["compare"], "compare", "")
    compare["properties"]["scenarios"] = {"type": "array", "items": {"$ref": "#/$defs/decision"}}
    documents["compare"] = compare
    # Every document may say where its defaults came from (a project settings file, the
    # pricing path in LLM_DECIDE_PRICING) and the currency its human-readable reports show;
    # present only when any was used.
    defs["settings"] = {
        "type": "object",
        "description": "Defaults beyond the flags: the project settings file used (.llm-decide.yaml), the pricing path taken from LLM_DECIDE_PRICING, and the currency the table, Markdown and HTML reports show amounts in (every amount in this document stays in USD). Present only when any was used.",
        "properties": {
            "config": {"anyOf": [{"type": "null"}, {
                "type": "object",
                "properties": {"file": {"type": "string"}, "sha256": {"type": "string"}},
                "required": ["file", "sha256"],
                "additionalProperties": False,
            }]},
            "pricing_env": {"type": ["string", "null"]},
            "currency": {"anyOf": [{"type": "null"}, {
                "type": "object",
                "description": "The currency the human-readable reports convert amounts to: its ISO 4217 code, units of it per USD, the day the rate is of (null: undated) and where the rate came from (--fx, or the settings file).",
                "properties": {
                    "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
                    "per_usd": {"type": "number", "exclusiveMinimum": 0},
                    "as_of": {"type": ["string", "null"], "format": "date"},
                    "source": {"type": "string"},
                },
                "required": ["code", "per_usd", "as_of", "source"],
                "additionalProperties": False,
            }]},
        },
        "required": ["config", "pricing_env", "currency"],
        "additionalProperties": False,
    }
    for k, s in documents.items():
        if k in DESCRIPTIONS:
            s["description"] = DESCRIPTIONS[k]
        if "properties" in s:
            s["properties"]["settings"] = {"$ref": "#/$defs/settings"}
            s["properties"] = dict(sorted(s["properties"].items()))
        defs[k] = s
    for name in ("latency", "cost_line", "check_result"):
        if name in defs and name in DESCRIPTIONS:
            defs[name]["description"] = DESCRIPTIONS[name]
    for e in ("code", "name"):
        if e in defs["check_result"]["properties"]:
            defs["check_result"]["properties"][e] = {"enum": CHECKS}
    out = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/llm-decide/llm-decide/docs/report.schema.json",
        "title": "llm-decide JSON output (schema_version 1)",
        "description": (
            "Every JSON document llm-decide prints: a decision, compare, check, diff, capacity, "
            "calibration, usage, crossover, list, validate and the LiteLLM import. Strict: every object lists its "
            "fields and allows no others, so a renamed field fails. Money is USD (keys ending "
            "_usd, rounded to cents; per-1M-token prices to 6 places), durations ms, volumes "
            "tokens per month, shares 0..1. Reasons, blockers, rejections, alternatives, the "
            "revisit advice, remedies and checks carry a stable `code` next to their `message`. "
            "How the schema version moves: docs/json-contract.md."
        ),
        "anyOf": [{"$ref": f"#/$defs/{k}"} for k in sorted(documents)],
        "$defs": dict(sorted(defs.items())),
    }
    path = os.path.join(ROOT, "docs", "report.schema.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(f"wrote {path}: {len(documents)} documents, {len(defs)} definitions")


if __name__ == "__main__":
    sys.exit(main())
