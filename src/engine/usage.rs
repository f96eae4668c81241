//! The workload observed usage describes: the period, the monthly volume and its shares, the
//! requests, the hourly shape and its peak, the growth, and the model mix.

use crate::model::catalog::Catalog;
use crate::model::date::Date;
use crate::model::workload::ApiShare;
use crate::model::workload::usage::{Lengths, UsageRecord};
use serde::Serialize;

/// Days in the average month the tool scales to.
pub const DAYS_PER_MONTH: f64 = 30.44;

/// The least span a growth rate is fitted on, days: four weeks of daily totals.
pub const MIN_GROWTH_DAYS: f64 = 28.0;

/// The observed period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Period {
    /// First second, UTC.
    pub from: i64,
    /// Second after the last, UTC.
    pub to: i64,
    /// Its length, days.
    pub days: f64,
}

/// One model of the mix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelUsage {
    /// The model as the export writes it (`None`: the export is not grouped by model).
    pub model: Option<String>,
    /// The catalog API it maps to, when one does.
    pub catalog_id: Option<String>,
    /// Input and output tokens a month.
    pub tokens_per_month: f64,
    /// Share of all tokens.
    pub share: f64,
}

/// The hourly shape, where the export has buckets of an hour or less.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hourly {
    /// The busiest hour's tokens over the mean hour's (every hour of the period counted, idle
    /// ones included).
    pub peak_to_average: f64,
    /// The 99th-percentile hour over the mean hour.
    pub p99_to_average: f64,
    /// Share of tokens in each hour of the day, UTC (24 values summing to 1).
    pub day: Vec<f64>,
    /// Share of tokens in each hour of the week from Monday 00:00 UTC (168 values).
    pub week: Vec<f64>,
}

/// Compound monthly growth, least squares on the logarithms of daily totals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Growth {
    /// Growth a month (0.1 = 10%).
    pub per_month: f64,
    /// Share of the daily totals' log variance the trend explains.
    pub r_squared: f64,
    /// Days fitted.
    pub days: u32,
}

/// Why a figure could not be derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unavailable {
    /// The buckets are longer than an hour.
    NotHourly,
    /// The period is shorter than [`MIN_GROWTH_DAYS`].
    TooShort,
    /// The export counts no requests.
    NoRequests,
    /// The period covers no calendar month whole.
    NoFullMonth,
    /// The export counts no cached input.
    NoCacheCounts,
    /// The export has no row a request.
    NotPerRequest,
}

/// A calendar month's tokens.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthTotal {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Its input and output tokens.
    pub tokens: f64,
}

/// A calendar month of the period: its tokens, the days of it the period covers, and its rate
/// a month (the tokens over those days, scaled to a 30.44-day month).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthUsage {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Its input and output tokens (of the buckets that start in it).
    pub tokens: f64,
    /// The days of it the period covers.
    pub days: f64,
    /// `tokens x 30.44 / days`.
    pub tokens_per_month: f64,
}

/// Mean tokens a request.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TokensPerRequest {
    /// Input tokens, cached included.
    pub input: f64,
    /// Output tokens.
    pub output: f64,
}

/// A distribution of tokens a request.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quantiles {
    /// The median request.
    pub p50: f64,
    /// The 90th percentile.
    pub p90: f64,
    /// The 99th percentile.
    pub p99: f64,
    /// The longest.
    pub max: f64,
}

/// How long requests are, where the export has one row a request.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RequestLengths {
    /// Input tokens a request, cached included.
    pub input: Quantiles,
    /// Output tokens a request.
    pub output: Quantiles,
    /// The requests counted.
    pub requests: u64,
}

fn request_lengths(l: &Lengths) -> RequestLengths {
    let q = |h: &crate::model::workload::usage::Histogram| {
        let at = |q: f64| h.quantile(q) as f64;
        Quantiles {
            p50: at(0.5),
            p90: at(0.9),
            p99: at(0.99),
            max: h.max() as f64,
        }
    };
    RequestLengths {
        input: q(&l.input),
        output: q(&l.output),
        requests: l.input.len(),
    }
}

