//! The catalog and single-shot documents as blocks: `list`, `capacity`, `validate` and the
//! `LiteLLM` import's summary.

use super::{Block, Grid, View};
use crate::engine::serving::capacity::{Capacity, GpuSplit, Point};
use crate::model::Named;
use crate::model::catalog::hardware::{OpenModel, OwnedCost};
use crate::model::catalog::{ApiModel, Import, Setup};
use crate::model::units::{fmt_ms, fmt_share, fmt_tokens, fmt_usd, fmt_usd_per_mtok, shown_amount};
use crate::report::chart::{Axis, Chart, Series};
use crate::report::{GpuEntry, Listing, OfferEntry, ScenarioEntry, Validated, words};

/// A catalog listing: one table.
pub fn list(l: &Listing) -> View {
    let (kind, grid) = match l {
        Listing::Apis(x) => ("apis", apis(x)),
        Listing::Setups(x) => ("setups", setups(x)),
        Listing::Gpus(x) => ("gpus", gpus(x)),
        Listing::Offers(x) => ("offers", offers(x)),
        Listing::Models(x) => ("models", models(x)),
        Listing::Scenarios(x) => ("scenarios", scenarios(x)),
    };
    View {
        title: format!("llm-decide list {kind}"),
        blocks: vec![Block::Table(grid)],
    }
}

fn rate(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{x:.0}"))
}

fn apis(apis: &[ApiModel]) -> Grid {
    Grid::with_rows(
        &[
            "Id",
            "Provider",
            "Tier",
            "Input $/1M",
            "Output $/1M",
            "Cached $/1M",
            "Latency (measured)",
            "Checked",
            "Source",
        ],
        &[3, 4, 5],
        apis.iter()
            .map(|a| {
                vec![
                    a.id.clone(),
                    a.provider.clone(),
                    a.tier.id().to_string(),
                    fmt_usd_per_mtok(a.input_usd_per_mtok),
                    fmt_usd_per_mtok(a.output_usd_per_mtok),
                    a.cached_input_usd_per_mtok
                        .map_or("-".into(), fmt_usd_per_mtok),
                    a.latency.as_ref().map_or("not measured".into(), |l| {
                        format!(
                            "{} TTFT, {:.0} tok/s ({})",
                            fmt_ms(l.ttft_ms),
                            l.output_tokens_per_s,
                            l.provenance.checked.map_or("-".into(), |d| d.to_string())
                        )
                    }),
                    a.provenance.checked.map_or("-".into(), |d| d.to_string()),
                    a.provenance.source.clone(),
                ]
            })
            .collect(),
    )
}

fn setups(setups: &[Setup]) -> Grid {
    Grid::with_rows(
        &[
            "Id",
            "Name",
            "Kind",
            "Unit cost/month",
            "Tokens/month per unit",
            "Checked",
            "Source",
        ],
        &[3, 4],
        setups
            .iter()
            .map(|s| {
                vec![
                    s.id.clone(),
                    s.name.clone(),
                    s.kind.id().to_string(),
                    fmt_usd(s.unit_usd_per_month()),
                    fmt_tokens(s.tokens_per_month_per_unit),
                    s.provenance.checked.map_or("-".into(), |d| d.to_string()),
                    s.provenance.source.clone(),
                ]
            })
            .collect(),
    )
}

fn gpus(gpus: &[GpuEntry]) -> Grid {
    Grid::with_rows(
        &[
            "Id",
            "Memory GB",
            "GB/s",
            "BF16 TFLOPS",
            "FP8 TFLOPS",
            "Watts",
            "Cheapest $/GPU-h",
            "Offer (checked)",
            "Purchase (checked)",
        ],
        &[1, 2, 3, 4, 5, 6],
        gpus.iter()
            .map(|e| {
                let g = &e.gpu;
                let opt = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{x}"));
                vec![
                    g.id.clone(),
                    format!("{}", g.memory_gb),
                    format!("{}", g.memory_bandwidth_gb_s),
                    format!("{}", g.bf16_tflops),
                    opt(g.fp8_tflops),
                    opt(g.power_w),
                    e.cheapest.as_ref().map_or("-".into(), |p| {
                        format!("{:.2}", shown_amount(p.usd_per_gpu_hour))
                    }),
                    e.cheapest
                        .as_ref()
                        .map_or("no price of this kind".into(), |p| {
                            format!("{} {} ({})", p.provider, p.kind.id(), p.checked)
                        }),
                    purchase(g.owned.as_ref()),
                ]
            })
            .collect(),
    )
}

