//! Raw values to model values: unit parsing with positions, required fields, ranges,
//! dates and id suggestions. Every check records a [`Problem`] and goes on, so a file's
//! problems are all reported at once.

use super::problem::{Problem, Problems};
use super::raw::{OneOf, Q};
use super::yaml::{Located, Pos};
use crate::model::Named;
use crate::model::date::Date;
use crate::model::pricing::Provenance;
use crate::model::units::{self, UnitError, UnitKind};

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
        match q {
            Some(q) => self.opt(field, Some(q), parse),
            None => {
                self.report(entry, field, "is missing", Some(fix));
                None
            }
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
            Some(c) => match Date::parse(&c.value) {
                Ok(d) => Some(d),
                Err(e) => {
                    self.report(c.pos, &format!("{prefix}.checked"), e, None);
                    None
                }
            },
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

/// The id in `candidates` closest to `id`, if it is close enough to be a likely typo.
pub fn suggest<'a>(id: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let id = id.to_lowercase();
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    // A prefix ("h100" for "h100-sxm") is a stronger hint than a small edit distance.
    if id.len() >= 2
        && let Some(c) = candidates
            .iter()
            .find(|c| c.to_lowercase().starts_with(&id))
    {
        return Some(c);
    }
    candidates
        .into_iter()
        .map(|c| (edit_distance(&id, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(id.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A message for an unknown id: what is unknown, a suggestion and where to see the list.
pub fn unknown_id<'a>(
    what: &str,
    id: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    list: &str,
) -> String {
    match suggest(id, candidates) {
        Some(s) => format!(
            "unknown {what} {id:?}; did you mean {s:?}? (`llm-decide list {list}` shows them all)"
        ),
        None => {
            format!("unknown {what} {id:?}; `llm-decide list {list}` shows the ids you can use")
        }
    }
}

/// A message for an unknown id from a short list, naming every valid id.
pub fn unknown_among<'a>(
    what: &str,
    id: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    let all: Vec<&str> = candidates.clone().into_iter().collect();
    match suggest(id, candidates) {
        Some(s) => format!(
            "unknown {what} {id:?}; did you mean {s:?}? (one of {})",
            all.join(", ")
        ),
        None => format!("unknown {what} {id:?}; use one of {}", all.join(", ")),
    }
}

/// Levenshtein distance between two strings, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let ids = [
            "gpt-4o",
            "gpt-4o-mini",
            "claude-sonnet-4.5",
            "cloud-a100",
            "cloud-h100",
        ];
        let cases: &[(&str, Option<&str>)] = &[
            ("gpt4o", Some("gpt-4o")),
            ("GPT-4o", Some("gpt-4o")),
            ("gpt-4o-mni", Some("gpt-4o-mini")),
            ("cloud-a10", Some("cloud-a100")),
            ("claude-sonnet", Some("claude-sonnet-4.5")),
            ("llama", None),
            ("cloud", Some("cloud-a100")),
        ];
        for (id, want) in cases {
            assert_eq!(suggest(id, ids.iter().copied()), *want, "{id}");
        }
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
