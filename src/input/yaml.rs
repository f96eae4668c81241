//! The one place that calls the YAML crate (`serde-saphyr`).
//!
//! It parses a document with strict, bounded options (duplicate keys rejected, strict
//! booleans, limits on depth, aliases and size), turns the crate's errors into
//! [`Problem`]s with file, line, column and field, and offers [`Located`] (a value with its
//! position) and [`Scalar`] (a number or a string kept as text, for the unit parser) to the
//! raw input types.

use crate::model::Named;
pub use crate::model::problem::Pos;
use crate::model::problem::Problem;
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use std::fmt;

/// The largest YAML file read, in bytes (4 MiB); larger files are rejected before parsing.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Unknown keys reported from one file before the parse gives up (each costs a parse).
const MAX_UNKNOWN_KEYS: usize = 20;

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub pos: Pos,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        Ok(Located {
            pos: Pos {
                line: spanned.referenced.line(),
                column: spanned.referenced.column(),
            },
            value: spanned.value,
        })
    }
}

/// A scalar kept as text: a YAML number (`2.5`, `1_000`) or string (`800M`, `$5k`, `33%`).
/// The unit parser decides what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a quantity such as 800M, 150ms, $5k or 33%")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// A number or quantity with its position.
pub type Q = Located<Scalar>;

/// One of a fixed set of ids (`spiky`, `p95`, `cloud`), read as text: a wrong one becomes a
/// validation problem reported with the file's others (with a "did you mean"), instead of a
/// parse error that hides them. [`super::validate::Checker::one_of`] reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOf<T>(pub Result<T, String>);

impl<'de, T: Named> Deserialize<'de> for OneOf<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(OneOf(T::from_id(text.trim()).ok_or(text)))
    }
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        with_snippet: false,
        strict_booleans: true,
        budget: serde_saphyr::budget! {
            max_depth: 32,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_events: 1_000_000,
            max_nodes: 500_000,
            max_documents: 1,
            max_total_scalar_bytes: MAX_FILE_BYTES,
        },
    }
}

/// Parses one YAML document into `T`. `file` names the source in error messages;
/// `text` is its content.
///
/// An unknown key written on its own line does not stop the parse: it is reported, the key
/// and its value are blanked out (lines are kept, so later positions hold) and the text is
/// parsed again, so one run lists every misspelt key (up to 20) along with the problems
/// validation finds after them. The value comes back with those problems; any other YAML error fails
/// the parse with every problem found so far.
pub fn parse<T: DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<(T, Vec<Problem>), Vec<Problem>> {
    if text.trim().is_empty() {
        return Err(vec![Problem::new(file, "the file is empty").fix(
            "write at least `version: 1`; run `llm-decide init` for a commented starter",
        )]);
    }
    let mut problems = Vec::new();
    let mut text = text.to_string();
    loop {
        let error = match serde_saphyr::from_str_with_options::<T>(&text, options()) {
            Ok(value) => return Ok((value, problems)),
            Err(e) => e,
        };
        let problem = to_problem(file, &text, &error);
        let retry = (problem.message.starts_with("unknown field")
            && problems.len() < MAX_UNKNOWN_KEYS)
            .then(|| without_key(&text, problem.pos))
            .flatten();
        problems.push(problem);
        match retry {
            Some(shorter) => text = shorter,
            None => return Err(problems),
        }
    }
}