/// A figure the usage cannot give, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Missing {
    /// The summary's field.
    pub field: &'static str,
    /// Why.
    pub reason: Unavailable,
}

/// What observed usage says about the workload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsageSummary {
    /// The period covered.
    pub period: Period,
    /// Input and output tokens a month (the period's total scaled to a 30.44-day month).
    pub tokens_per_month: f64,
    /// The last calendar month the period covers whole, and its tokens.
    pub last_full_month: Option<MonthTotal>,
    /// Every calendar month the period touches, in order.
    pub months: Vec<MonthUsage>,
    /// Input (cached included) over all tokens.
    pub input_share: f64,
    /// Cached input over input, of the records that count it.
    pub cached_share: Option<f64>,
    /// Output over all tokens.
    pub output_share: f64,
    /// Requests a month, where counted.
    pub requests_per_month: Option<f64>,
    /// Mean input and output tokens a request, where requests are counted.
    pub tokens_per_request: Option<TokensPerRequest>,
    /// Percentiles of request length, where the export has one row a request.
    pub request_lengths: Option<RequestLengths>,
    /// The hourly shape, where the buckets are an hour or less.
    pub hourly: Option<Hourly>,
    /// Growth a month, over four weeks or more.
    pub growth: Option<Growth>,
    /// Why each figure that is `None` could not be derived.
    pub unavailable: Vec<Missing>,
    /// The models, largest first.
    pub models: Vec<ModelUsage>,
}

/// The catalog API a model name maps to: the API whose id (dots read as dashes) is the longest
/// prefix of the name (`gpt-4o-2024-08-06` -> `gpt-4o`, `claude-sonnet-4-5-20250929` ->
/// `claude-sonnet-4.5`), the next character not a letter or digit continuing a version.
pub fn catalog_api(catalog: &Catalog, model: &str) -> Option<String> {
    prefixed_api(catalog, model).or_else(|| {
        // A router's `provider/model` slug (`openai/gpt-4.1`): the model after the provider.
        let (_, name) = model.rsplit_once('/')?;
        prefixed_api(catalog, name)
    })
}

fn prefixed_api(catalog: &Catalog, model: &str) -> Option<String> {
    let name = model.to_ascii_lowercase().replace('.', "-");
    catalog
        .apis
        .iter()
        .filter(|a| {
            let id = a.id.to_ascii_lowercase().replace('.', "-");
            name == id
                || name.strip_prefix(&id).is_some_and(|rest| {
                    rest.starts_with('-')
                        && rest[1..].starts_with(|c: char| c.is_ascii_digit())
                        && !is_variant(&rest[1..])
                })
        })
        .max_by_key(|a| a.id.len())
        .map(|a| a.id.clone())
}

/// Whether what follows a matched id names another model rather than a dated snapshot: a
/// snapshot is digits and dashes (`2024-08-06`, `20250929`).
fn is_variant(rest: &str) -> bool {
    !rest.chars().all(|c| c.is_ascii_digit() || c == '-')
}

