//! The constants a calibration can set, and what the runs made of each: fitted, or kept
//! with the reason.

use crate::model::catalog::hardware::Serving;
use serde::Serialize;

/// A constant a calibration can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Constant {
    /// Share of peak memory bandwidth a step reaches.
    BandwidthEfficiency,
    /// Share of the measured matmul rate a step reaches.
    GemmEfficiency,
    /// Fixed time per step, ms.
    StepOverheadMs,
    /// Time per running sequence per step, µs.
    SequenceOverheadUs,
    /// Launch time a layer of a prompt's forwards outside CUDA graphs, µs: fitted on the time
    /// to first token at one stream (`first_token::launch`), as the wait below; the others on
    /// the time per token.
    PrefillLayerOverheadUs,
    /// Decode steps a new prompt waits at load before its first token: fitted on the time to
    /// first token of the runs above one stream (`first_token::wait`).
    PrefillWaitSteps,
}

impl Constant {
    /// The constants of a decode step, fitted on the time per token, in the order they are
    /// reported (the prefill's launch time and the wait at load follow them).
    pub const STEP: [Constant; 4] = [
        Constant::BandwidthEfficiency,
        Constant::GemmEfficiency,
        Constant::StepOverheadMs,
        Constant::SequenceOverheadUs,
    ];

    /// Whether it adds a time (an overhead) rather than dividing one (an efficiency).
    pub(super) fn additive(self) -> bool {
        matches!(
            self,
            Constant::StepOverheadMs
                | Constant::SequenceOverheadUs
                | Constant::PrefillLayerOverheadUs
                | Constant::PrefillWaitSteps
        )
    }

    /// Its field name in a pricing file.
    pub fn field(self) -> &'static str {
        match self {
            Constant::BandwidthEfficiency => "bandwidth_efficiency",
            Constant::GemmEfficiency => "gemm_efficiency",
            Constant::StepOverheadMs => "step_overhead_ms",
            Constant::SequenceOverheadUs => "sequence_overhead_us",
            Constant::PrefillLayerOverheadUs => "prefill_layer_overhead_us",
            Constant::PrefillWaitSteps => "prefill_wait_steps",
        }
    }

    pub(super) fn get(self, s: &Serving) -> f64 {
        match self {
            Constant::BandwidthEfficiency => s.bandwidth_efficiency,
            Constant::GemmEfficiency => s.gemm_efficiency,
            Constant::StepOverheadMs => s.step_overhead_ms,
            Constant::SequenceOverheadUs => s.sequence_overhead_us,
            Constant::PrefillLayerOverheadUs => s.prefill_layer_overhead_us,
            Constant::PrefillWaitSteps => s.prefill_wait_steps,
        }
    }

    pub(super) fn set(self, s: &mut Serving, v: f64) {
        match self {
            Constant::BandwidthEfficiency => s.bandwidth_efficiency = v,
            Constant::GemmEfficiency => s.gemm_efficiency = v,
            Constant::StepOverheadMs => s.step_overhead_ms = v,
            Constant::SequenceOverheadUs => s.sequence_overhead_us = v,
            Constant::PrefillLayerOverheadUs => s.prefill_layer_overhead_us = v,
            Constant::PrefillWaitSteps => s.prefill_wait_steps = v,
        }
    }

    /// The most a fit gives it (10,000 µs a layer for the launch time, 20 steps for the wait).
    pub fn limit(self) -> f64 {
        self.bounds().1
    }

    /// The range a fit searches: efficiencies as the pricing files bound them (a share of at
    /// least 1%), the overheads up to 100 ms a step, 1 ms a sequence and 10 ms a layer (as a
    /// pricing file bounds the last), the wait up to 20 steps.
    pub(super) fn bounds(self) -> (f64, f64) {
        match self {
            Constant::StepOverheadMs => (0.0, 100.0),
            Constant::SequenceOverheadUs => (0.0, 1000.0),
            Constant::PrefillLayerOverheadUs => (0.0, 1e4),
            Constant::PrefillWaitSteps => (0.0, 20.0),
            _ => (0.01, 1.0),
        }
    }

    /// The value its sensitivity is taken at, at least: an overhead published as zero still
    /// moves a step once it is a millisecond (or 10 µs a sequence, 100 µs a layer, one step of
    /// wait).
    pub(super) fn floor(self) -> f64 {
        match self {
            Constant::StepOverheadMs | Constant::PrefillWaitSteps => 1.0,
            Constant::SequenceOverheadUs => 10.0,
            Constant::PrefillLayerOverheadUs => 100.0,
            _ => 0.0,
        }
    }
}

/// Why a constant was not fitted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Kept {
    /// No run spends enough of its time per token where the constant acts.
    Insensitive,
    /// An overhead is told apart from the rest of a step only by runs at two loads.
    OneLoad,
    /// More constants act than the runs have distinct loads; the ones that move the runs
    /// most were fitted.
    FewerLoads {
        /// Distinct loads among the runs.
        loads: usize,
    },
    /// The fit ran it to the end of its range (an efficiency of 1% or 100%, an overhead at
    /// its ceiling): the runs trade it against the others rather than determine it.
    AtEndOfRange {
        /// Where the fit stopped.
        value: f64,
    },
    /// The prompts of the runs at one stream are short enough for the engine to capture their
    /// forwards in CUDA graphs: none pays a launch time a layer.
    Captured,
    /// No run is at one stream (at most `first_token::ONE_STREAM` sequences): at load a prompt's
    /// first token also waits behind other prompts, which the launch time would absorb.
    NoSingleStream {
        /// The fewest sequences a run averaged.
        lowest: f64,
    },
    /// The runs put the constant past its range (10 ms a layer, 20 steps): their time to first
    /// token holds more than the prefill, its launches and a wait.
    OutOfRange {
        /// The value the runs gave.
        value: f64,
    },
    /// No run is above one stream: the wait is what a prompt spends behind other sequences.
    NoLoadedRun {
        /// The most sequences a run averaged.
        highest: f64,
    },
}

/// One constant: its published value and what the runs made of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fitted {
    /// Which constant.
    pub constant: Constant,
    /// The engine's value in the catalog.
    pub published: f64,
    /// The fitted value, when the runs determine it.
    pub fitted: Option<f64>,
    /// The largest |d ln TPOT / d ln value| over the runs, at the published value (for the
    /// prefill's launch time and the wait, |d ln TTFT / d ln value| over the runs at one
    /// stream and above it).
    pub sensitivity: f64,
    /// Why it was kept, when it was.
    pub kept: Option<Kept>,
}