/// A GPU's purchase price in a cell: the price and its date, "not sold alone", or "unknown".
fn purchase(owned: Option<&OwnedCost>) -> String {
    match owned {
        Some(o) if !o.sold => "not sold alone".into(),
        Some(OwnedCost {
            purchase_usd: Some(usd),
            checked,
            ..
        }) => format!(
            "{}{}",
            fmt_usd(*usd),
            checked.map_or_else(String::new, |d| format!(" ({d})"))
        ),
        Some(OwnedCost {
            amortized_usd_per_month: Some(usd),
            ..
        }) => format!("{} a month amortized", fmt_usd(*usd)),
        _ => "unknown".into(),
    }
}

/// Yes, no or unknown (not published), for an offer's attribute.
fn published(v: Option<bool>) -> String {
    match v {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => "unknown".into(),
    }
}

fn offers(offers: &[OfferEntry]) -> Grid {
    Grid::with_rows(
        &[
            "GPU",
            "Provider",
            "Kind",
            "$/GPU-h",
            "Unit (GPUs)",
            "Region",
            "Tenancy",
            "SOC 2",
            "HIPAA BAA",
            "ISO 27001",
            "Checked",
            "Source",
        ],
        &[3, 4],
        offers
            .iter()
            .map(|e| {
                let o = &e.offer;
                vec![
                    e.gpu.clone(),
                    o.provider.clone(),
                    o.kind.id().to_string(),
                    format!("{:.2}", shown_amount(o.usd_per_gpu_hour)),
                    o.gpus_per_unit
                        .map_or("not stated".into(), |n| n.to_string()),
                    o.region.clone().unwrap_or_else(|| "unknown".into()),
                    o.tenancy.map_or("unknown".into(), |t| t.id().to_string()),
                    published(o.compliance.soc2),
                    published(o.compliance.hipaa_baa),
                    published(o.compliance.iso27001),
                    o.checked.to_string(),
                    match &o.compliance_source {
                        Some(c) => format!("{}; compliance: {c}", o.source),
                        None => o.source.clone(),
                    },
                ]
            })
            .collect(),
    )
}

fn models(models: &[OpenModel]) -> Grid {
    Grid::with_rows(
        &[
            "Id",
            "Params B",
            "Active B",
            "Layers",
            "KV heads",
            "KV KB/token",
            "Context",
            "Tier",
        ],
        &[1, 2, 3, 4, 5, 6],
        models
            .iter()
            .map(|m| {
                vec![
                    m.id.clone(),
                    format!("{}", m.params_b),
                    // To hundredths of a billion, as the counts are given.
                    format!("{}", (m.active_params_b * 100.0).round() / 100.0),
                    m.layers.to_string(),
                    m.kv_heads.to_string(),
                    format!("{:.0}", m.kv_bytes_per_token(2.0) / 1000.0),
                    format!("{}", m.context_tokens),
                    m.tier.id().to_string(),
                ]
            })
            .collect(),
    )
}

fn scenarios(items: &[ScenarioEntry]) -> Grid {
    Grid::with_rows(
        &["File", "Name", "Tokens/month", "Description"],
        &[2],
        items
            .iter()
            .map(|s| {
                vec![
                    s.file.clone(),
                    s.name.clone(),
                    fmt_tokens(s.tokens_per_month),
                    s.description.clone(),
                ]
            })
            .collect(),
    )
}

