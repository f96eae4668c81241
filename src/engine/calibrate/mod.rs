//! An engine's constants fitted to a benchmark of the user's own deployment: each run's
//! measured time per output token at its measured concurrency against the sizing model's, by
//! least squares on the logs, over the step's constants the runs can determine; then the
//! prefill's launch time on the time to first token of the runs at one stream, and the steps a
//! prompt waits at load on that of the others (`first_token`).

mod constant;
mod first_token;
mod least_squares;

pub use constant::{Constant, Fitted, Kept};

use super::EngineError;
use super::serving::{kv::kv_precision, load::Load, parallel::AttentionSplit, sizing::Config};
pub use crate::model::bench::Run;
use crate::model::catalog::Catalog;
use crate::model::catalog::hardware::Serving;
use crate::model::workload::RequestShape;
use serde::Serialize;

/// Smallest share of a run's time per token a constant must move (|d ln TPOT / d ln value|)
/// for the runs to determine it.
pub const MIN_SENSITIVITY: f64 = 0.1;

/// Two runs are at different loads when their concurrencies differ by more than this share.
pub const DISTINCT_LOAD: f64 = 0.1;

/// What to calibrate: the deployment the runs measured.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationRequest {
    /// Engine id.
    pub engine: String,
    /// Model id.
    pub model: String,
    /// GPU id.
    pub gpu: String,
    /// GPUs of the server (its tensor-parallel degree).
    pub gpus: u32,
    /// Expert-parallel degree (1: none).
    pub ep: u32,
    /// Whether attention ran data-parallel.
    pub attention_dp: bool,
    /// Precision id of the weights.
    pub precision: String,
    /// Precision id of the KV cache; `None`: the engine's default.
    pub kv_precision: Option<String>,
    /// The runs.
    pub runs: Vec<Run>,
}

/// A run with the model's estimates before and after the fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunFit {
    /// The run as measured.
    pub run: Run,
    /// The estimate at the published constants.
    pub published: Load,
    /// The estimate at the fitted constants.
    pub fitted: Load,
}

/// A calibration's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibrated {
    /// Engine id.
    pub engine: String,
    /// Model id.
    pub model: String,
    /// GPU id.
    pub gpu: String,
    /// GPUs of the server.
    pub gpus: u32,
    /// GPUs the routed experts are spread over (1: split like the other weights).
    pub expert_parallel: u32,
    /// How the server's GPUs shared attention.
    pub attention: AttentionSplit,
    /// Precision id.
    pub precision: String,
    /// Every constant, fitted or kept.
    pub constants: Vec<Fitted>,
    /// Distinct loads among the runs.
    pub loads: usize,
    /// The runs with their estimates.
    pub runs: Vec<RunFit>,
    /// Median |ln(estimated / measured TPOT)| at the published constants.
    pub tpot_error_published: f64,
    /// The same at the fitted constants.
    pub tpot_error_fitted: f64,
    /// Median |ln(estimated / measured TTFT)| at the published constants.
    pub ttft_error_published: f64,
    /// The same at the fitted constants (the launch time fitted at one stream, the wait above).
    pub ttft_error_fitted: f64,
}

impl Calibrated {
    /// The median TPOT errors as shares (`e^|ln| - 1`: 0.16 for 16%), at the published and
    /// the fitted constants.
    pub fn error_shares(&self) -> (f64, f64) {
        (
            self.tpot_error_published.exp() - 1.0,
            self.tpot_error_fitted.exp() - 1.0,
        )
    }

    /// The median TTFT errors as shares, at the published and the fitted constants.
    pub fn ttft_error_shares(&self) -> (f64, f64) {
        (
            self.ttft_error_published.exp() - 1.0,
            self.ttft_error_fitted.exp() - 1.0,
        )
    }

    /// The fitted value of a constant, if it was fitted.
    pub fn fitted(&self, c: Constant) -> Option<f64> {
        self.constants
            .iter()
            .find(|f| f.constant == c)
            .and_then(|f| f.fitted)
    }
}

/// The model and its catalog entries for a request, at a set of constants.
struct Bench<'a> {
    catalog: &'a Catalog,
    request: &'a CalibrationRequest,
    kv: Option<&'a crate::model::catalog::hardware::Precision>,
}

