//! A sized deployment in words: in brief, its precision, KV cache and step, how it serves
//! batch traffic, and the cloud offers privacy kept it from.

use super::plural;
use crate::engine::cost::gpu::Excluded;
use crate::engine::selfhost::search::{Deployment, Summary};
use crate::engine::serving::sizing::{AttentionSplit, Step};
use crate::model::Named;
use crate::model::units::{fmt_share, fmt_tokens, significant};

/// A deployment in one line, for reasons and notes.
pub fn summary(s: &Summary) -> String {
    format!(
        "{} replica{} of {} x {} ({}, {}) = {} GPU{} serving {:.0} tokens/s at the peak ({:.0} each at batch {}, {:.0}% of capacity){}{}",
        s.replicas,
        plural(s.replicas),
        s.tp,
        s.gpu,
        s.precision,
        s.hosting.id(),
        s.gpus,
        plural(s.gpus),
        s.peak_tokens_per_s,
        s.replica_tokens_per_s,
        s.batch,
        s.utilization_at_peak * 100.0,
        if s.spares > 0 {
            format!(", plus {} spare", s.spares)
        } else {
            String::new()
        },
        s.calibrated.map_or_else(String::new, |d| format!(
            ", at the engine constants of your benchmark of {d}"
        ))
    )
}

/// How a deployment serves batch traffic: off-peak, at the largest batch that fits.
pub fn batch_off_peak(d: &Deployment, batch_share: f64) -> String {
    format!(
        "Batch traffic ({}) has no per-token latency to meet and waits for idle hours: it runs at batch {} ({} tokens a month per replica, against {} interactive), so the replicas are sized for {:.3} x the average demand (the interactive peak alone, or the time all the work takes, whichever is more).",
        fmt_share(batch_share),
        d.sizing.max_batch,
        fmt_tokens(d.batch_replica_tokens_per_month),
        fmt_tokens(d.replica_tokens_per_month),
        d.sizing_factor,
    )
}

/// The cloud offers privacy excludes, by provider and what they lack.
pub fn excluded(list: &[Excluded]) -> String {
    if list.iter().all(|e| e.missing.is_empty()) {
        let n: u32 = list.iter().map(|e| e.offers).sum();
        return format!(
            "Excluded for the sensitive traffic: all {n} cloud offers searched (no third party may process it)."
        );
    }
    let each: Vec<String> = list
        .iter()
        .map(|e| {
            let ids: Vec<&str> = e.missing.iter().map(|o| o.id()).collect();
            format!(
                "{} ({} offer{}: {} not known)",
                e.provider,
                e.offers,
                plural(e.offers),
                ids.join(", ")
            )
        })
        .collect();
    format!(
        "Excluded for the sensitive traffic, as their providers do not publish what it requires (llm-decide list offers): {}.",
        each.join("; ")
    )
}

/// A KV cache's precision and how it is allocated.
pub fn kv_cache(bytes_per_value: f64, paged: bool) -> String {
    let bits = match bytes_per_value {
        b if b >= 2.0 => "16-bit".to_string(),
        b if (b - 1.0).abs() < 1e-9 => "8-bit (fp8)".to_string(),
        b if (0.5..0.75).contains(&b) => "4-bit (fp4)".to_string(),
        b => format!("{b} bytes a value"),
    };
    if paged {
        format!("{bits}, paged")
    } else {
        format!("{bits}, reserved per request")
    }
}

/// A precision as the GPU runs it: on its tensor cores, or weight-only (weights dequantized
/// and multiplied at the BF16 rate).
pub fn precision(id: &str, native: bool) -> String {
    if native {
        id.to_string()
    } else {
        format!("{id} (weight-only, at the BF16 rate)")
    }
}

/// How a replica's GPUs share the work beyond tensor parallelism: a mixture of experts'
/// routed experts spread over them (", experts over 8 GPUs"), attention run data-parallel
/// (", attention data-parallel"); nothing when every weight is split alike.
pub fn sharing(ep: u32, attention: AttentionSplit) -> String {
    let experts = if ep > 1 {
        format!(", experts over {ep} GPUs")
    } else {
        String::new()
    };
    let attention = match attention {
        AttentionSplit::DataParallel => ", attention data-parallel",
        AttentionSplit::TensorParallel => "",
    };
    experts + attention
}

/// A step, kernel by kernel: where a token's time goes, ms.
pub fn step(s: &Step) -> String {
    let ms = |v: f64| significant(v, 3);
    let mut parts = vec![
        format!("GEMMs {}", ms(s.gemm_ms)),
        format!(
            "attention {}",
            ms(s.decode_attention_ms + s.prefill_attention_ms)
        ),
    ];
    if s.communication_ms > 0.0 {
        parts.push(format!("communication {}", ms(s.communication_ms)));
    }
    parts.push(format!("overhead {}", ms(s.overhead_ms)));
    if s.draft_ms > 0.0 {
        parts.push(format!("drafts {}", ms(s.draft_ms)));
    }
    let gained = if s.tokens_per_step > 1.0 {
        format!(", {} tokens a step", significant(s.tokens_per_step, 3))
    } else {
        String::new()
    };
    format!("{} ms{gained}", parts.join(" + "))
}