/// A sized deployment's figures.
fn capacity_grid(c: &Capacity) -> Grid {
    let m = &c.memory_gb;
    Grid::with_rows(
        &["", "Value"],
        &[1],
        vec![
            vec![
                "Tensor parallel x replicas".into(),
                format!(
                    "{} x {}{}{}",
                    c.tensor_parallel,
                    c.replicas,
                    words::deployment::sharing(c.expert_parallel, c.attention),
                    if c.split == GpuSplit::Layers && c.tensor_parallel > 1 {
                        " (layers split across the GPUs: more memory, not more speed)"
                    } else {
                        ""
                    }
                ),
            ],
            vec![
                "Precision".into(),
                words::deployment::precision(&c.precision, c.native_precision),
            ],
            vec!["Weights per replica".into(), format!("{:.1} GB", m.weights)],
            vec![
                "KV cache per replica at the largest batch".into(),
                format!("{:.1} GB", m.kv_cache),
            ],
            vec![
                "KV cache precision".into(),
                words::deployment::kv_cache(c.kv_bytes_per_value, c.kv_paged),
            ],
            vec![
                "Overhead per replica".into(),
                format!("{:.1} GB", m.overhead),
            ],
            vec![
                "Available per replica (weights + KV)".into(),
                format!("{:.1} GB", m.available),
            ],
            vec![
                "Largest batch per replica".into(),
                c.max_batch.unwrap_or(0).to_string(),
            ],
            vec![
                "Output tokens/s, all GPUs".into(),
                rate(c.max_output_tokens_per_s),
            ],
            vec![
                "Single-stream tokens/s".into(),
                rate(c.single_stream_output_tokens_per_s),
            ],
            vec![
                "Prefill tokens/s per replica".into(),
                rate(c.prefill_tokens_per_s),
            ],
            vec![
                "Prefill launches outside CUDA graphs, a prompt".into(),
                c.prefill_launch_ms.map_or("-".into(), fmt_ms),
            ],
            vec![
                "TTFT at the largest batch (no queueing)".into(),
                c.ttft_ms.map_or("-".into(), fmt_ms),
            ],
            vec![
                "TPOT at the largest batch".into(),
                c.tpot_ms.map_or("-".into(), fmt_ms),
            ],
            vec![
                "Step at the largest batch".into(),
                c.step.as_ref().map_or("-".into(), words::deployment::step),
            ],
            vec![
                "Engine constants".into(),
                c.calibration
                    .as_ref()
                    .map_or_else(|| "published".into(), words::deployment::calibration),
            ],
            vec![
                format!(
                    "Tokens a month at {}% utilization",
                    c.target_utilization * 100.0
                ),
                c.tokens_per_month_at_target_utilization
                    .map_or("-".into(), fmt_tokens),
            ],
        ],
    )
}

/// One replica at numbers of running sequences: the curve serving benchmarks publish.
fn points_grid(points: &[Point]) -> Grid {
    Grid::with_rows(
        &[
            "Sequences",
            "TPOT",
            "TTFT (no queueing)",
            "Tokens/s per user",
            "Output tokens/s per GPU",
            "Output tokens/s a replica",
        ],
        &[0, 1, 2, 3, 4, 5],
        points
            .iter()
            .map(|p| {
                vec![
                    format!("{}", p.concurrency),
                    fmt_ms(p.tpot_ms),
                    fmt_ms(p.ttft_ms),
                    format!("{:.1}", p.tokens_per_s_per_user),
                    format!("{:.0}", p.output_tokens_per_s_per_gpu),
                    format!("{:.0}", p.output_tokens_per_s),
                ]
            })
            .collect(),
    )
}

/// The sweep as serving benchmarks draw it: output tokens a second per GPU (up) against tokens
/// a second each user sees (across).
fn sweep_chart(c: &Capacity) -> Block {
    let mut points: Vec<(f64, f64)> = c
        .sweep
        .iter()
        .map(|p| (p.tokens_per_s_per_user, p.output_tokens_per_s_per_gpu))
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    Block::Chart {
        chart: Chart {
            series: vec![Series {
                name: "output tokens/s per GPU".into(),
                points,
                glyph: '*',
                color: "#1f77b4",
            }],
            markers: Vec::new(),
            log_x: false,
            axes: (
                Axis::Number("tokens/s per user"),
                Axis::Number("output tokens/s per GPU"),
            ),
        },
        title: format!(
            "Output tokens/s per GPU against tokens/s per user: {} on {} x {}",
            c.model, c.tensor_parallel, c.gpu
        ),
    }
}