/// The summary of `records` (and of request `lengths`, where some export has a row a
/// request) over the `window` read where one was given, else over the records' span; `None`
/// when there are no records.
pub fn summarize(
    catalog: &Catalog,
    records: &[UsageRecord],
    lengths: Option<&Lengths>,
    window: (Option<i64>, Option<i64>),
) -> Option<UsageSummary> {
    let first = records.iter().map(|r| r.start).min()?;
    let last = records.iter().map(|r| r.end).max()?;
    let from = window.0.map_or(first, |w| w.min(first));
    let to = window.1.map_or(last, |w| w.max(last));
    let days = (to - from) as f64 / 86_400.0;
    let scale = DAYS_PER_MONTH / days;
    let sum = |f: fn(&UsageRecord) -> f64| records.iter().map(f).sum::<f64>();
    let (input, output) = (sum(|r| r.input_tokens), sum(|r| r.output_tokens));
    let counted = || records.iter().filter(|r| r.cached_tokens.is_some());
    let cached_share = counted().next().map(|_| {
        let of: f64 = counted().map(|r| r.input_tokens).sum();
        let cached: f64 = counted().filter_map(|r| r.cached_tokens).sum();
        if of > 0.0 { cached / of } else { 0.0 }
    });
    let total = input + output;
    let share = |x: f64, of: f64| if of > 0.0 { x / of } else { 0.0 };
    let requests: Option<f64> = records.iter().map(|r| r.requests).sum();
    let (hourly, growth) = (hourly(records, from, to), growth(records, from, to));
    let calendar = calendar(records, from, to);
    let last_full_month = last_whole(&calendar);
    let unavailable = [
        (
            "last_full_month",
            last_full_month
                .is_none()
                .then_some(Unavailable::NoFullMonth),
        ),
        (
            "cached_share",
            cached_share.is_none().then_some(Unavailable::NoCacheCounts),
        ),
        (
            "requests_per_month",
            requests.ok_or(Unavailable::NoRequests).err(),
        ),
        (
            "request_lengths",
            lengths.is_none().then_some(Unavailable::NotPerRequest),
        ),
        ("hourly", hourly.as_ref().err().copied()),
        ("growth", growth.as_ref().err().copied()),
    ]
    .into_iter()
    .filter_map(|(field, reason)| {
        Some(Missing {
            field,
            reason: reason?,
        })
    })
    .collect();
    Some(UsageSummary {
        period: Period { from, to, days },
        tokens_per_month: total * scale,
        last_full_month,
        months: calendar.into_iter().map(|(m, _)| m).collect(),
        input_share: share(input, total),
        cached_share,
        output_share: share(output, total),
        requests_per_month: requests.map(|n| n * scale),
        tokens_per_request: requests.filter(|n| *n > 0.0).map(|n| TokensPerRequest {
            input: input / n,
            output: output / n,
        }),
        request_lengths: lengths.map(request_lengths),
        hourly: hourly.ok(),
        growth: growth.ok(),
        unavailable,
        models: models(catalog, records, total, scale),
    })
}

/// Every calendar month from the one `from` falls in to the one `to - 1` falls in, with the
/// tokens of the buckets that start in it and the days of it inside the period, and whether
/// the period covers it whole.
fn calendar(records: &[UsageRecord], from: i64, to: i64) -> Vec<(MonthUsage, bool)> {
    let mut month = Date::at_seconds(from);
    month.day = 1;
    let mut out = Vec::new();
    while month.start_seconds() < to {
        let (start, end) = (month.start_seconds(), month.next_month().start_seconds());
        let days = (end.min(to) - start.max(from)) as f64 / 86_400.0;
        let tokens: f64 = records
            .iter()
            .filter(|r| (start..end).contains(&r.start))
            .map(|r| r.input_tokens + r.output_tokens)
            .sum();
        let usage = MonthUsage {
            month: format!("{:04}-{:02}", month.year, month.month),
            tokens,
            days,
            tokens_per_month: tokens * DAYS_PER_MONTH / days,
        };
        out.push((usage, start >= from && end <= to));
        month = month.next_month();
    }
    out
}

/// The last calendar month inside the period whole, and its tokens.
fn last_whole(calendar: &[(MonthUsage, bool)]) -> Option<MonthTotal> {
    calendar
        .iter()
        .rev()
        .find(|(_, whole)| *whole)
        .map(|(m, _)| MonthTotal {
            month: m.month.clone(),
            tokens: m.tokens,
        })
}

