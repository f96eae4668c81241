//! The CSV renderer: one flat table per document, a header row then one row per item, with
//! plain numbers (no currency signs or separators) so spreadsheets read them as numbers.

use super::json;
use crate::model::decision::Choice;
use crate::report::{Document, Listing};
use serde_json::Value;

/// Renders a document as CSV (RFC 4180: comma-separated, CRLF-free, quoted when needed).
pub fn render(doc: &Document) -> String {
    let (header, rows) = match doc {
        Document::Decision(r) => decision_rows(std::slice::from_ref(&**r)),
        // The reports' rows are written one report at a time (`report::item`).
        Document::Compare(_) => decision_rows(&[]),
        Document::Check(c) => check(&c.scenarios),
        Document::Diff(d) => diff(d),
        Document::List(l) => {
            let items = match l {
                Listing::Apis(x) => serde_json::to_value(x),
                Listing::Setups(x) => serde_json::to_value(x),
                Listing::Gpus(x) => serde_json::to_value(x),
                Listing::Offers(x) => serde_json::to_value(x),
                Listing::Models(x) => serde_json::to_value(x),
                Listing::Scenarios(x) => serde_json::to_value(x),
            }
            .unwrap_or(Value::Null);
            flat_rows(items.as_array().map_or(&[][..], Vec::as_slice))
        }
        Document::Text(t) => return t.clone(),
        Document::Crossover(s) => {
            let v = json::normalized(serde_json::to_value(&s.rows).unwrap_or(Value::Null));
            flat_rows(v.as_array().map_or(&[][..], Vec::as_slice))
        }
        Document::Validation(v) => {
            let rows = v
                .iter()
                .map(|x| vec![x.file.clone(), x.kind.to_string(), x.summary.clone()])
                .collect();
            (strings(&["file", "kind", "summary"]), rows)
        }
        Document::Import(i) => {
            let v = json::normalized(serde_json::to_value(&i.apis).unwrap_or(Value::Null));
            flat_rows(v.as_array().map_or(&[][..], Vec::as_slice))
        }
        Document::PricingDiff(d) => pricing_diff(&d.diff),
        Document::Capacity(c) => {
            let v = json::normalized(json::capacity(c));
            flat_rows(std::slice::from_ref(&v))
        }
        Document::Usage(u) => {
            let v =
                json::normalized(serde_json::to_value(&u.summary.models).unwrap_or(Value::Null));
            flat_rows(v.as_array().map_or(&[][..], Vec::as_slice))
        }
        Document::Calibration(c) => {
            let v =
                json::normalized(serde_json::to_value(&c.calibrated.runs).unwrap_or(Value::Null));
            flat_rows(v.as_array().map_or(&[][..], Vec::as_slice))
        }
    };
    let mut out = line(&header);
    for r in &rows {
        out.push_str(&line(r));
    }
    out
}

type Rows = (Vec<String>, Vec<Vec<String>>);

/// A scenario's rows in `compare`'s CSV, without the header.
pub fn report_rows(r: &crate::report::Report) -> String {
    decision_rows(std::slice::from_ref(r))
        .1
        .iter()
        .map(|r| line(r))
        .collect()
}

/// A checked file's rows in `check`'s CSV, without the header.
pub fn checked_rows(c: &crate::report::Checked) -> String {
    check(std::slice::from_ref(c))
        .1
        .iter()
        .map(|r| line(r))
        .collect()
}

/// A row per changed API, then per changed GPU: what, how, the figure before and after, and
/// the relative move, rounded as the JSON is.
fn pricing_diff(d: &crate::engine::pricing_diff::PricingDiff) -> Rows {
    use crate::model::Named as _;
    let row = |kind: &str, id: &str, change: &str, before, after, share| {
        serde_json::json!({
            "kind": kind, "id": id, "change": change,
            "before": before, "after": after, "change_share": share,
        })
    };
    let mut rows: Vec<Value> = d
        .apis
        .iter()
        .map(|a| {
            row(
                "api_blended_usd_per_mtok",
                &a.id,
                a.change.id(),
                a.old.as_ref().map(|p| p.blended_usd_per_mtok),
                a.new.as_ref().map(|p| p.blended_usd_per_mtok),
                a.blended_change_share,
            )
        })
        .collect();
    rows.extend(d.gpus.iter().map(|g| {
        row(
            "gpu_cheapest_usd_per_gpu_hour",
            &g.id,
            g.change.id(),
            g.old.as_ref().and_then(|s| s.cheapest_usd_per_gpu_hour),
            g.new.as_ref().and_then(|s| s.cheapest_usd_per_gpu_hour),
            g.cheapest_change_share,
        )
    }));
    let v = json::normalized(Value::Array(rows));
    flat_rows(v.as_array().map_or(&[][..], Vec::as_slice))
}

/// A row per check of each scenario file (a row with no check for a file without any).
fn check(scenarios: &[crate::report::Checked]) -> Rows {
    let header = [
        "file",
        "name",
        "tokens_per_month",
        "recommendation",
        "monthly_cost_usd",
        "check",
        "limit",
        "actual",
        "passed",
    ];
    let mut rows = Vec::new();
    for s in scenarios {
        let lead = vec![
            s.file.clone(),
            s.name.clone(),
            num(s.tokens_per_month),
            crate::report::words::choice(s.choice, s.pattern),
            num(s.monthly_cost_usd),
        ];
        if s.checks.is_empty() {
            let mut row = lead.clone();
            row.extend([
                String::new(),
                String::new(),
                String::new(),
                s.passed.to_string(),
            ]);
            rows.push(row);
        }
        for x in &s.checks {
            let mut row = lead.clone();
            row.extend([
                crate::model::Named::id(x.name).to_string(),
                figure(Some(&x.limit)),
                figure(x.actual.as_ref()),
                x.passed.to_string(),
            ]);
            rows.push(row);
        }
    }
    (strings(&header), rows)
}