/// `text` with the mapping key at `pos` and its value blanked out, or `None` when the key is
/// not the first thing on its line (a flow mapping or a sequence entry: no safe edit).
fn without_key(text: &str, pos: Pos) -> Option<String> {
    let mut lines: Vec<&str> = text.split('\n').collect();
    let at = usize::try_from(pos.line).ok()?.checked_sub(1)?;
    let line = *lines.get(at)?;
    let column = usize::try_from(pos.column).ok()?.checked_sub(1)?;
    if indent(line) != column || line.trim().is_empty() {
        return None;
    }
    // A key with nothing after the colon may have its sequence at the same indentation.
    let empty_value = line
        .split_once(':')
        .is_some_and(|(_, v)| v.trim().is_empty() || v.trim_start().starts_with('#'));
    lines[at] = "";
    for l in lines.iter_mut().skip(at + 1) {
        let t = l.trim();
        let inside = t.is_empty()
            || t.starts_with('#')
            || indent(l) > column
            || (empty_value && indent(l) == column && (t == "-" || t.starts_with("- ")));
        if !inside {
            break;
        }
        *l = "";
    }
    Some(lines.join("\n"))
}

/// Turns a serde-saphyr error into a problem with position, field and a fix.
fn to_problem(file: &str, text: &str, error: &serde_saphyr::Error) -> Problem {
    let pos = error
        .location()
        .map(|l| Pos {
            line: l.line(),
            column: l.column(),
        })
        .unwrap_or_default();
    let message = strip_location_suffix(&error.to_string());
    let field = field_at(text, pos);
    let mut problem = Problem::new(file, message.clone()).at(pos);
    if let Some(field) = field {
        problem = problem.field(field);
    }
    if message.starts_with("duplicate mapping key") {
        problem.message = message
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(&message)
            .to_string();
        problem = problem.fix("remove one of the two entries; a key may appear once per mapping");
    } else if let Some(rest) = message.strip_prefix("non-finite float ") {
        let value = rest
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_matches('`');
        problem.message = format!("{value} is not a finite number");
        problem = problem.fix("write a finite value with its unit, e.g. 800M, 150ms or 33%");
    } else if let Some(rest) = message.strip_prefix("unknown field `") {
        // "unknown field `tokens_per_mnth`, expected one of version, name, ..."
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known = expected
            .split_once("expected one of ")
            .or_else(|| expected.split_once("expected "))
            .map_or("", |(_, list)| list);
        let fix = match crate::model::suggest::suggest(
            key,
            known.split(", ").map(|k| k.trim_matches('`')),
        ) {
            Some(s) => format!("did you mean `{s}`? Otherwise remove it"),
            None => "remove it or correct its spelling".to_string(),
        };
        problem = problem.fix(fix);
    } else if message.contains("boolean") {
        problem = problem.fix("write true or false");
    } else if message.starts_with("unknown variant") {
        problem = problem.fix("use one of the values listed");
    } else if let Some(plain) = plain_expectation(&message) {
        // The parser's own terms ("expected mapping start") in the words of the file.
        problem.message = plain.to_string();
        problem =
            problem.fix("check the value's type against the documentation in docs/methodology.md");
    } else if message.starts_with("invalid") || message.contains("expected") {
        problem =
            problem.fix("check the value's type against the documentation in docs/methodology.md");
    } else if message.contains("Documents") {
        problem.message =
            "the file holds more than one YAML document (a `---` line starts another)".into();
        problem = problem.fix(
            "keep one document a file: remove the `---` and what follows, or split it into files",
        );
    } else if message.contains("budget") || message.contains("limit") {
        problem = problem
            .fix("the document is too deep, too large or uses too many aliases; simplify it");
    }
    problem
}

/// The parser's messages about a value of the wrong YAML type, in plain words; `None` for
/// other messages.
fn plain_expectation(message: &str) -> Option<&'static str> {
    Some(match message {
        m if m.starts_with("expected string scalar") => {
            "expected text (one value), found a list or a block of fields"
        }
        m if m.starts_with("expected mapping start") => {
            "expected a block of fields (`key: value` lines), found a single value or a list"
        }
        m if m.starts_with("expected sequence start") => {
            "expected a list (`[a, b]` or `- a` lines), found a single value or a block of fields"
        }
        m if m.contains("expected Option<") => "the value has the wrong type",
        _ => return None,
    })
}