fn models(catalog: &Catalog, records: &[UsageRecord], total: f64, scale: f64) -> Vec<ModelUsage> {
    let mut by: Vec<(Option<String>, f64)> = Vec::new();
    for r in records {
        let tokens = r.input_tokens + r.output_tokens;
        match by.iter_mut().find(|(m, _)| *m == r.model) {
            Some((_, t)) => *t += tokens,
            None => by.push((r.model.clone(), tokens)),
        }
    }
    by.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    by.into_iter()
        .map(|(model, tokens)| ModelUsage {
            catalog_id: model.as_deref().and_then(|m| catalog_api(catalog, m)),
            model,
            tokens_per_month: tokens * scale,
            share: if total > 0.0 { tokens / total } else { 0.0 },
        })
        .collect()
}

/// The observed models as a mix of catalog APIs: tokens merged by catalog id, each share over
/// the tokens of the models the catalog knows, in hundredths of a percent rounded by largest
/// remainder so that they add up to exactly 1 (an API whose share rounds to 0 is left out,
/// and the rounding spreads its tokens over the rest). Also the share of all tokens that no
/// catalog API maps and that the mix leaves out.
pub fn api_mix(models: &[ModelUsage]) -> (Vec<ApiShare>, f64) {
    const STEPS: f64 = 10_000.0;
    let mut merged: Vec<(String, f64)> = Vec::new();
    for m in models {
        let Some(id) = &m.catalog_id else { continue };
        match merged.iter_mut().find(|(known, _)| known == id) {
            Some((_, share)) => *share += m.share,
            None => merged.push((id.clone(), m.share)),
        }
    }
    let mapped: f64 = merged.iter().map(|(_, s)| s).sum();
    if mapped <= 0.0 {
        return (Vec::new(), 1.0);
    }
    let exact: Vec<f64> = merged.iter().map(|(_, s)| s / mapped * STEPS).collect();
    let mut steps: Vec<f64> = exact.iter().map(|e| e.floor()).collect();
    let mut order: Vec<usize> = (0..exact.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - steps[b]).total_cmp(&(exact[a] - steps[a])));
    let short = (STEPS - steps.iter().sum::<f64>()).round() as usize;
    for &i in order.iter().take(short) {
        steps[i] += 1.0;
    }
    let mix = merged
        .into_iter()
        .zip(steps)
        .filter(|(_, n)| *n > 0.0)
        .map(|((api, _), n)| ApiShare {
            api,
            share: n / STEPS,
        })
        .collect();
    (mix, (1.0 - mapped).max(0.0))
}

/// Tokens by hour over the period, each bucket's placed in the hour it starts in; the shape
/// where every bucket is an hour or less.
fn hourly(records: &[UsageRecord], from: i64, to: i64) -> Result<Hourly, Unavailable> {
    if records.iter().any(|r| r.end - r.start > 3600) {
        return Err(Unavailable::NotHourly);
    }
    let first = from.div_euclid(3600);
    let hours = ((to - 1).div_euclid(3600) - first + 1).max(1) as usize;
    let mut totals = vec![0.0_f64; hours];
    let (mut day, mut week) = (vec![0.0_f64; 24], vec![0.0_f64; 168]);
    for r in records {
        let tokens = r.input_tokens + r.output_tokens;
        let hour = r.start.div_euclid(3600);
        totals[(hour - first) as usize] += tokens;
        day[hour.rem_euclid(24) as usize] += tokens;
        // 1970-01-01 was a Thursday: Monday 00:00 is 72 hours earlier in the week.
        week[(hour + 72).rem_euclid(168) as usize] += tokens;
    }
    let all: f64 = totals.iter().sum();
    let mean = all / hours as f64;
    let mut sorted = totals.clone();
    sorted.sort_by(f64::total_cmp);
    let p99 = sorted[((hours as f64 * 0.99).ceil() as usize).clamp(1, hours) - 1];
    let norm = |v: Vec<f64>| {
        v.into_iter()
            .map(|x| if all > 0.0 { x / all } else { 0.0 })
            .collect()
    };
    Ok(Hourly {
        peak_to_average: if mean > 0.0 {
            sorted[hours - 1] / mean
        } else {
            0.0
        },
        p99_to_average: if mean > 0.0 { p99 / mean } else { 0.0 },
        day: norm(day),
        week: norm(week),
    })
}

