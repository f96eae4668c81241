//! The self-hosted side as blocks: its cost build-up line by line, the sized deployment per
//! replica, what the search rejected, and the notes.

use super::{Block, Grid};
use crate::engine::Analysis;
use crate::engine::selfhost::Note;
use crate::engine::selfhost::search::Deployment;
use crate::model::units::{fmt_ms, fmt_tokens, fmt_usd};
use crate::report::words;

/// The self-host cost build-up, the sized deployment and the notes.
pub fn self_host(a: &Analysis) -> Vec<Block> {
    let sh = &a.self_host;
    let units = sh.cost.units;
    let note = |b| words::cost::basis(b).map_or(String::new(), |n| format!(" ({n})"));
    let mut lines: Vec<String> = sh
        .unit_costs
        .iter()
        .map(|line| {
            format!(
                "{}: {} x {} = {}{}",
                words::cost::item(&line.item),
                units,
                fmt_usd(line.usd_per_month),
                fmt_usd(f64::from(units) * line.usd_per_month),
                note(&line.basis)
            )
        })
        .collect();
    lines.extend(sh.fixed_costs.iter().map(|line| {
        format!(
            "{}: {}{}",
            words::cost::item(&line.item),
            fmt_usd(line.usd_per_month),
            note(&line.basis)
        )
    }));
    let mut out = vec![
        Block::Heading(format!(
            "Self-host cost build-up ({})",
            words::cost::describe(sh)
        )),
        Block::Bullets(lines),
        Block::Total(format!("{} a month", fmt_usd(sh.cost.monthly_cost_usd))),
    ];
    // The note that the workload's own figures define the side belongs with its cost.
    let (given, notes): (Vec<&Note>, Vec<&Note>) = sh
        .notes
        .iter()
        .partition(|n| matches!(n, Note::Given { .. }));
    if !given.is_empty() {
        out.push(Block::Notes(
            given.into_iter().map(words::cost::note).collect(),
        ));
    }
    if let Some(d) = &sh.deployment {
        out.push(Block::Heading("Self-host deployment".into()));
        out.push(Block::Table(replica_grid(d)));
        out.push(Block::Para(format!(
            "{}.",
            words::deployment::deployment(d)
        )));
        if a.workload.batch_share > 0.0 {
            out.push(Block::Para(words::deployment::batch_off_peak(
                d,
                a.workload.batch_share,
            )));
        }
    }
    if let Some(search) = &sh.search {
        let rejected = if search.rejected.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = search.rejected.iter().map(words::cost::rejected).collect();
            format!("; rejected: {}", list.join("; "))
        };
        out.push(Block::Para(format!(
            "The search evaluated {} configurations{rejected}.",
            search.evaluated
        )));
        if !search.excluded.is_empty() {
            out.push(Block::Para(words::deployment::excluded(&search.excluded)));
        }
    }
    if !notes.is_empty() {
        out.push(Block::Notes(
            notes.into_iter().map(words::cost::note).collect(),
        ));
    }
    out
}

/// One replica of a sized deployment: GPUs, precision, memory, batch, speed.
fn replica_grid(d: &Deployment) -> Grid {
    let z = &d.sizing;
    let m = &z.memory_gb;
    let row = |name: &str, value: String| vec![name.to_string(), value];
    Grid::with_rows(
        &["Per replica", "Value"],
        &[1],
        vec![
            row(
                "GPUs (tensor parallel)",
                format!(
                    "{} x {}{}",
                    z.tensor_parallel,
                    z.gpu,
                    words::deployment::sharing(z.expert_parallel, z.attention)
                ),
            ),
            row(
                "Precision",
                words::deployment::precision(&z.precision, z.native_precision),
            ),
            row(
                "Memory: weights + KV cache + overhead",
                format!(
                    "{:.1} + {:.1} + {:.1} of {:.0} GB",
                    m.weights, m.kv_cache, m.overhead, m.total
                ),
            ),
            row(
                "KV cache precision",
                words::deployment::kv_cache(
                    z.kv_bytes_per_value,
                    z.kv_tokens_per_request < z.shape.input_tokens + z.shape.output_tokens,
                ),
            ),
            row(
                "Request (input + output tokens)",
                format!("{} + {}", z.shape.input_tokens, z.shape.output_tokens),
            ),
            row(
                "Batch (largest that fits)",
                format!(
                    "{} ({}){}",
                    z.batch,
                    z.max_batch,
                    if z.latency_limited {
                        ", limited by the per-token latency"
                    } else {
                        ""
                    }
                ),
            ),
            row("Output tokens/s", format!("{:.0}", z.output_tokens_per_s)),
            row(
                "Single-stream tokens/s",
                format!("{:.0}", z.single_stream_output_tokens_per_s),
            ),
            row("Prefill tokens/s", format!("{:.0}", z.prefill_tokens_per_s)),
            row(
                "Prefill launches outside CUDA graphs, a prompt",
                fmt_ms(z.prefill_launch_ms),
            ),
            row(
                "TTFT / TPOT (no queueing)",
                format!("{} / {}", fmt_ms(z.ttft_ms), fmt_ms(z.tpot_ms)),
            ),
            row(
                "Tokens a month at target utilization",
                fmt_tokens(d.replica_tokens_per_month),
            ),
        ],
    )
}
