//! Workload profiles: a scenario file and the flags become one [`WorkloadSpec`] (flags win),
//! which is resolved against the catalog and policy into a model [`Workload`]
//! (`resolve`, `traffic`). Every value remembers where it came from, so an error names the
//! flag or the file, line, column and field. The fields a file can set are read from the one
//! table that declares them ([`crate::workload_fields`]).
//!
//! [`Workload`]: crate::model::workload::Workload

pub mod capacity;
mod conflicts;
pub mod deployment;
pub mod raw;
pub mod resolve;
mod traffic;
pub mod uncertainty;

pub use resolve::resolve;

use crate::input::validate::{COUNT, Checker, MS, NUMBER, Parser, SHARE, USD};
use crate::input::yaml::{self, Located, OneOf, Q};
use crate::model::Named;
use crate::model::problem::{InputError, Problem, Problems};
use crate::model::units::{Bounds, UnitKind};
use crate::model::workload::spec::{Origin, Sourced, WorkloadSpec};
use crate::model::workload::{ApiShare, Budget};
use raw::{RawBudget, RawScenario};

/// Reads a scenario file's text into a spec. A YAML error fails at once; value problems are
/// returned next to the spec (with the bad fields left out), so that they can be reported
/// together with the problems found when the spec is resolved.
pub fn read_scenario(file: &str, text: &str) -> Result<(WorkloadSpec, Vec<Problem>), InputError> {
    let (raw, found): (RawScenario, _) =
        yaml::parse(file, text).map_err(|problems| InputError { problems })?;
    let mut problems = Problems(found);
    let mut ck = Checker {
        file,
        problems: &mut problems,
    };
    ck.version(&raw.version);
    let mut reader = Reader {
        ck,
        invalid: Vec::new(),
    };
    let mut spec = crate::workload_fields!(read_fields!(raw, reader));
    spec.ranges = raw
        .uncertainty
        .as_ref()
        .map(|u| uncertainty::scenario_ranges(&mut reader.ck, u));
    spec.budget = raw.budget.as_ref().map(|b| budget(&mut reader.ck, b));
    spec.invalid_fields = reader.invalid;
    Ok((spec, problems.0))
}

/// Reads a scenario file's text into a spec, failing on any problem.
pub fn parse_scenario(file: &str, text: &str) -> Result<WorkloadSpec, InputError> {
    let (spec, problems) = read_scenario(file, text)?;
    Problems(problems).finish(spec)
}

/// Reads each field of the table from a raw scenario, by its path, with its kind's reader.
macro_rules! read_fields {
    (($raw:ident, $r:ident) $($field:ident: $kind:ident $(($($arg:tt)*))? @ [$($path:ident).+] @ $($flag:ident $name:literal)? $(_)?;)*) => {
        WorkloadSpec {
            $($field: {
                let field = concat!($(stringify!($path), ".",)+).trim_end_matches('.');
                let value = read_fields!(@get $raw; $($path).+);
                read_fields!(@read $r, field, value, $kind $(($($arg)*))?)
            },)*
            ..WorkloadSpec::default()
        }
    };
    (@get $raw:ident; $a:ident) => { $raw.$a.as_ref() };
    (@get $raw:ident; $a:ident . $b:ident) => { $raw.$a.as_ref().and_then(|s| s.$b.as_ref()) };
    (@read $r:ident, $f:ident, $v:ident, Text) => { $r.text($f, $v) };
    (@read $r:ident, $f:ident, $v:ident, Number($p:ident)) => { $r.number($f, $v, crate::input::validate::$p) };
    (@read $r:ident, $f:ident, $v:ident, Count($max:literal)) => { $r.count($f, $v, $max) };
    (@read $r:ident, $f:ident, $v:ident, Seed) => { $r.seed($f, $v) };
    (@read $r:ident, $f:ident, $v:ident, Choice($t:path)) => { $r.choice::<$t>($f, $v) };
    (@read $r:ident, $f:ident, $v:ident, Flag) => { $r.located($f, $v) };
    (@read $r:ident, $f:ident, $v:ident, Texts) => { $r.texts($f, $v) };
    (@read $r:ident, $f:ident, $v:ident, Numbers($p:ident)) => { $r.numbers($f, $v, crate::input::validate::$p) };
    (@read $r:ident, $f:ident, $v:ident, Shares) => { $r.shares($f, $v) };
}
use read_fields;

/// Reads the values of a scenario file, each with its origin; a value that fails is
/// reported and left out, and its field remembered.
struct Reader<'a> {
    ck: Checker<'a>,
    invalid: Vec<String>,
}