/// serde-saphyr appends " at line L, column C" to its messages; the position is reported
/// separately, so drop it from the text.
fn strip_location_suffix(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The field at the error's line, as a path (`latency.target_ms`, `apis[gpt-4o].tier`): the
/// key written on that line and the keys of the block mappings it sits in, found by walking
/// up to lines indented less. A sequence entry shows as `[ID]` when it starts with `id: ID`,
/// else as `[]`. `None` when the line holds no `key:`.
fn field_at(text: &str, pos: Pos) -> Option<String> {
    if pos.line == 0 {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let at = usize::try_from(pos.line - 1).ok()?;
    let line = *lines.get(at)?;
    let (mut level, mut dash) = layout(line);
    let mut path = vec![key_of(line)?];
    // The entry this line starts or belongs to, while its parent key is still to be found.
    let mut entry: Option<String> = dash.map(|_| entry_of(line));
    for l in lines[..at].iter().rev() {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let (content, this_dash) = layout(l);
        if let Some(d) = this_dash {
            // A dash line whose content lines up with ours starts our entry.
            if entry.is_none() && content == level {
                entry = Some(entry_of(l));
                dash = Some(d);
                level = d;
            }
            continue;
        }
        // A parent: indented less (or, for an entry, as much as its dash).
        let parent = match dash {
            Some(d) if entry.is_some() => content <= d,
            _ => content < level,
        };
        if !parent {
            continue;
        }
        let Some(key) = key_of(l) else {
            break;
        };
        path.push(format!("{key}{}", entry.take().unwrap_or_default()));
        level = content;
        dash = None;
        if level == 0 {
            break;
        }
    }
    path.reverse();
    Some(path.join("."))
}

/// A line's content column and, for a sequence entry (`  - key: v`), its dash column.
fn layout(line: &str) -> (usize, Option<usize>) {
    let at = indent(line);
    match line[at..].strip_prefix("- ") {
        Some(after) => (at + 2 + indent(after), Some(at)),
        None => (at, None),
    }
}

/// The spaces a line starts with.
fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// A line without its indentation and sequence dash: `  - id: x` gives `id: x`.
fn entry_text(line: &str) -> &str {
    line.trim_start().trim_start_matches("- ").trim_start()
}

/// How a sequence entry shows in a path: `[ID]` when its line is `- id: ID`, else `[]`.
fn entry_of(line: &str) -> String {
    match entry_text(line).split_once(':') {
        Some(("id", id)) if !id.trim().is_empty() => format!("[{}]", id.trim()),
        _ => "[]".into(),
    }
}

/// The mapping key written on a line (`  tokens_per_month: 80x` gives `tokens_per_month`).
fn key_of(line: &str) -> Option<String> {
    let (key, _) = entry_text(line).split_once(':')?;
    let key = key.trim();
    let is_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    is_key.then(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[allow(dead_code)]
        count: u32,
        amount: Option<Located<Scalar>>,
    }

    #[test]
    fn scalar_keeps_numbers_and_strings_as_text() {
        let (doc, _): (Doc, _) = parse("t.yaml", "count: 1\namount: 800M\n").unwrap();
        let amount = doc.amount.unwrap();
        assert_eq!(amount.value, Scalar("800M".into()));
        assert_eq!(amount.pos, Pos { line: 2, column: 9 });
        let (doc, _): (Doc, _) = parse("t.yaml", "count: 1\namount: 2.5\n").unwrap();
        assert_eq!(doc.amount.unwrap().value, Scalar("2.5".into()));
    }

    #[test]
    fn errors_carry_position_and_field() {
        let cases: &[(&str, &str)] = &[
            (
                "count: x\n",
                "t.yaml:1:8: field `count`: invalid u32; check the value's type against the documentation in docs/methodology.md",
            ),
            (
                "count: 1\ncolor: red\n",
                "t.yaml:2:1: field `color`: unknown field `color`, expected one of count, amount; remove it or correct its spelling",
            ),
            (
                "count: 1\namout: 5\n",
                "t.yaml:2:1: field `amout`: unknown field `amout`, expected one of count, amount; did you mean `amount`? Otherwise remove it",
            ),
            (
                "count: 1\ncount: 2\n",
                "t.yaml:2:1: field `count`: duplicate mapping key: count; remove one of the two entries; a key may appear once per mapping",
            ),
            (
                "",
                "t.yaml: the file is empty; write at least `version: 1`; run `llm-decide init` for a commented starter",
            ),
        ];
        for (text, want) in cases {
            let (Ok((_, got)) | Err(got)) = parse::<Doc>("t.yaml", text);
            let got: Vec<String> = got.iter().map(ToString::to_string).collect();
            assert_eq!(got, vec![want.to_string()], "{text:?}");
        }
    }

    #[test]
    fn a_field_is_named_by_its_path() {
        let text = "version: 1\nlatency:\n  target_ms: 150\n  # note\n\n  metric: ttft\ngpus:\n  - id: h100\n    memory_gb: 80\n    prices:\n      - provider: x\n        class: hyperscaler\n  - id: h200\n    memory_gb: 141\napis:\n- id: a\n  tier: small\n- tier: strong\n";
        let at = |line: u64| field_at(text, Pos { line, column: 1 });
        let cases: &[(u64, &str)] = &[
            (1, "version"),
            (3, "latency.target_ms"),
            (6, "latency.metric"),
            (8, "gpus[h100].id"),
            (9, "gpus[h100].memory_gb"),
            (11, "gpus[h100].prices[].provider"),
            (12, "gpus[h100].prices[].class"),
            (14, "gpus[h200].memory_gb"),
            (17, "apis[a].tier"),
            (18, "apis[].tier"),
        ];
        for (line, want) in cases {
            assert_eq!(at(*line).as_deref(), Some(*want), "line {line}");
        }
        assert_eq!(at(4), None, "a comment names no field");
    }

    #[test]
    fn nan_is_rejected() {
        let e = parse::<Doc>("t.yaml", "count: 1\namount: .nan\n").unwrap_err();
        assert_eq!(e[0].pos.line, 2);
    }

    #[test]
    fn every_unknown_key_on_its_own_line_is_reported_and_the_rest_still_read() {
        let text = "color: red\ncount: 1\nextra:\n  - a\n  - b\nlist:\n- x\n- y\namount: 5M\nshade: {a: 1}\n";
        let (doc, found): (Doc, _) = parse("t.yaml", text).unwrap();
        let at: Vec<(u64, &str)> = found
            .iter()
            .map(|p| (p.pos.line, p.field.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            at,
            vec![(1, "color"), (3, "extra"), (6, "list"), (10, "shade")]
        );
        let amount = doc.amount.unwrap();
        assert_eq!((amount.value.0.as_str(), amount.pos.line), ("5M", 9));
    }

    #[test]
    fn the_parse_gives_up_after_twenty_unknown_keys() {
        let text: String = (0..25).map(|i| format!("k{i}: 1\n")).collect();
        let found = parse::<Doc>("t.yaml", &format!("count: 1\n{text}")).unwrap_err();
        assert_eq!(found.len(), MAX_UNKNOWN_KEYS + 1);
        assert_eq!(found.last().unwrap().pos.line, 22);
    }

    #[test]
    fn an_unknown_key_that_cannot_be_cut_out_stops_the_parse() {
        // In a flow mapping the key shares its line with others: no safe edit.
        let found = parse::<Doc>("t.yaml", "{count: 1, colour: red}\n").unwrap_err();
        assert_eq!(found.len(), 1);
        assert!(found[0].message.starts_with("unknown field `colour`"));
        // After the unknown key, a type error still stops the parse, with both reported.
        let found = parse::<Doc>("t.yaml", "colour: red\ncount: x\n").unwrap_err();
        let lines: Vec<u64> = found.iter().map(|p| p.pos.line).collect();
        assert_eq!(lines, vec![1, 2]);
    }
}