/// Compound monthly growth from the daily totals' logarithms (days with no tokens left out),
/// over four weeks at least.
fn growth(records: &[UsageRecord], from: i64, to: i64) -> Result<Growth, Unavailable> {
    if ((to - from) as f64 / 86_400.0) < MIN_GROWTH_DAYS {
        return Err(Unavailable::TooShort);
    }
    let first = from.div_euclid(86_400);
    let days = ((to - 1).div_euclid(86_400) - first + 1) as usize;
    let mut totals = vec![0.0_f64; days];
    for r in records {
        totals[(r.start.div_euclid(86_400) - first) as usize] += r.input_tokens + r.output_tokens;
    }
    let points: Vec<(f64, f64)> = totals
        .iter()
        .enumerate()
        .filter(|(_, t)| **t > 0.0)
        .map(|(d, t)| (d as f64, t.ln()))
        .collect();
    let n = points.len() as f64;
    if n < MIN_GROWTH_DAYS {
        return Err(Unavailable::TooShort);
    }
    let (mx, my) = (
        points.iter().map(|p| p.0).sum::<f64>() / n,
        points.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let syy: f64 = points.iter().map(|p| (p.1 - my).powi(2)).sum();
    let slope = sxy / sxx;
    Ok(Growth {
        per_month: (slope * DAYS_PER_MONTH).exp() - 1.0,
        r_squared: if syy > 0.0 {
            sxy * sxy / (sxx * syy)
        } else {
            1.0
        },
        days: points.len() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::catalog;

    fn record(
        start: i64,
        model: &str,
        input: f64,
        cached: f64,
        output: f64,
        requests: f64,
    ) -> UsageRecord {
        UsageRecord {
            start,
            end: start + 3600,
            model: Some(model.into()),
            input_tokens: input,
            cached_tokens: Some(cached),
            output_tokens: output,
            requests: Some(requests),
        }
    }

    /// Four hours from 1970-01-01 00:00 UTC (a Thursday): 400 tokens in the first hour (300 in,
    /// 100 of them cached, 100 out, 2 requests), 600 in the second (500 in, 100 out, 3
    /// requests), none in the third, 200 in the fourth (150 in, 50 out, 1 request). 1,200 tokens
    /// over 4/24 of a day: 1,200 x 30.44 / (1/6) = 219,168 a month; 950 in (79.2%), 100 cached
    /// (10.5% of input), 250 out; 6 requests, 1,095.84 a month, 158.3 in and 41.7 out each; the
    /// mean hour 300, the busiest 600: peak over average 2.
    #[test]
    fn four_hours_by_hand() {
        let records = [
            record(0, "gpt-4o-2024-08-06", 300.0, 100.0, 100.0, 2.0),
            record(3600, "claude-sonnet-4-5-20250929", 500.0, 0.0, 100.0, 3.0),
            record(3 * 3600, "gpt-4o-2024-08-06", 150.0, 0.0, 50.0, 1.0),
        ];
        let s = summarize(&catalog(), &records, None, (None, None)).unwrap();
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
        assert_eq!(
            s.period,
            Period {
                from: 0,
                to: 14_400,
                days: 4.0 / 24.0
            }
        );
        assert!(
            close(s.tokens_per_month, 219_168.0),
            "{}",
            s.tokens_per_month
        );
        assert!(close(s.input_share, 950.0 / 1200.0));
        assert!(close(s.cached_share.unwrap(), 100.0 / 950.0));
        assert!(close(s.output_share, 250.0 / 1200.0));
        assert!(close(s.requests_per_month.unwrap(), 1_095.84));
        let TokensPerRequest {
            input: i,
            output: o,
        } = s.tokens_per_request.unwrap();
        assert!(close(i, 950.0 / 6.0) && close(o, 250.0 / 6.0));
        let h = s.hourly.unwrap();
        assert!(close(h.peak_to_average, 2.0) && close(h.p99_to_average, 2.0));
        assert_eq!(h.day[..4], [400.0 / 1200.0, 0.5, 0.0, 200.0 / 1200.0]);
        // Thursday 00:00 is hour 72 of a week from Monday.
        assert_eq!(h.week[72], 400.0 / 1200.0);
        assert_eq!(s.growth, None);
        assert_eq!(
            s.unavailable,
            [
                Missing {
                    field: "last_full_month",
                    reason: Unavailable::NoFullMonth
                },
                Missing {
                    field: "request_lengths",
                    reason: Unavailable::NotPerRequest
                },
                Missing {
                    field: "growth",
                    reason: Unavailable::TooShort
                }
            ]
        );
        // The mix: 600 tokens each, the names in order at a tie; GPT-4o's dated snapshot maps
        // to the catalog's gpt-4o, the test catalog has no Claude.
        let mix: Vec<(Option<&str>, Option<&str>, f64)> = s
            .models
            .iter()
            .map(|m| (m.model.as_deref(), m.catalog_id.as_deref(), m.share))
            .collect();
        assert_eq!(
            mix,
            [
                (Some("claude-sonnet-4-5-20250929"), None, 0.5),
                (Some("gpt-4o-2024-08-06"), Some("gpt-4o"), 0.5)
            ]
        );
    }

    /// 35 days growing 1% a day exactly: 1.01^30.44 - 1 = 35.4% a month, a perfect fit; daily
    /// buckets have no hourly shape and no request count.
    #[test]
    fn growth_and_what_daily_buckets_cannot_say() {
        let records: Vec<UsageRecord> = (0..35)
            .map(|d| UsageRecord {
                start: d * 86_400,
                end: (d + 1) * 86_400,
                model: None,
                input_tokens: 1000.0 * 1.01_f64.powi(d as i32),
                cached_tokens: Some(0.0),
                output_tokens: 0.0,
                requests: None,
            })
            .collect();
        let s = summarize(&catalog(), &records, None, (None, None)).unwrap();
        let g = s.growth.unwrap();
        assert!(
            (g.per_month - (1.01_f64.powf(30.44) - 1.0)).abs() < 1e-9,
            "{g:?}"
        );
        assert!((g.r_squared - 1.0).abs() < 1e-9 && g.days == 35);
        assert_eq!((s.hourly, s.requests_per_month), (None, None));
        let reasons: Vec<(&str, Unavailable)> =
            s.unavailable.iter().map(|m| (m.field, m.reason)).collect();
        assert_eq!(
            reasons,
            [
                ("requests_per_month", Unavailable::NoRequests),
                ("request_lengths", Unavailable::NotPerRequest),
                ("hourly", Unavailable::NotHourly)
            ]
        );
        assert_eq!(s.models.len(), 1);
        assert_eq!(s.models[0].model, None);
        // 1970-01-01 to 1970-02-05 covers January whole.
        assert_eq!(s.last_full_month.map(|m| m.month), Some("1970-01".into()));
    }

    /// Daily buckets from 2026-07-30 to 2026-09-02 (35 days), 100 tokens each: August is the
    /// last month covered whole, 31 days, 3,100 tokens; from 2026-08-02 to 2026-09-06 none is.
    #[test]
    fn the_last_full_calendar_month() {
        let day = |d: i64| d * 86_400;
        let july_30 = crate::model::date::Date::parse("2026-07-30")
            .unwrap()
            .days_since_epoch();
        let days = |first: i64, n: i64| -> Vec<UsageRecord> {
            (first..first + n)
                .map(|d| UsageRecord {
                    start: day(d),
                    end: day(d + 1),
                    model: None,
                    input_tokens: 100.0,
                    cached_tokens: Some(0.0),
                    output_tokens: 0.0,
                    requests: None,
                })
                .collect()
        };
        let s = summarize(&catalog(), &days(july_30, 35), None, (None, None)).unwrap();
        assert_eq!(
            s.last_full_month,
            Some(MonthTotal {
                month: "2026-08".into(),
                tokens: 3100.0
            })
        );
        let s = summarize(&catalog(), &days(july_30 + 3, 35), None, (None, None)).unwrap();
        assert_eq!(s.last_full_month, None);
        assert!(
            s.unavailable
                .iter()
                .any(|m| m.reason == Unavailable::NoFullMonth)
        );
    }

    /// Shares over the known models' tokens, merged by catalog id, in hundredths of a percent
    /// that add up to exactly 1.
    #[test]
    fn observed_models_become_a_mix_of_catalog_apis() {
        let model = |id: Option<&str>, share: f64| ModelUsage {
            model: Some(format!("{id:?}")),
            catalog_id: id.map(str::to_string),
            tokens_per_month: share * 1e6,
            share,
        };
        // (models, mix in hundredths of a percent, share unmapped)
        type Case = (Vec<ModelUsage>, Vec<(&'static str, u32)>, f64);
        let cases: Vec<Case> = vec![
            (
                vec![model(Some("a"), 0.75), model(Some("b"), 0.25)],
                vec![("a", 7500), ("b", 2500)],
                0.0,
            ),
            // Two dated names of one API merge; the unknown fifth is left out: 0.4 / 0.8.
            (
                vec![
                    model(Some("a"), 0.2),
                    model(None, 0.2),
                    model(Some("b"), 0.4),
                    model(Some("a"), 0.2),
                ],
                vec![("a", 5000), ("b", 5000)],
                0.2,
            ),
            // Thirds: 3333 each and the one left over to the first of the largest remainders.
            (
                vec![
                    model(Some("a"), 1.0 / 3.0),
                    model(Some("b"), 1.0 / 3.0),
                    model(Some("c"), 1.0 / 3.0),
                ],
                vec![("a", 3334), ("b", 3333), ("c", 3333)],
                0.0,
            ),
            // A share that rounds to nothing is left out; its tokens go to the rest.
            (
                vec![model(Some("a"), 0.99999), model(Some("b"), 0.00001)],
                vec![("a", 10000)],
                0.0,
            ),
            (vec![model(None, 1.0)], vec![], 1.0),
        ];
        for (models, want, unmapped) in cases {
            let (mix, left) = api_mix(&models);
            let got: Vec<(&str, u32)> = mix
                .iter()
                .map(|p| (p.api.as_str(), (p.share * 10_000.0).round() as u32))
                .collect();
            assert_eq!(got, want);
            assert!((left - unmapped).abs() < 1e-12, "{left} {unmapped}");
            if !mix.is_empty() {
                let sum: f64 = mix.iter().map(|p| p.share).sum();
                assert!((sum - 1.0).abs() < 1e-9, "{sum}");
            }
        }
    }

    #[test]
    fn model_names_map_to_catalog_apis() {
        let c = crate::input::catalog::load(&[]).unwrap();
        for (name, want) in [
            ("gpt-4o-2024-08-06", Some("gpt-4o")),
            ("gpt-4o-mini-2024-07-18", Some("gpt-4o-mini")),
            ("gpt-4.1-mini-2025-04-14", Some("gpt-4.1-mini")),
            ("claude-sonnet-4-5-20250929", Some("claude-sonnet-4.5")),
            ("gpt-4o", Some("gpt-4o")),
            ("gpt-4o-audio-preview", None),
            ("my-fine-tune", None),
            ("openai/gpt-4.1", Some("gpt-4.1")),
            ("anthropic/claude-sonnet-4.5", Some("claude-sonnet-4.5")),
            ("groq/llama-3.3-70b", Some("groq/llama-3.3-70b")),
            ("meta-llama/llama-3.3-70b-instruct", None),
        ] {
            assert_eq!(catalog_api(&c, name).as_deref(), want, "{name}");
        }
    }
}
