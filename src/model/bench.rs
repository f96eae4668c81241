//! A benchmark of the user's own deployment, as measured: what `llm-decide calibrate` fits
//! the engine's constants to.

use serde::Serialize;

/// One benchmark run: a load held long enough to measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    /// Where it was read: the file, with the line for a file of several runs.
    pub source: String,
    /// Requests in flight on average, by Little's law on the run's own figures.
    pub concurrency: f64,
    /// Mean prompt tokens a request.
    pub input_tokens: f64,
    /// Mean generated tokens a request.
    pub output_tokens: f64,
    /// Measured mean time per output token after the first, ms.
    pub tpot_ms: f64,
    /// Measured mean time to first token, ms.
    pub ttft_ms: f64,
    /// Measured output tokens per second of the server.
    pub output_tokens_per_s: f64,
}