impl Bench<'_> {
    /// The replica each run measured, at `serving`'s constants.
    fn configs<'s>(&'s self, serving: &'s Serving) -> Vec<Config<'s>> {
        let r = self.request;
        let (Some(model), Some(gpu), Some(precision)) = (
            self.catalog.model(&r.model),
            self.catalog.gpu(&r.gpu),
            self.catalog.precision(&r.precision),
        ) else {
            return Vec::new();
        };
        r.runs
            .iter()
            .map(|run| Config {
                model,
                gpu,
                precision,
                serving,
                tp: r.gpus,
                shape: RequestShape {
                    input_tokens: run.input_tokens,
                    output_tokens: run.output_tokens,
                },
                tpot_limit_ms: None,
                kv: self.kv,
                cached_share: 0.0,
                ep: r.ep,
                speculative: None,
                attention_dp: r.attention_dp,
            })
            .collect()
    }

    /// The estimate of each run at `serving`'s constants.
    fn loads(&self, serving: &Serving) -> Vec<Load> {
        self.configs(serving)
            .iter()
            .zip(&self.request.runs)
            .map(|(c, run)| c.at_concurrency(run.concurrency))
            .collect()
    }

    /// Whether the model fits on the GPUs at the first run's shape.
    fn fits(&self, serving: &Serving) -> bool {
        self.configs(serving).first().is_none_or(|c| c.size().fits)
    }

    /// The runs' log errors of TPOT.
    fn residuals(&self, serving: &Serving) -> Vec<f64> {
        self.loads(serving)
            .iter()
            .zip(&self.request.runs)
            .map(|(l, r)| (l.tpot_ms / r.tpot_ms).ln())
            .collect()
    }

    /// The largest |d ln TPOT / d ln value| of a constant over the runs, at its published
    /// value or its floor.
    fn sensitivity(&self, serving: &Serving, c: Constant) -> f64 {
        let mut at = serving.clone();
        let v = c.get(serving).max(c.floor());
        c.set(&mut at, v);
        let base = self.loads(&at);
        c.set(&mut at, v * 1.01);
        let moved = self.loads(&at);
        base.iter()
            .zip(&moved)
            .map(|(a, b)| (b.tpot_ms / a.tpot_ms).ln().abs() / 1.01_f64.ln())
            .fold(0.0, f64::max)
    }
}

/// Distinct loads among the runs: concurrencies more than [`DISTINCT_LOAD`] apart.
pub fn distinct_loads(runs: &[Run]) -> usize {
    let mut c: Vec<f64> = runs.iter().map(|r| r.concurrency).collect();
    c.sort_by(f64::total_cmp);
    let mut loads = 0;
    let mut last = f64::NEG_INFINITY;
    for x in c {
        if x > last * (1.0 + DISTINCT_LOAD) {
            loads += 1;
            last = x;
        }
    }
    loads
}

/// Median |ln(estimated / measured)| of a figure (`estimated` of an estimate, `measured` of a
/// run) over the runs.
fn median_error(
    estimates: &[Load],
    runs: &[Run],
    estimated: fn(&Load) -> f64,
    measured: fn(&Run) -> f64,
) -> f64 {
    median(
        estimates
            .iter()
            .zip(runs)
            .map(|(l, r)| (estimated(l) / measured(r)).ln().abs())
            .collect(),
    )
    .unwrap_or(0.0)
}

/// The median of some values, none when there are none.
fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => None,
        n if n % 2 == 1 => Some(v[n / 2]),
        n => Some(f64::midpoint(v[n / 2 - 1], v[n / 2])),
    }
}

/// Every constant with its sensitivity and, where the runs cannot determine it at all, why it
/// is kept; and the others, the candidates, most sensitive first (see [`calibrate`]).
fn determined(bench: &Bench, published: &Serving, loads: usize) -> (Vec<Fitted>, Vec<usize>) {
    let constants: Vec<Fitted> = Constant::STEP
        .iter()
        .map(|&c| {
            let sensitivity = bench.sensitivity(published, c);
            let kept = if c.additive() && loads < 2 {
                Some(Kept::OneLoad)
            } else if sensitivity < MIN_SENSITIVITY && !c.additive() {
                Some(Kept::Insensitive)
            } else {
                None
            };
            Fitted {
                constant: c,
                published: c.get(published),
                fitted: None,
                sensitivity,
                kept,
            }
        })
        .collect();
    let mut free: Vec<usize> = (0..constants.len())
        .filter(|&i| constants[i].kept.is_none())
        .collect();
    free.sort_by(|&a, &b| {
        constants[b]
            .sensitivity
            .total_cmp(&constants[a].sensitivity)
    });
    (constants, free)
}

