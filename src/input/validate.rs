//! Raw values to model values: unit parsing with positions, required fields, ranges,
//! dates and id suggestions. Every check records a [`Problem`] and goes on, so a file's
//! problems are all reported at once.

use super::yaml::{Located, Pos};
use super::yaml::{OneOf, Q};
use crate::model::Named;
use crate::model::catalog::Provenance;
use crate::model::date::Date;
use crate::model::problem::{Problem, Problems};
use crate::model::suggest::suggest;
use crate::model::units::{self, Bounds, UnitError, UnitKind};
use crate::model::workload::uncertainty::ordered;

/// A unit parser: text to number.
pub type Parser = fn(&str) -> Result<f64, UnitError>;

/// Parses tokens.
pub const TOKENS: Parser = units::parse_tokens;
/// Parses USD.
pub const USD: Parser = units::parse_usd;
/// Parses a count (`100k`).
pub const COUNT: Parser = units::parse_count;
/// Parses a share.
pub const SHARE: Parser = units::parse_share;
/// Parses a plain number.
pub const NUMBER: Parser = units::parse_number;
/// Parses milliseconds (a plain number is milliseconds).
pub const MS: Parser = |t| units::parse_duration_ms(t, Some(1.0));

/// Checks values of one file, collecting problems.
pub struct Checker<'a> {
    /// The file being checked, as named in messages.
    pub file: &'a str,
    /// Problems found so far.
    pub problems: &'a mut Problems,
}