/// A row per option, the recommended first.
fn diff(d: &crate::engine::decision::diff::Diff) -> Rows {
    let header = [
        "option",
        "base_label",
        "head_label",
        "base_usd",
        "head_usd",
        "delta_usd",
        "delta_share",
    ];
    let opt = |v: Option<f64>| v.map_or(String::new(), num);
    let rows = std::iter::once(&d.recommended)
        .chain(&d.options)
        .map(|o| {
            vec![
                o.key.clone(),
                o.base_label.clone().unwrap_or_default(),
                o.head_label.clone().unwrap_or_default(),
                opt(o.base_usd),
                opt(o.head_usd),
                opt(o.delta_usd),
                opt(o.delta_share),
            ]
        })
        .collect();
    (strings(&header), rows)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_string()).collect()
}

/// One row per option of each report.
fn decision_rows(reports: &[crate::report::Report]) -> (Vec<String>, Vec<Vec<String>>) {
    let header = [
        "scenario",
        "tokens_per_month",
        "option",
        "what",
        "monthly_cost_usd",
        "usd_per_mtok",
        "ttft_p95_ms",
        "feasible",
        "recommended",
    ];
    let mut rows = Vec::new();
    for r in reports {
        let a = &r.analysis;
        let tokens = a.workload.tokens_per_month;
        let rec = &a.recommendation;
        let per_mtok = |usd: f64| num(usd / tokens * 1e6);
        let mut push = |option: String,
                        what: String,
                        usd: f64,
                        ttft: Option<f64>,
                        feasible: bool,
                        recommended: bool| {
            rows.push(vec![
                a.workload.name.clone(),
                num(tokens),
                option,
                what,
                num(usd),
                per_mtok(usd),
                ttft.map_or(String::new(), num),
                feasible.to_string(),
                recommended.to_string(),
            ]);
        };
        push(
            "api".into(),
            a.api.id.clone(),
            a.api.cost.monthly_cost_usd,
            Some(a.api.latency.ttft_p95_ms),
            a.api.blockers.is_empty(),
            rec.choice == Choice::Api,
        );
        push(
            "self-host".into(),
            crate::report::words::cost::describe(&a.self_host),
            a.self_host.cost.monthly_cost_usd,
            Some(a.self_host.latency.ttft_p95_ms),
            a.self_host.blockers.is_empty(),
            rec.choice == Choice::SelfHost,
        );
        for h in &a.hybrids {
            use crate::model::Named;
            push(
                format!("hybrid:{}", h.pattern.id()),
                h.pattern.id().to_string(),
                h.monthly_cost_usd,
                h.latency.as_ref().map(|l| l.ttft_p95_ms),
                h.blockers.is_empty(),
                rec.choice == Choice::Hybrid && rec.pattern == Some(h.pattern),
            );
        }
    }
    (strings(&header), rows)
}

/// Objects flattened to dotted keys; the union of keys, in first-seen order, is the header.
fn flat_rows(items: &[Value]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = Vec::new();
    let mut flat: Vec<Vec<(String, String)>> = Vec::new();
    for item in items {
        let mut cells = Vec::new();
        flatten("", item, &mut cells);
        for (k, _) in &cells {
            if !header.contains(k) {
                header.push(k.clone());
            }
        }
        flat.push(cells);
    }
    let rows = flat
        .into_iter()
        .map(|cells| {
            header
                .iter()
                .map(|h| {
                    cells
                        .iter()
                        .find(|(k, _)| k == h)
                        .map_or(String::new(), |(_, v)| v.clone())
                })
                .collect()
        })
        .collect();
    (header, rows)
}

fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, x, out);
            }
        }
        // Lists of values join with ';'; lists of records stay JSON in one cell.
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            out.push((
                prefix.to_string(),
                items.iter().map(scalar).collect::<Vec<_>>().join(";"),
            ));
        }
        other => out.push((prefix.to_string(), scalar(other))),
    }
}

/// A check's limit or actual value as a plain cell (empty when unknown).
fn figure(v: Option<&crate::engine::decision::check::Figure>) -> String {
    use crate::engine::decision::check::Figure;
    match v {
        Some(Figure::Number(x)) => scalar(&serde_json::json!(x)),
        Some(Figure::Choice(c)) => c.clone(),
        None => String::new(),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) if n.is_f64() => num(n.as_f64().unwrap_or(0.0)),
        other => other.to_string(),
    }
}

fn num(x: f64) -> String {
    let rounded = (x * 1e6).round() / 1e6;
    format!("{rounded}")
}

fn line(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            let c = super::escape::csv_cell(c);
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c
            }
        })
        .collect();
    format!("{}\n", quoted.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_only_when_needed() {
        assert_eq!(
            line(&["a".into(), "b,c".into(), "say \"hi\"".into()]),
            "a,\"b,c\",\"say \"\"hi\"\"\"\n"
        );
    }

    #[test]
    fn records_flatten_to_dotted_columns() {
        let items = vec![
            serde_json::json!({"id": "x", "price": {"input": 1.5}, "tags": ["a", "b"]}),
            serde_json::json!({"id": "y", "extra": null}),
        ];
        let (header, rows) = flat_rows(&items);
        assert_eq!(header, ["id", "price.input", "tags", "extra"]);
        assert_eq!(rows, [vec!["x", "1.5", "a;b", ""], vec!["y", "", "", ""]]);
    }
}
