//! The traffic of a workload as a load-duration curve: steady, business hours, spiky (a peak
//! for some hours of the month) or an explicit hourly profile, each checked for consistency.

use crate::model::catalog::policy::Policy;
use crate::model::problem::{Problem, Problems};
use crate::model::workload::spec::WorkloadSpec;
use crate::model::workload::{HOURS_PER_MONTH, LoadLevel, Traffic, TrafficShape};

/// Builds the load-duration curve from the traffic fields.
pub(super) fn traffic(spec: &WorkloadSpec, policy: &Policy, problems: &mut Problems) -> Traffic {
    let par = spec.peak_to_average.as_ref();
    let shape = match &spec.traffic_shape {
        Some(s) => s.value,
        None if spec.profile.is_some() => TrafficShape::Profile,
        None if spec.business_hours_per_month.is_some() || spec.off_hours_share.is_some() => {
            TrafficShape::BusinessHours
        }
        None if par.is_some_and(|p| p.value > 1.0) || spec.spike_multiplier.is_some() => {
            TrafficShape::Spiky
        }
        None => TrafficShape::Steady,
    };
    if let Some(p) = par
        && p.value < 1.0
    {
        problems.push(
            p.origin
                .problem(format!("a peak-to-average ratio of {} is below 1", p.value))
                .fix("the peak is at least the average; give a ratio of 1 or more"),
        );
        return Traffic::steady();
    }
    match shape {
        TrafficShape::Steady => {
            if let Some(p) = par.filter(|p| p.value != 1.0) {
                problems.push(
                    p.origin
                        .problem(format!(
                            "steady traffic has a peak-to-average ratio of 1, not {}",
                            p.value
                        ))
                        .fix("set traffic.shape to spiky or business-hours, or drop the ratio"),
                );
            }
            Traffic::steady()
        }
        TrafficShape::BusinessHours => business_hours(spec, policy, problems),
        TrafficShape::Spiky => spiky(spec, policy, problems),
        TrafficShape::Profile => profile(spec, problems),
    }
}

/// An explicit profile: 24 hourly or 168 weekly-hourly weights, each hour of the profile
/// standing for 730 / n hours of the month, multipliers = weight / mean weight.
fn profile(spec: &WorkloadSpec, problems: &mut Problems) -> Traffic {
    let Some(p) = &spec.profile else {
        problems.push(
            Problem::new("traffic", "shape profile needs traffic.profile")
                .fix("give 24 hourly or 168 weekly-hourly weights of relative load"),
        );
        return Traffic::steady();
    };
    let n = p.value.len();
    let mean = p.value.iter().sum::<f64>() / n.max(1) as f64;
    if !(n == 24 || n == 168) || mean <= 0.0 {
        problems.push(
            p.origin
                .problem(format!("a profile of {n} values (mean {mean})"))
                .fix("give 24 hourly or 168 weekly-hourly weights, not all zero"),
        );
        return Traffic::steady();
    }
    let hours = HOURS_PER_MONTH / n as f64;
    let mut levels: Vec<LoadLevel> = p
        .value
        .iter()
        .map(|w| LoadLevel {
            hours,
            multiplier: w / mean,
        })
        .collect();
    levels.sort_by(|a, b| b.multiplier.total_cmp(&a.multiplier));
    Traffic {
        shape: TrafficShape::Profile,
        levels,
    }
}

fn business_hours(spec: &WorkloadSpec, policy: &Policy, problems: &mut Problems) -> Traffic {
    let hours = spec
        .business_hours_per_month
        .as_ref()
        .map_or(policy.business_hours_per_month, |h| h.value);
    let off = spec.off_hours_share.as_ref().map_or(0.0, |o| o.value);
    if let Some(p) = &spec.peak_to_average {
        problems.push(p.origin.problem("business-hours traffic derives its peak-to-average ratio from business_hours_per_month and off_hours_share").fix("drop peak_to_average, or use shape spiky"));
    }
    // At least an hour, and at least an hour off: anything else is not a business-hours shape.
    if !(1.0..=HOURS_PER_MONTH - 1.0).contains(&hours) {
        if let Some(h) = &spec.business_hours_per_month {
            problems.push(
                h.origin
                    .problem(format!(
                        "{hours} business hours a month is not between 1 and 729"
                    ))
                    .fix("give the hours a month the traffic runs, e.g. 220 (22 weekdays x 10 h)"),
            );
        }
        return Traffic::steady();
    }
    let mut levels = vec![LoadLevel {
        hours,
        multiplier: (1.0 - off) * HOURS_PER_MONTH / hours,
    }];
    levels.push(LoadLevel {
        hours: HOURS_PER_MONTH - hours,
        multiplier: off * HOURS_PER_MONTH / (HOURS_PER_MONTH - hours),
    });
    levels.sort_by(|a, b| b.multiplier.total_cmp(&a.multiplier));
    Traffic {
        shape: TrafficShape::BusinessHours,
        levels,
    }
}

fn spiky(spec: &WorkloadSpec, policy: &Policy, problems: &mut Problems) -> Traffic {
    let hours = spec
        .spike_hours_per_month
        .as_ref()
        .map_or(policy.default_spike_hours_per_month, |h| h.value);
    if !(1.0..=HOURS_PER_MONTH - 1.0).contains(&hours) {
        if let Some(h) = &spec.spike_hours_per_month {
            problems.push(
                h.origin
                    .problem(format!(
                        "{hours} spike hours a month is not between 1 and 729"
                    ))
                    .fix("give the hours a month of peak traffic, e.g. 48"),
            );
        }
        return Traffic::steady();
    }
    let rest = HOURS_PER_MONTH - hours;
    // Peak multiplier over the base rate: given, or derived from the peak-to-average ratio.
    let multiplier = match (&spec.spike_multiplier, &spec.peak_to_average) {
        (Some(m), Some(p)) => {
            problems.push(
                p.origin
                    .problem("give either spike_multiplier or peak_to_average, not both")
                    .fix("keep the one you measured"),
            );
            m.value
        }
        (Some(m), None) => m.value,
        (None, Some(p)) => {
            if p.value * hours >= HOURS_PER_MONTH {
                problems.push(p.origin.problem(format!(
                    "a peak of {}x the average for {hours} hours would carry more than the whole month's traffic",
                    p.value
                )).fix("lower the ratio or the spike hours"));
                return Traffic::steady();
            }
            p.value * rest / (HOURS_PER_MONTH - p.value * hours)
        }
        (None, None) => {
            problems.push(Problem::new("traffic", "spiky traffic needs peak_to_average or spike_multiplier").fix("give the peak rate as a multiple of the average (peak_to_average) or of the base rate (spike_multiplier)"));
            return Traffic::steady();
        }
    };
    if multiplier < 1.0 {
        if let Some(m) = &spec.spike_multiplier {
            problems.push(
                m.origin
                    .problem(format!("a spike multiplier of {} is below 1", m.value))
                    .fix("a spike is at least the base rate"),
            );
        }
        return Traffic::steady();
    }
    let base = HOURS_PER_MONTH / (rest + multiplier * hours);
    Traffic {
        shape: TrafficShape::Spiky,
        levels: vec![
            LoadLevel {
                hours,
                multiplier: multiplier * base,
            },
            LoadLevel {
                hours: rest,
                multiplier: base,
            },
        ],
    }
}