impl Checker<'_> {
    /// Records a problem at `pos` on `field`.
    pub fn report(&mut self, pos: Pos, field: &str, message: impl Into<String>, fix: Option<&str>) {
        let mut p = Problem::new(self.file, message).at(pos).field(field);
        if let Some(fix) = fix {
            p = p.fix(fix);
        }
        self.problems.push(p);
    }

    /// The value of a fixed-set field, or `None` and a problem naming the wrong id, the
    /// closest right one and every one it can be.
    pub fn one_of<T: Named>(&mut self, field: &str, v: &Located<OneOf<T>>) -> Option<T> {
        match &v.value.0 {
            Ok(t) => Some(*t),
            Err(text) => {
                let hint = suggest(text, T::ALL.iter().map(|t| t.id()))
                    .map_or(String::new(), |s| format!(" (did you mean {s:?}?)"));
                let fix = format!("use one of {}", T::ids());
                self.report(
                    v.pos,
                    field,
                    format!("unknown value {text:?}{hint}"),
                    Some(&fix),
                );
                None
            }
        }
    }

    /// [`Checker::one_of`] for an optional field.
    pub fn opt_one_of<T: Named>(
        &mut self,
        field: &str,
        v: Option<&Located<OneOf<T>>>,
    ) -> Option<T> {
        v.and_then(|v| self.one_of(field, v))
    }

    /// Parses an optional quantity.
    pub fn opt(&mut self, field: &str, q: Option<&Q>, parse: Parser) -> Option<f64> {
        let q = q?;
        match parse(&q.value.0) {
            Ok(v) => Some(v),
            Err(e) => {
                self.report(q.pos, field, e.to_string(), None);
                None
            }
        }
    }

    /// Parses a required quantity; a missing one is a problem at the entry's position.
    pub fn req(
        &mut self,
        entry: Pos,
        field: &str,
        q: Option<&Q>,
        parse: Parser,
        fix: &str,
    ) -> Option<f64> {
        if let Some(q) = q {
            self.opt(field, Some(q), parse)
        } else {
            self.report(entry, field, "is missing", Some(fix));
            None
        }
    }

    /// Parses a required quantity that must be greater than zero; a missing one is a problem
    /// at the entry's position.
    pub fn req_positive(
        &mut self,
        entry: Pos,
        field: &str,
        q: Option<&Q>,
        parse: Parser,
        kind: UnitKind,
        fix: &str,
    ) -> Option<f64> {
        if q.is_none() {
            self.report(entry, field, "is missing", Some(fix));
        }
        self.opt_positive(field, q, parse, kind)
    }

    /// A quantity read from `q` (its value `value`) within `bounds`; outside, a problem
    /// naming the limit.
    pub fn bounded(
        &mut self,
        field: &str,
        q: Option<&Q>,
        value: Option<f64>,
        bounds: Bounds,
    ) -> Option<f64> {
        let (q, v) = (q?, value?);
        match bounds.check(v) {
            Ok(v) => Some(v),
            Err((message, fix)) => {
                self.report(q.pos, field, message, Some(&fix));
                None
            }
        }
    }

    /// Parses an optional quantity that must be greater than zero.
    pub fn opt_positive(
        &mut self,
        field: &str,
        q: Option<&Q>,
        parse: Parser,
        kind: UnitKind,
    ) -> Option<f64> {
        let value = self.opt(field, q, parse)?;
        let q = q?;
        match units::require_positive(kind, &q.value.0, value) {
            Ok(v) => Some(v),
            Err(e) => {
                self.report(q.pos, field, e.to_string(), None);
                None
            }
        }
    }

    /// Parses a date (YYYY-MM-DD), or reports why it is not one.
    pub fn date(&mut self, field: &str, d: &Located<String>) -> Option<Date> {
        match Date::parse(&d.value) {
            Ok(date) => Some(date),
            Err(e) => {
                self.report(d.pos, field, e, None);
                None
            }
        }
    }

    /// Parses a `checked` date and a `source`, both required on catalog entries.
    pub fn provenance(
        &mut self,
        entry: Pos,
        prefix: &str,
        checked: Option<&Located<String>>,
        source: Option<&Located<String>>,
    ) -> Option<Provenance> {
        let checked = match checked {
            None => {
                self.report(
                    entry,
                    &format!("{prefix}.checked"),
                    "is missing",
                    Some("every catalog entry says when it was checked, as YYYY-MM-DD"),
                );
                None
            }
            Some(c) => self.date(&format!("{prefix}.checked"), c),
        };
        let source = match source {
            Some(s) if !s.value.trim().is_empty() => Some(s.value.clone()),
            Some(s) => {
                self.report(
                    s.pos,
                    &format!("{prefix}.source"),
                    "is empty",
                    Some("name where the figures come from"),
                );
                None
            }
            None => {
                self.report(
                    entry,
                    &format!("{prefix}.source"),
                    "is missing",
                    Some("every catalog entry names where its figures come from"),
                );
                None
            }
        };
        Some(Provenance {
            checked: Some(checked?),
            source: source?,
        })
    }

    /// Checks the file's `version` field.
    pub fn version(&mut self, version: &Located<u32>) {
        if version.value != 1 {
            self.report(
                version.pos,
                "version",
                format!("version {} is not supported", version.value),
                Some("this llm-decide reads version 1; write `version: 1`"),
            );
        }
    }
}

/// Three values `[min, likely, max]` of a list, each read as `kind`, in order.
pub fn three(
    ck: &mut Checker,
    field: &str,
    list: &Located<Vec<Q>>,
    kind: UnitKind,
) -> Option<[f64; 3]> {
    if list.value.len() != 3 {
        ck.report(
            list.pos,
            field,
            format!("has {} values", list.value.len()),
            Some("give three: [min, likely, max]"),
        );
        return None;
    }
    let parse = match kind {
        UnitKind::Tokens => TOKENS,
        UnitKind::Share => SHARE,
        _ => NUMBER,
    };
    let values: Vec<f64> = list
        .value
        .iter()
        .filter_map(|q| ck.opt(field, Some(q), parse))
        .collect();
    let values: [f64; 3] = values.try_into().ok()?;
    if kind != UnitKind::Share && values[0] <= 0.0 {
        ck.report(
            list.pos,
            field,
            format!("{} must be greater than zero", values[0]),
            Some("multipliers and volumes are positive"),
        );
        return None;
    }
    match ordered(values) {
        Ok(v) => Some(v),
        Err(e) => {
            ck.report(list.pos, field, e, None);
            None
        }
    }
}