/// One deployment sized on its own; with a volume, what it needs.
pub fn capacity(c: &Capacity) -> View {
    let title = format!(
        "llm-decide capacity: {} in {} on {} x {} ({} engine), requests of {} + {} tokens",
        c.model, c.precision, c.gpus, c.gpu, c.engine, c.shape.input_tokens, c.shape.output_tokens
    );
    let mut out = vec![Block::Title(title.clone()), Block::Gap];
    if !c.fits {
        out.push(Block::Labeled {
            label: "Does not fit:".into(),
            text: format!(
                "{}.",
                c.message.as_ref().map(words::cost::fit).unwrap_or_default()
            ),
        });
        return View { title, blocks: out };
    }
    out.push(Block::Table(capacity_grid(c)));
    if let Some(p) = &c.at_concurrency {
        out.push(Block::Heading(format!(
            "At {} sequences a replica",
            p.concurrency
        )));
        out.push(Block::Table(points_grid(std::slice::from_ref(p))));
    }
    if !c.sweep.is_empty() {
        out.push(Block::Heading(
            "Throughput against speed per user, one replica".into(),
        ));
        out.push(Block::Table(points_grid(&c.sweep)));
        out.push(Block::Gap);
        out.push(sweep_chart(c));
    }
    if let Some(n) = &c.needed {
        let cost = match (&n.monthly_cost_usd, &n.gpu_cost_problem) {
            (Some(usd), _) => format!(", {} a month in GPUs (no personnel)", fmt_usd(*usd)),
            (None, Some(p)) => format!("; the GPUs cannot be priced: {}", words::cost::unpriced(p)),
            _ => String::new(),
        };
        let given = if c.gpus == 1 {
            "The 1 GPU given is".to_string()
        } else {
            format!("The {} GPUs given are", c.gpus)
        };
        let enough = match n.enough {
            Some(true) => format!(" {given} enough."),
            Some(false) => format!(" {given} not enough."),
            None => String::new(),
        };
        out.push(Block::Gap);
        out.push(Block::Plain(format!(
            "{} tokens a month peak at {:.0} tokens/s and need {} replica{} = {} GPUs{cost}.{enough}",
            fmt_tokens(n.tokens_per_month),
            n.peak_tokens_per_s,
            n.replicas,
            words::plural(n.replicas),
            n.gpus
        )));
    }
    View { title, blocks: out }
}

/// Files `validate` found valid.
pub fn validation(v: &[Validated]) -> View {
    View {
        title: format!(
            "llm-decide validate: {} file{} valid",
            v.len(),
            words::plural(u32::try_from(v.len()).unwrap_or(u32::MAX))
        ),
        blocks: v
            .iter()
            .map(|x| Block::Plain(format!("ok: {} ({}: {})", x.file, x.kind, x.summary)))
            .collect(),
    }
}

/// A `LiteLLM` import in brief: what was converted and what was skipped.
pub fn import(i: &Import) -> View {
    let title = format!(
        "LiteLLM import: {} chat models from {}",
        i.apis.len(),
        i.file
    );
    let mut g = Grid::new(
        &[
            "Id",
            "Provider",
            "Input $/1M",
            "Output $/1M",
            "Cached $/1M",
            "Batch discount",
            "Tier",
        ],
        &[2, 3, 4, 5],
    );
    for a in &i.apis {
        g.row(vec![
            a.id.clone(),
            a.provider.clone(),
            fmt_usd_per_mtok(a.input_usd_per_mtok),
            fmt_usd_per_mtok(a.output_usd_per_mtok),
            a.cached_input_usd_per_mtok
                .map_or("-".into(), fmt_usd_per_mtok),
            a.batch_discount.map_or("-".into(), fmt_share),
            a.tier.id().to_string(),
        ]);
    }
    let skipped = i
        .skipped
        .iter()
        .map(|(reason, n)| format!("{n} {reason}"))
        .collect();
    View {
        title: title.clone(),
        blocks: vec![
            Block::Title(title),
            Block::Plain(format!("Checked {}; file sha256 {}.", i.checked, i.sha256)),
            Block::Table(g),
            Block::Heading(format!("Skipped {} entries", i.skipped_total())),
            Block::Bullets(skipped),
        ],
    }
}