/// A sized deployment in one line.
pub fn deployment(d: &Deployment) -> String {
    summary(&d.summary())
}

/// A calibration in one line: what was fitted, and the errors before and after.
pub fn calibration_summary(fit: &crate::engine::calibrate::Calibrated) -> String {
    let fitted: Vec<String> = fit
        .constants
        .iter()
        .filter_map(|f| {
            Some(format!(
                "{} {:.3} (published {})",
                f.constant.field(),
                f.fitted?,
                f.published
            ))
        })
        .collect();
    format!(
        "fitted {} on {} run(s) at {} load(s); median TPOT error {:.1}% -> {:.1}%, TTFT {:.1}% -> {:.1}%",
        fitted.join(", "),
        fit.runs.len(),
        fit.loads,
        fit.error_shares().0 * 100.0,
        fit.error_shares().1 * 100.0,
        fit.ttft_error_shares().0 * 100.0,
        fit.ttft_error_shares().1 * 100.0
    )
}

/// A calibrated constant: the published value and the fitted one, or why it was kept.
pub fn calibrated_constant(f: &crate::engine::calibrate::Fitted) -> String {
    use crate::engine::calibrate::{Constant, Kept};
    let value = |v: f64| format!("{}", (v * 1e4).round() / 1e4);
    match (f.fitted, f.kept) {
        (Some(v), _) => format!("{} -> {} (fitted)", value(f.published), value(v)),
        (None, Some(Kept::AtEndOfRange { value: end })) => format!(
            "{} kept: the fit ran it to the end of its range ({}), trading it against the others; the runs do not determine it",
            value(f.published),
            value(end)
        ),
        (None, Some(Kept::Insensitive)) => format!(
            "{} kept: no run's {} moves by a tenth of a change to it",
            value(f.published),
            match f.constant {
                Constant::PrefillLayerOverheadUs => "time to first token at one stream",
                Constant::PrefillWaitSteps => "time to first token above one stream",
                _ => "time per token",
            }
        ),
        (None, Some(Kept::OneLoad)) => format!(
            "{} kept: one load cannot tell an overhead from the rest of the step; benchmark two concurrencies at least",
            value(f.published)
        ),
        (None, Some(Kept::FewerLoads { loads })) => format!(
            "{} kept: {loads} distinct loads fit {loads} constants, those that move the runs most; add a concurrency",
            value(f.published)
        ),
        (None, Some(Kept::Captured)) => format!(
            "{} kept: the prompts of the runs at one stream are short enough to run in CUDA graphs, so none pays it; benchmark longer prompts",
            value(f.published)
        ),
        (None, Some(Kept::NoSingleStream { lowest })) => format!(
            "{} kept: no run is at one stream (the fewest is {lowest:.1} sequences), where a first token waits behind no other prompt; benchmark concurrency 1",
            value(f.published)
        ),
        (None, Some(Kept::OutOfRange { value: v })) if f.constant == Constant::PrefillWaitSteps => {
            format!(
                "{} kept: the runs above one stream put it at {} steps, past {}; their first tokens wait on more than the engine taking them up (a queue for a slot?)",
                value(f.published),
                value(v),
                f.constant.limit()
            )
        }
        (None, Some(Kept::OutOfRange { value: v })) => format!(
            "{} kept: the runs at one stream put it at {}, past {} ms a layer; their time to first token holds more than the prefill",
            value(f.published),
            value(v),
            f.constant.limit() / 1000.0
        ),
        (None, Some(Kept::NoLoadedRun { highest })) => format!(
            "{} kept: no run is above one stream (the most is {highest:.1} sequences), where a first token waits for others' steps; benchmark a higher concurrency",
            value(f.published)
        ),
        (None, None) => value(f.published),
    }
}

/// The calibration a deployment runs at: the constants the user's benchmark set, and when.
pub fn calibration(c: &crate::model::catalog::hardware::Calibration) -> String {
    let set: Vec<String> = [
        ("bandwidth efficiency", c.bandwidth_efficiency),
        ("GEMM efficiency", c.gemm_efficiency),
        ("step overhead ms", c.step_overhead_ms),
        ("per-sequence overhead us", c.sequence_overhead_us),
        ("prefill launch us a layer", c.prefill_layer_overhead_us),
        ("prefill wait steps", c.prefill_wait_steps),
    ]
    .iter()
    .filter_map(|(name, v)| Some(format!("{name} {}", significant(v.as_ref().copied()?, 3))))
    .collect();
    format!("your benchmark of {}: {}", c.checked, set.join(", "))
}