/// Whether a fitted constant stopped at the end of its range (an overhead of zero is a value
/// the runs can give, not an end).
fn at_end_of_range(c: Constant, s: &Serving) -> bool {
    let (lo, hi) = c.bounds();
    let v = c.get(s);
    let near = |end: f64| (v - end).abs() < 1e-3 * (hi - lo);
    near(hi) || (!c.additive() && near(lo))
}

/// Fits as many candidates as there are distinct loads, the most sensitive first; a constant
/// the fit runs to the end of its range is one the runs do not determine (they trade it
/// against the others): it keeps its published value, marked so, the next candidate takes its
/// place and the fit is redone. Candidates never fitted are kept for want of loads. Returns the
/// constants fitted and the engine fitted (the published one when none is).
fn fit_free(
    bench: &Bench,
    published: &Serving,
    constants: &mut [Fitted],
    (mut waiting, loads): (Vec<usize>, usize),
) -> (Vec<usize>, Serving) {
    let mut free: Vec<usize> = waiting.drain(..loads.min(waiting.len())).collect();
    let mut fitted = published.clone();
    while !free.is_empty() {
        fitted = published.clone();
        let names: Vec<Constant> = free.iter().map(|&i| constants[i].constant).collect();
        least_squares::fit(&mut fitted, &names, &|s| bench.residuals(s));
        let at_end: Vec<usize> = free
            .iter()
            .copied()
            .filter(|&i| at_end_of_range(constants[i].constant, &fitted))
            .collect();
        if at_end.is_empty() {
            break;
        }
        for &i in &at_end {
            let c = constants[i].constant;
            constants[i].kept = Some(Kept::AtEndOfRange {
                value: c.get(&fitted),
            });
        }
        free.retain(|i| !at_end.contains(i));
        // The next most sensitive candidates take the places left.
        let room = (loads - free.len()).min(waiting.len());
        free.extend(waiting.drain(..room));
    }
    for &i in &waiting {
        constants[i].kept = Some(Kept::FewerLoads { loads });
    }
    if free.is_empty() {
        // Every candidate was given up: none of the fit's values stand.
        fitted = published.clone();
    }
    (free, fitted)
}

/// The engine the runs are measured against, as published (without any calibration of the
/// user's), once every id the request names is found in the catalog.
fn published_engine(catalog: &Catalog, r: &CalibrationRequest) -> Result<Serving, EngineError> {
    let unknown = |what: &'static str, id: &str| EngineError::UnknownId {
        what,
        id: id.to_string(),
    };
    catalog
        .model(&r.model)
        .ok_or_else(|| unknown("model id", &r.model))?;
    catalog
        .gpu(&r.gpu)
        .ok_or_else(|| unknown("GPU id", &r.gpu))?;
    catalog
        .precision(&r.precision)
        .ok_or_else(|| unknown("precision", &r.precision))?;
    let mut published = catalog
        .engine(&r.engine)
        .ok_or_else(|| unknown("engine", &r.engine))?
        .clone();
    published.calibrations.clear();
    Ok(published)
}