impl Reader<'_> {
    fn origin(&self, field: &str, pos: yaml::Pos) -> Origin {
        Origin::File {
            file: self.ck.file.to_string(),
            pos,
            field: field.to_string(),
        }
    }

    fn sourced<T>(&self, field: &str, pos: yaml::Pos, value: T) -> Sourced<T> {
        Sourced {
            value,
            origin: self.origin(field, pos),
        }
    }

    fn located<T: Clone>(&mut self, field: &str, v: Option<&Located<T>>) -> Option<Sourced<T>> {
        v.map(|v| self.sourced(field, v.pos, v.value.clone()))
    }

    fn text(&mut self, field: &str, v: Option<&Located<String>>) -> Option<Sourced<String>> {
        self.located(field, v)
    }

    fn number(&mut self, field: &str, q: Option<&Q>, parse: Parser) -> Option<Sourced<f64>> {
        let q = q?;
        let Some(value) = self.ck.opt(field, Some(q), parse) else {
            self.invalid.push(field.to_string());
            return None;
        };
        Some(self.sourced(field, q.pos, value))
    }

    /// A whole number from `min` to `max`, and where it was written.
    fn whole(
        &mut self,
        field: &str,
        q: Option<&Q>,
        min: f64,
        max: f64,
    ) -> Option<(f64, yaml::Pos)> {
        let q = q?;
        let v = self.number(field, Some(q), COUNT)?.value;
        match Bounds::whole(min, max).check(v) {
            Ok(v) => Some((v, q.pos)),
            Err((message, fix)) => {
                self.invalid.push(field.to_string());
                self.ck.report(q.pos, field, message, Some(&fix));
                None
            }
        }
    }

    fn count(&mut self, field: &str, q: Option<&Q>, max: u32) -> Option<Sourced<u32>> {
        let (v, pos) = self.whole(field, q, 1.0, f64::from(max))?;
        Some(self.sourced(field, pos, v as u32))
    }

    fn seed(&mut self, field: &str, q: Option<&Q>) -> Option<Sourced<u64>> {
        // Seeds up to 2^53 are exact as numbers in YAML and JSON.
        let (v, pos) = self.whole(field, q, 0.0, 9_007_199_254_740_992.0)?;
        Some(self.sourced(field, pos, v as u64))
    }

    fn choice<T: Named>(
        &mut self,
        field: &str,
        v: Option<&Located<OneOf<T>>>,
    ) -> Option<Sourced<T>> {
        let v = v?;
        let value = self.ck.one_of(field, v)?;
        Some(self.sourced(field, v.pos, value))
    }

    fn texts(
        &mut self,
        field: &str,
        v: Option<&Located<Vec<Located<String>>>>,
    ) -> Option<Sourced<Vec<String>>> {
        let v = v?;
        let values = v.value.iter().map(|s| s.value.clone()).collect();
        Some(self.sourced(field, v.pos, values))
    }

    fn numbers(
        &mut self,
        field: &str,
        v: Option<&Located<Vec<Q>>>,
        parse: Parser,
    ) -> Option<Sourced<Vec<f64>>> {
        let list = v?;
        let values: Vec<f64> = list
            .value
            .iter()
            .filter_map(|q| self.ck.opt(field, Some(q), parse))
            .collect();
        (values.len() == list.value.len()).then(|| self.sourced(field, list.pos, values))
    }
}

impl Reader<'_> {
    /// A mix of APIs, each entry with where it was written (`apis[1]`), so that a problem
    /// with one names its line. A share that fails is reported here and kept as NaN, so that
    /// the mix's other problems are reported with it (the workload is refused either way).
    fn shares(
        &mut self,
        field: &str,
        v: Option<&Located<Vec<Located<raw::RawApiShare>>>>,
    ) -> Option<Sourced<Vec<Sourced<ApiShare>>>> {
        let list = v?;
        let mut parts = Vec::new();
        for (i, entry) in list.value.iter().enumerate() {
            let at = format!("{field}[{i}]");
            let share = self.number(&format!("{at}.share"), Some(&entry.value.share), SHARE);
            let api = entry.value.api.value.clone();
            let share = share.map_or(f64::NAN, |s| s.value);
            parts.push(self.sourced(&at, entry.pos, ApiShare { api, share }));
        }
        Some(self.sourced(field, list.pos, parts))
    }
}

/// The checks of a scenario's `budget` block.
pub(crate) fn budget(ck: &mut Checker, raw: &RawBudget) -> Budget {
    use crate::model::decision::Choice;
    let expect = raw.expect.as_ref().and_then(|e| {
        if Choice::from_id(&e.value).is_some() {
            Some(e.value.clone())
        } else {
            ck.report(
                e.pos,
                "budget.expect",
                format!("{:?} is not a recommendation", e.value),
                Some(&format!("use one of {}", Choice::ids())),
            );
            None
        }
    });
    let alert_at = raw.alert_at.as_ref().and_then(|e| {
        use crate::model::Named;
        use crate::model::workload::AlertAt;
        let found = AlertAt::from_id(&e.value);
        if found.is_none() {
            ck.report(
                e.pos,
                "budget.alert_at",
                format!("{:?} is not a trigger", e.value),
                Some(&format!("use one of {}", AlertAt::ids())),
            );
        }
        found
    });
    Budget {
        max_monthly_cost_usd: ck.opt(
            "budget.max_monthly_cost_usd",
            raw.max_monthly_cost_usd.as_ref(),
            USD,
        ),
        max_cost_per_mtok_usd: ck.opt(
            "budget.max_cost_per_mtok_usd",
            raw.max_cost_per_mtok_usd.as_ref(),
            USD,
        ),
        max_latency_ms: ck.opt_positive(
            "budget.max_latency_ms",
            raw.max_latency_ms.as_ref(),
            MS,
            UnitKind::Duration,
        ),
        expect,
        max_price_age_days: ck.opt(
            "budget.max_price_age_days",
            raw.max_price_age_days.as_ref(),
            NUMBER,
        ),
        alert_at,
    }
}
