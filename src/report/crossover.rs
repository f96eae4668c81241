//! The `crossover` document: a sweep of volumes for one workload, charted.

use super::Report;
use super::chart::{Chart, Marker, Series};
use crate::engine::VolumeRow;
use crate::model::units::fmt_tokens;

/// A volume sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// The decision at the workload's volume (for the crossover and the names).
    pub report: Report,
    /// The sweep's rows, for the table.
    pub rows: Vec<VolumeRow>,
    /// A finer sweep over the same range, for the chart.
    pub curve: Vec<VolumeRow>,
    /// Whether the volumes are log-spaced.
    pub log_scale: bool,
}

/// `steps` volumes from `lo` to `hi`, log-spaced or even, with `own` added in order.
pub fn volumes(lo: f64, hi: f64, steps: u32, log: bool, own: f64) -> Vec<f64> {
    let n = steps.max(2);
    let mut v: Vec<f64> = (0..n)
        .map(|i| {
            let f = f64::from(i) / f64::from(n - 1);
            let x = if log {
                (lo.ln() + f * (hi.ln() - lo.ln())).exp()
            } else {
                lo + f * (hi - lo)
            };
            // Round to 4 significant figures so the table reads cleanly.
            let mag = 10f64.powf(x.log10().floor() - 3.0);
            (x / mag).round() * mag
        })
        .collect();
    if own >= lo && own <= hi && !v.contains(&own) {
        v.push(own);
    }
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

/// The chart of a decision's options over `curve`.
pub fn chart(r: &Report, curve: &[VolumeRow], log_x: bool) -> Chart {
    let a = &r.analysis;
    let mut markers = Vec::new();
    if let Some(c) = a.crossover.tokens_per_month {
        markers.push(Marker {
            label: format!("break-even {}", fmt_tokens(c)),
            x: c,
            glyph: '|',
        });
    }
    markers.push(Marker {
        label: format!("you {}", fmt_tokens(a.workload.tokens_per_month)),
        x: a.workload.tokens_per_month,
        glyph: ':',
    });
    Chart {
        series: vec![
            Series {
                name: format!("API ({})", a.api.id),
                points: curve
                    .iter()
                    .map(|p| (p.tokens_per_month, p.api_monthly_cost_usd))
                    .collect(),
                glyph: 'A',
                color: "#1f5fbf",
            },
            Series {
                name: format!(
                    "Self-host ({})",
                    super::words::cost::self_host_label(&a.self_host)
                ),
                points: curve
                    .iter()
                    .map(|p| (p.tokens_per_month, p.self_host_monthly_cost_usd))
                    .collect(),
                glyph: 'S',
                color: "#d9731a",
            },
        ],
        markers,
        log_x,
    }
}

#[cfg(test)]
mod tests {
    use super::volumes;

    #[test]
    fn volumes_are_log_or_even_and_include_the_workload() {
        assert_eq!(
            volumes(10e6, 10e9, 4, true, 800e6),
            [10e6, 100e6, 800e6, 1e9, 10e9]
        );
        assert_eq!(volumes(1e9, 3e9, 3, false, 2e9), [1e9, 2e9, 3e9]);
        // 10M..1B in 3 log steps: 10M, 100M, 1B; 4 significant figures.
        assert_eq!(volumes(10e6, 1e9, 3, true, 5e12), [10e6, 100e6, 1e9]);
    }
}
