//! What the commands that read files of their own were asked: `pricing import-litellm`,
//! `calibrate` and `usage`, their flags resolved.

use crate::model::catalog::Tier;
use crate::model::date::Date;

/// What `pricing import-litellm` was asked to convert.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRequest {
    /// The file, URL or `-`.
    pub source: String,
    /// The `--as-of` date (`None`: the server's `Last-Modified`, else the day it is fetched).
    pub as_of: Option<Date>,
    /// Provider filter.
    pub providers: Vec<String>,
    /// Keep deprecated models.
    pub include_deprecated: bool,
    /// Tier for unknown models.
    pub tier: Tier,
}

/// What `calibrate` was asked to fit.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrateRequest {
    /// Result files or folders.
    pub files: Vec<String>,
    /// Model id.
    pub model: String,
    /// GPU id.
    pub gpu: String,
    /// GPUs of the server.
    pub gpus: u32,
    /// Expert-parallel degree, as typed.
    pub ep: Option<u32>,
    /// Whether attention ran data-parallel.
    pub attention_dp: bool,
    /// Precision id.
    pub precision: String,
    /// Engine id.
    pub engine: String,
    /// KV precision id.
    pub kv_precision: Option<String>,
    /// The `--as-of` date, for files without one.
    pub as_of: Option<Date>,
}

/// What `usage` was asked to read.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageRequest {
    /// Files or folders.
    pub files: Vec<String>,
    /// The format forced, if any.
    pub format: Option<crate::model::workload::usage::UsageFormat>,
    /// `--map`, as typed: the fields of a log of one request a row.
    pub map: Option<String>,
    /// The window of a database's rows read: from (inclusive) and to (exclusive), YYYY-MM-DD.
    pub window: (Option<String>, Option<String>),
    /// Print a database's queries instead of running them.
    pub explain: bool,
    /// The longest a database query may run, seconds, if given.
    pub statement_timeout: Option<u32>,
    /// Refuse skipped rows.
    pub strict: bool,
    /// Where to write the scenario, if asked.
    pub write_scenario: Option<String>,
}