/// Fits the constants the runs determine: each efficiency acts on at least
/// [`MIN_SENSITIVITY`] of some run's time per token, an overhead needs two distinct loads
/// (one load cannot tell it from the rest of the step), and no more constants
/// are fitted than there are distinct loads (the ones that move the runs most first); then the
/// prefill's launch time on the runs at one stream (`first_token::launch`) and the wait at load on
/// the runs above it (`first_token::wait`). The rest keep the engine's published values; when
/// nothing is fitted the calibration is refused.
pub fn calibrate(catalog: &Catalog, r: &CalibrationRequest) -> Result<Calibrated, EngineError> {
    let published = published_engine(catalog, r)?;
    let bench = Bench {
        catalog,
        request: r,
        kv: kv_precision(catalog, r.kv_precision.as_deref())?,
    };
    if !bench.fits(&published) {
        return Err(EngineError::CalibrationDoesNotFit {
            model: r.model.clone(),
            precision: r.precision.clone(),
            gpus: r.gpus,
            gpu: r.gpu.clone(),
        });
    }
    let loads = distinct_loads(&r.runs);
    let (mut constants, candidates) = determined(&bench, &published, loads);
    let (free, mut fitted) = fit_free(&bench, &published, &mut constants, (candidates, loads));
    for &i in &free {
        constants[i].fitted = Some(constants[i].constant.get(&fitted));
    }
    // The time to first token's constants, each on the step's fitted ones: the launch time at
    // one stream, the wait at load on top of it, then the launch time again from its published
    // value with that wait (a run between one and 1.5 streams pays `1 - 1/N` of it).
    let fit_one = |fit: fn(&Bench, &Serving) -> Fitted, fitted: &mut Serving| {
        let f = fit(&bench, fitted);
        f.constant.set(fitted, f.fitted.unwrap_or(f.published));
        f
    };
    fit_one(first_token::launch, &mut fitted);
    let wait = fit_one(first_token::wait, &mut fitted);
    Constant::PrefillLayerOverheadUs.set(
        &mut fitted,
        Constant::PrefillLayerOverheadUs.get(&published),
    );
    let launch = fit_one(first_token::launch, &mut fitted);
    constants.extend([launch, wait]);
    if free.is_empty()
        && constants[Constant::STEP.len()..]
            .iter()
            .all(|f| f.fitted.is_none())
    {
        return Err(EngineError::NothingToCalibrate {
            runs: r.runs.len(),
            loads,
        });
    }
    let before = bench.loads(&published);
    let after = bench.loads(&fitted);
    Ok(Calibrated {
        engine: r.engine.clone(),
        model: r.model.clone(),
        gpu: r.gpu.clone(),
        gpus: r.gpus,
        expert_parallel: r.ep,
        attention: bench
            .configs(&published)
            .first()
            .map_or(AttentionSplit::TensorParallel, Config::attention),
        precision: r.precision.clone(),
        constants,
        loads,
        tpot_error_published: median_error(&before, &r.runs, |l| l.tpot_ms, |r| r.tpot_ms),
        tpot_error_fitted: median_error(&after, &r.runs, |l| l.tpot_ms, |r| r.tpot_ms),
        ttft_error_published: median_error(&before, &r.runs, |l| l.ttft_ms, |r| r.ttft_ms),
        ttft_error_fitted: median_error(&after, &r.runs, |l| l.ttft_ms, |r| r.ttft_ms),
        runs: r
            .runs
            .iter()
            .zip(before.into_iter().zip(after))
            .map(|(run, (published, fitted))| RunFit {
                run: run.clone(),
                published,
                fitted,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::catalog;

    /// The 70B test model in FP8 on two test GPUs (2 x 2,000 GB/s, FP8 natively), where the
    /// published engine runs at full efficiency with no overhead.
    fn request(concurrencies: &[f64], truth: &Serving) -> CalibrationRequest {
        request_on(&catalog(), concurrencies, truth, (2, 1, false))
    }

    /// The same on `c`, at `gpus` GPUs, an expert-parallel degree and attention split.
    fn request_on(
        c: &Catalog,
        concurrencies: &[f64],
        truth: &Serving,
        (gpus, ep, attention_dp): (u32, u32, bool),
    ) -> CalibrationRequest {
        let mut r = CalibrationRequest {
            engine: "batched".into(),
            model: "llama-3.1-70b".into(),
            gpu: "h100".into(),
            gpus,
            ep,
            attention_dp,
            precision: "fp8".into(),
            kv_precision: None,
            runs: concurrencies
                .iter()
                .map(|&c| Run {
                    source: format!("c{c}"),
                    concurrency: c,
                    input_tokens: 1000.0,
                    output_tokens: 200.0,
                    tpot_ms: 0.0,
                    ttft_ms: 0.0,
                    output_tokens_per_s: 0.0,
                })
                .collect(),
        };
        // The measurements: the model's own estimates at the true constants.
        let measured = Bench {
            catalog: c,
            request: &r,
            kv: None,
        }
        .loads(truth);
        for (run, l) in r.runs.iter_mut().zip(measured) {
            run.tpot_ms = l.tpot_ms;
            run.ttft_ms = l.ttft_ms;
            run.output_tokens_per_s = l.output_tokens_per_s;
        }
        r
    }

    fn truth() -> Serving {
        Serving {
            bandwidth_efficiency: 0.8,
            gemm_efficiency: 0.6,
            step_overhead_ms: 3.0,
            ..crate::engine::testing::serving()
        }
    }

    #[test]
    fn runs_at_three_loads_give_back_the_constants_that_made_them() {
        let c = catalog();
        let fit = calibrate(&c, &request(&[1.0, 16.0, 512.0], &truth())).unwrap();
        assert_eq!(fit.loads, 3);
        for (constant, want) in [
            (Constant::BandwidthEfficiency, 0.8),
            (Constant::GemmEfficiency, 0.6),
            (Constant::StepOverheadMs, 3.0),
        ] {
            let got = fit.fitted(constant).unwrap();
            assert!((got / want - 1.0).abs() < 0.005, "{constant:?}: {got}");
        }
        assert!(fit.tpot_error_fitted < 1e-4, "{}", fit.tpot_error_fitted);
        // Published: full efficiency and no overhead, so every estimate is too fast.
        assert!(fit.runs.iter().all(|r| r.published.tpot_ms < r.run.tpot_ms));
    }

    /// Runs made with a launch time of 700 µs a layer (the test 70B's 80 layers: 56 ms on each
    /// 1,000-token prompt's one forward), against an engine publishing 300 µs, give it back
    /// from their time to first token at one stream, with the step's constants from their time
    /// per token. It is kept where the engine captures forwards of up to 2,000 tokens (no
    /// run's prompt pays it), where no run is at one stream (at 4 sequences the first token
    /// also waits behind other prompts), and where the launch time is too small a share of the
    /// first token (an engine publishing none: 100 µs a layer would be 8 ms of a first token
    /// of 90 ms without it, under a tenth).
    #[test]
    fn the_prefill_launch_time_is_fitted_on_the_time_to_first_token() {
        let truth = Serving {
            prefill_layer_overhead_us: 700.0,
            ..truth()
        };
        let with = |f: &dyn Fn(&mut Serving)| {
            let mut c = catalog();
            c.engines.iter_mut().for_each(f);
            c
        };
        let c = with(&|e| e.prefill_layer_overhead_us = 300.0);
        let fit = calibrate(&c, &request(&[1.0, 16.0, 512.0], &truth)).unwrap();
        let got = fit.fitted(Constant::PrefillLayerOverheadUs).unwrap();
        assert!((got / 700.0 - 1.0).abs() < 0.005, "{got}");
        assert!(fit.ttft_error_fitted < 1e-3, "{}", fit.ttft_error_fitted);
        // Published: 300 µs a layer, every first token too early.
        assert!(fit.runs.iter().all(|r| r.published.ttft_ms < r.run.ttft_ms));
        let captured = with(&|e| {
            e.prefill_layer_overhead_us = 300.0;
            e.prefill_graph_tokens = Some(2000.0);
        });
        let none = with(&|e| e.prefill_layer_overhead_us = 0.0);
        for (catalog, loads, kept) in [
            (&captured, &[1.0, 16.0, 512.0][..], Kept::Captured),
            (
                &c,
                &[4.0, 16.0, 512.0][..],
                Kept::NoSingleStream { lowest: 4.0 },
            ),
            (&none, &[1.0, 16.0, 512.0][..], Kept::Insensitive),
        ] {
            let fit = calibrate(catalog, &request(loads, &truth)).unwrap();
            let launch = fit
                .constants
                .iter()
                .find(|f| f.constant == Constant::PrefillLayerOverheadUs)
                .unwrap();
            assert_eq!(
                (launch.constant, launch.fitted, launch.kept),
                (Constant::PrefillLayerOverheadUs, None, Some(kept)),
                "{loads:?} {launch:?}"
            );
        }
    }

    /// Runs made with a wait of 2.5 steps at load (and no launch time) give it back from their
    /// time to first token above one stream, against an engine publishing none; runs made
    /// without one give back 0. It is kept where no run is above one stream.
    #[test]
    fn the_wait_at_load_is_fitted_on_the_time_to_first_token_above_one_stream() {
        let c = catalog();
        let wait_of = |fit: &Calibrated| {
            fit.constants
                .iter()
                .find(|f| f.constant == Constant::PrefillWaitSteps)
                .unwrap()
                .clone()
        };
        let waits = Serving {
            prefill_wait_steps: 2.5,
            ..truth()
        };
        for (truth, want) in [(&waits, 2.5), (&truth(), 0.0)] {
            let fit = calibrate(&c, &request(&[1.0, 16.0, 512.0], truth)).unwrap();
            let got = wait_of(&fit).fitted.unwrap();
            assert!((got - want).abs() < 0.005, "{want}: {got}");
            assert!(fit.ttft_error_fitted < 1e-3, "{}", fit.ttft_error_fitted);
        }
        let fit = calibrate(&c, &request(&[1.0, 1.05], &waits)).unwrap();
        let kept = wait_of(&fit);
        assert_eq!(
            (kept.fitted, kept.kept),
            (None, Some(Kept::NoLoadedRun { highest: 1.05 }))
        );
        // Past the range: runs made with 30 steps give 30, and the published none is kept.
        let long = Serving {
            prefill_wait_steps: 30.0,
            ..truth()
        };
        let kept = wait_of(&calibrate(&c, &request(&[1.0, 16.0, 512.0], &long)).unwrap());
        match kept.kept {
            Some(Kept::OutOfRange { value }) => assert!((value - 30.0).abs() < 0.01, "{value}"),
            other => panic!("{other:?}"),
        }
        // Too small a share: with a launch time of 10 ms a layer (800 ms of every first token)
        // a step of wait at 4 or 8 sequences (about 20 ms) is under a tenth of it.
        let slow = Serving {
            prefill_layer_overhead_us: 1e4,
            prefill_wait_steps: 1.0,
            ..truth()
        };
        let mut c = catalog();
        c.engines
            .iter_mut()
            .for_each(|e| e.prefill_layer_overhead_us = 1e4);
        let kept = wait_of(&calibrate(&c, &request(&[1.0, 4.0, 8.0], &slow)).unwrap());
        assert_eq!((kept.fitted, kept.kept), (None, Some(Kept::Insensitive)));
        assert!(kept.sensitivity < MIN_SENSITIVITY, "{}", kept.sensitivity);
    }

    #[test]
    fn what_the_runs_cannot_determine_keeps_its_published_value() {
        struct Case {
            concurrencies: &'static [f64],
            fitted: &'static [Constant],
            kept: &'static [(Constant, Kept)],
        }
        use Constant::{BandwidthEfficiency as Bw, GemmEfficiency as Gemm, StepOverheadMs as Oh};
        let cases = [
            // One stream: the weights stream from memory, the GEMMs barely act (6 tokens a
            // step: one decoded, five of prefill), and one load cannot tell a fixed overhead
            // from the rest of the step.
            Case {
                concurrencies: &[1.0],
                fitted: &[Bw],
                kept: &[(Gemm, Kept::Insensitive), (Oh, Kept::OneLoad)],
            },
            // 1 and 1.05 sequences are one load (less than 10% apart).
            Case {
                concurrencies: &[1.0, 1.05],
                fitted: &[Bw],
                kept: &[(Gemm, Kept::Insensitive), (Oh, Kept::OneLoad)],
            },
            // Two loads, three constants acting at the larger: the two that move the runs
            // most are fitted.
            Case {
                concurrencies: &[1.0, 512.0],
                fitted: &[Bw, Gemm],
                kept: &[(Oh, Kept::FewerLoads { loads: 2 })],
            },
        ];
        let c = catalog();
        for case in cases {
            let fit = calibrate(&c, &request(case.concurrencies, &truth())).unwrap();
            // The step's constants (the launch time has its own test).
            for f in &fit.constants[..Constant::STEP.len()] {
                let want_fitted = case.fitted.contains(&f.constant);
                assert_eq!(
                    f.fitted.is_some(),
                    want_fitted,
                    "{:?} {f:?}",
                    case.concurrencies
                );
                if let Some((_, why)) = case.kept.iter().find(|(k, _)| *k == f.constant) {
                    assert_eq!(f.kept, Some(*why), "{:?} {f:?}", case.concurrencies);
                    assert_eq!(
                        f.published,
                        f.constant.get(&crate::engine::testing::serving())
                    );
                }
            }
            // One constant fitted to one run reproduces it exactly.
            if case.concurrencies.len() == 1 {
                assert!(fit.tpot_error_fitted < 1e-6, "{}", fit.tpot_error_fitted);
            }
        }
    }

    /// Runs of a mixture of experts served with its experts spread over 4 GPUs and attention
    /// data-parallel give back the constants that made them when calibrate is told the split,
    /// and other constants when the same runs are read as tensor-parallel (each GPU reading a
    /// quarter of every weight and paying the per-sequence time for the whole batch, where it
    /// read the shared weights whole, its own experts, and paid for a quarter of the batch).
    #[test]
    fn a_benchmark_is_fitted_at_the_split_it_ran() {
        let mut c = catalog();
        let m = &mut c.models[0];
        // 47B, 13B active: 8 experts of 5.667B, 2 a token, 1.667B shared.
        m.params_b = 47.0;
        m.active_params_b = 13.0;
        m.experts = Some(crate::model::catalog::hardware::Experts {
            count: 8,
            per_token: 2,
        });
        let truth = Serving {
            sequence_overhead_us: 40.0,
            ..truth()
        };
        let loads = [1.0, 16.0, 128.0, 512.0];
        let made = request_on(&c, &loads, &truth, (4, 4, true));
        let fit = calibrate(&c, &made).unwrap();
        assert_eq!(
            (fit.expert_parallel, fit.attention),
            (4, AttentionSplit::DataParallel)
        );
        assert!(fit.tpot_error_fitted < 1e-4, "{}", fit.tpot_error_fitted);
        for (constant, want) in [
            (Constant::BandwidthEfficiency, 0.8),
            (Constant::StepOverheadMs, 3.0),
            (Constant::SequenceOverheadUs, 40.0),
        ] {
            let got = fit.fitted(constant).unwrap();
            assert!((got / want - 1.0).abs() < 0.005, "{constant:?}: {got}");
        }
        let as_tp = CalibrationRequest {
            ep: 1,
            attention_dp: false,
            ..made.clone()
        };
        let wrong = calibrate(&c, &as_tp).unwrap();
        assert_eq!(wrong.attention, AttentionSplit::TensorParallel);
        // Read as tensor-parallel, the runs are met by no bandwidth efficiency up to 1 (the
        // fit stops at the end of its range), the per-sequence time comes out under half the
        // truth (the whole batch's on each GPU), and the runs are missed by over 1%.
        let kept = wrong.constants[0].kept;
        assert_eq!(kept, Some(Kept::AtEndOfRange { value: 1.0 }));
        let per_sequence = wrong.fitted(Constant::SequenceOverheadUs).unwrap();
        assert!(per_sequence < 20.0, "{per_sequence}");
        assert!(
            wrong.tpot_error_fitted > 0.01,
            "{}",
            wrong.tpot_error_fitted
        );
    }

    #[test]
    fn loads_are_distinct_when_more_than_a_tenth_apart() {
        let run = |c: f64| Run {
            source: String::new(),
            concurrency: c,
            input_tokens: 1.0,
            output_tokens: 2.0,
            tpot_ms: 1.0,
            ttft_ms: 1.0,
            output_tokens_per_s: 1.0,
        };
        for (concurrencies, want) in [
            (vec![1.0], 1),
            (vec![1.0, 1.05], 1),
            (vec![4.3, 1.0, 2.0, 4.0, 1.05], 3),
            (vec![1.0, 1.11, 1.25], 3),
        ] {
            let runs: Vec<Run> = concurrencies.iter().map(|&c| run(c)).collect();
            assert_eq!(distinct_loads(&runs), want, "{concurrencies:?}");
        }
    }

    #[test]
    fn unknown_ids_are_refused() {
        let mut r = request(&[1.0], &truth());
        r.gpu = "h200".into();
        let err = calibrate(&catalog(), &r).unwrap_err();
        assert_eq!(err.to_string(), "unknown GPU id \"h200\"");
    }
}
