//! Exports with one row a request (`LiteLLM`'s spend logs, any CSV or JSON lines with `--map`):
//! each row's time, model and token counts read through a field map and added up by hour and
//! model as the rows stream by, each request's lengths counted, so that memory does not grow
//! with the file.

use crate::model::workload::usage::{Lengths, Usage, UsageFormat, UsageRecord};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;

/// A field as mapped: alternatives, the first whose every path is present used, each the sum of
/// its paths' values (`prompt+cache_read|input_tokens`); a path's keys lead into nested JSON
/// (`metadata.usage.cached_tokens`), through JSON held as text too.
#[derive(Debug, Clone, PartialEq)]
pub struct Field(Vec<Vec<Vec<String>>>);

impl Field {
    fn parse(text: &str) -> Option<Field> {
        let alternatives: Option<Vec<Vec<Vec<String>>>> = text
            .split('|')
            .map(|alt| {
                alt.split('+')
                    .map(|path| {
                        let keys: Vec<String> =
                            path.trim().split('.').map(str::to_string).collect();
                        (!keys.iter().any(String::is_empty)).then_some(keys)
                    })
                    .collect()
            })
            .collect();
        alternatives.map(Field)
    }

    /// The field as `--map` writes it.
    pub fn text(&self) -> String {
        self.0
            .iter()
            .map(|alt| {
                alt.iter()
                    .map(|p| p.join("."))
                    .collect::<Vec<_>>()
                    .join("+")
            })
            .collect::<Vec<_>>()
            .join("|")
    }

    /// Each alternative's first path (for a field of single paths, each place it is looked
    /// for, in order).
    pub fn first_paths(&self) -> Vec<&[String]> {
        self.0.iter().map(|alt| alt[0].as_slice()).collect()
    }

    /// Whether some alternative has every path's first key in `has`.
    fn present(&self, has: &dyn Fn(&str) -> bool) -> bool {
        self.0.iter().any(|alt| alt.iter().all(|p| has(&p[0])))
    }
}

/// Where each figure of a request is in a row.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldMap {
    /// The request's time: RFC 3339 (no zone: UTC), or Unix seconds (milliseconds above 10^11).
    pub time: Field,
    /// The model, if the rows name one.
    pub model: Option<Field>,
    /// Input tokens, cached ones included.
    pub input: Field,
    /// Output tokens.
    pub output: Field,
    /// Input tokens read from a prompt cache.
    pub cached: Option<Field>,
}

/// The keys `--map` takes.
pub const MAP_KEYS: [&str; 5] = ["timestamp", "model", "input", "output", "cached"];

impl FieldMap {
    /// Parses `timestamp=..,model=..,input=..,output=..,cached=..` (model and cached optional);
    /// `Err` says what is wrong.
    pub fn parse(text: &str) -> Result<FieldMap, String> {
        let mut fields: HashMap<&str, Field> = HashMap::new();
        for pair in text.split(',').filter(|p| !p.trim().is_empty()) {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("`{pair}` is not KEY=FIELD"))?;
            let key = key.trim();
            if !MAP_KEYS.contains(&key) {
                return Err(format!(
                    "`{key}` is not a key of --map (keys: {})",
                    MAP_KEYS.join(", ")
                ));
            }
            let field = Field::parse(value)
                .ok_or_else(|| format!("`{key}={value}` names an empty field"))?;
            if fields.insert(key, field).is_some() {
                return Err(format!("`{key}` is mapped twice"));
            }
        }
        for key in ["timestamp", "model"] {
            if fields
                .get(key)
                .is_some_and(|f| f.0.iter().any(|alt| alt.len() > 1))
            {
                return Err(format!(
                    "`{key}=` takes one field, or alternatives (a|b), not a sum"
                ));
            }
        }
        let mut take = |key: &str| fields.remove(key);
        let need = |f: Option<Field>, key: &str| {
            f.ok_or_else(|| format!("`{key}=` is missing (needed: timestamp, input, output)"))
        };
        Ok(FieldMap {
            time: need(take("timestamp"), "timestamp")?,
            model: take("model"),
            input: need(take("input"), "input")?,
            output: need(take("output"), "output")?,
            cached: take("cached"),
        })
    }

    /// The first field none of whose alternatives `has` every key of: its `--map` key and
    /// where it was looked for. The needed fields always; with `all` (a map the user typed),
    /// the model and cached fields too, as a field named is a field expected.
    pub fn absent(&self, has: &dyn Fn(&str) -> bool, all: bool) -> Option<(&'static str, String)> {
        let optional = [
            ("model", self.model.as_ref()),
            ("cached", self.cached.as_ref()),
        ];
        [
            ("timestamp", Some(&self.time)),
            ("input", Some(&self.input)),
            ("output", Some(&self.output)),
        ]
        .into_iter()
        .chain(optional.into_iter().filter(|_| all))
        .filter_map(|(key, f)| Some((key, f?)))
        .find(|(_, f)| !f.present(has))
        .map(|(key, f)| (key, f.text()))
    }
}

/// A format with one row a request: its field map and the rows it leaves out by design.
#[derive(Debug, Clone)]
pub struct Preset {
    /// The format.
    pub format: UsageFormat,
    /// Where its figures are.
    pub map: FieldMap,
    /// Why a row is left out, if it is.
    pub excluded: fn(&dyn Row) -> Option<&'static str>,
    /// The top-level keys the map and the exclusion read: a JSON row is parsed for these only.
    pub keys: Vec<String>,
}

impl Preset {
    pub(super) fn new(
        format: UsageFormat,
        map: FieldMap,
        excluded: fn(&dyn Row) -> Option<&'static str>,
        also: &[&str],
    ) -> Preset {
        let mut keys: Vec<String> = [
            Some(&map.time),
            map.model.as_ref(),
            Some(&map.input),
            Some(&map.output),
            map.cached.as_ref(),
        ]
        .into_iter()
        .flatten()
        .flat_map(|f| f.0.iter().flatten().map(|p| p[0].clone()))
        .chain(also.iter().map(|k| (*k).to_string()))
        .collect();
        keys.sort();
        keys.dedup();
        Preset {
            format,
            map,
            excluded,
            keys,
        }
    }
}

/// A JSON object with only `keys` kept, every other value skipped as it is parsed (nothing
/// allocated for it): most of a request log's bytes are prompts, ids and metadata never read.
pub struct Keep<'a>(pub &'a [String]);

/// An object's key, borrowed from the input where it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(Visit)
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Keep<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Keep<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(Key(k)) = m.next_key()? {
            if self.0.iter().any(|x| *x == *k) {
                out.insert(k.into_owned(), m.next_value()?);
            } else {
                m.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(Value::Object(out))
    }
}

/// The object of JSON `text` with only `keys` parsed; `None` when it is not valid JSON.
pub fn parse_keeping(text: &[u8], keys: &[String]) -> Option<Value> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_slice(text);
    let value = Keep(keys).deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// A value of a row: JSON, or a CSV cell's text.
pub enum Cell<'a> {
    /// A JSON value (owned when it was parsed from text on the way).
    Json(Cow<'a, Value>),
    /// A CSV cell.
    Text(&'a str),
}

impl<'a> Cell<'a> {
    /// The text of a string value or cell.
    pub(super) fn text(&self) -> Option<&str> {
        match self {
            Cell::Json(v) => v.as_str(),
            Cell::Text(t) => Some(t),
        }
    }

    /// The value at `key` inside this one, JSON held as text parsed on the way.
    fn get(self, key: &str) -> Option<Cell<'a>> {
        let keys = [key.to_string()];
        let parsed = |t: &str| parse_keeping(t.as_bytes(), &keys);
        let owned = match self {
            Cell::Text(t) => parsed(t)?,
            Cell::Json(Cow::Borrowed(v)) => match v {
                Value::String(t) => parsed(t)?,
                v => return v.get(key).map(|v| Cell::Json(Cow::Borrowed(v))),
            },
            Cell::Json(Cow::Owned(v)) => match v {
                Value::String(t) => parsed(&t)?,
                v => v,
            },
        };
        match owned {
            Value::Object(mut map) => map.remove(key).map(|v| Cell::Json(Cow::Owned(v))),
            _ => None,
        }
    }

    /// A number of any sign, where the value is one (or its text).
    pub(super) fn number(&self) -> Option<f64> {
        let v = match self {
            Cell::Json(v) => match v.as_ref() {
                Value::Number(n) => n.as_f64(),
                Value::String(t) => t.trim().parse().ok(),
                _ => None,
            },
            Cell::Text(t) => t.trim().parse().ok(),
        };
        v.filter(|v: &f64| v.is_finite())
    }

    /// A count: `Ok(None)` when empty or null.
    pub(super) fn count(&self) -> Result<Option<f64>, &'static str> {
        let v = match self {
            Cell::Json(v) => match v.as_ref() {
                Value::Null => return Ok(None),
                Value::Number(n) => n.as_f64().ok_or(NOT_A_NUMBER)?,
                Value::String(t) => return text_count(t),
                _ => return Err(NOT_A_NUMBER),
            },
            Cell::Text(t) => return text_count(t),
        };
        checked(v)
    }

    /// A time in Unix seconds.
    fn time(&self) -> Result<i64, &'static str> {
        const BAD: &str = "a time that is not RFC 3339 nor Unix seconds from 1970 to 9999";
        match self {
            Cell::Json(v) => match v.as_ref() {
                Value::Number(n) => n.as_f64().and_then(seconds).ok_or(BAD),
                Value::String(t) => text_time(t).ok_or(BAD),
                _ => Err(BAD),
            },
            Cell::Text(t) => text_time(t).ok_or(BAD),
        }
    }
}

/// The last second read as a time: 9999-12-31 23:59:59 UTC.
pub const LAST_SECOND: i64 = 253_402_300_799;

/// Unix seconds (milliseconds above 10^11) as whole seconds, from 1970 to the year 9999.
fn seconds(v: f64) -> Option<i64> {
    let s = if v.abs() > 1e11 { v / 1000.0 } else { v };
    (s.is_finite() && (0.0..=LAST_SECOND as f64).contains(&s)).then(|| s.floor() as i64)
}

fn text_time(t: &str) -> Option<i64> {
    // Langfuse's CSV writes a time as JSON text, quotes included.
    let t = t.trim();
    let t = t
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(t);
    if let Ok(v) = t.parse::<f64>() {
        return seconds(v);
    }
    super::timestamp(t).filter(|s| (0..=LAST_SECOND).contains(s))
}

fn text_count(t: &str) -> Result<Option<f64>, &'static str> {
    let t = t.trim();
    if t.is_empty() {
        return Ok(None);
    }
    checked(t.parse().map_err(|_| NOT_A_NUMBER)?)
}

/// A count read: `Err` with the reason when not finite or negative.
pub(super) fn checked(v: f64) -> Result<Option<f64>, &'static str> {
    if !v.is_finite() {
        Err(NOT_A_NUMBER)
    } else if v < 0.0 {
        Err(NEGATIVE)
    } else {
        Ok(Some(v))
    }
}

/// Why a count cannot be used: not a number.
pub const NOT_A_NUMBER: &str = "a count that is not a number";
/// Why a count cannot be used: below zero.
pub const NEGATIVE: &str = "a negative count";
/// Why a row cannot be used: more of its input cached than it has.
pub const MORE_CACHED: &str = "more cached input tokens than input tokens";

/// A row of one request: its values by top-level key or column.
pub trait Row {
    /// The value at a top-level key (a JSON row's key, a CSV row's column).
    fn top(&self, key: &str) -> Option<Cell<'_>>;
}

impl Row for Value {
    fn top(&self, key: &str) -> Option<Cell<'_>> {
        self.get(key).map(|v| Cell::Json(Cow::Borrowed(v)))
    }
}

/// A CSV record with its header's columns.
pub struct CsvRow<'a> {
    /// The record.
    pub record: &'a csv::StringRecord,
    /// Each column's index by name.
    pub columns: &'a HashMap<String, usize>,
}

impl Row for CsvRow<'_> {
    fn top(&self, key: &str) -> Option<Cell<'_>> {
        let text = self.record.get(*self.columns.get(key)?)?;
        (!text.is_empty()).then_some(Cell::Text(text))
    }
}

fn lookup<'a>(row: &'a dyn Row, path: &[String]) -> Option<Cell<'a>> {
    path[1..]
        .iter()
        .try_fold(row.top(&path[0])?, |cell, key| cell.get(key))
}

/// The field's value: the first alternative whose paths are all present, summed.
fn sum(row: &dyn Row, field: &Field) -> Result<Option<f64>, &'static str> {
    'alternatives: for alt in &field.0 {
        let mut total = 0.0;
        for path in alt {
            match lookup(row, path).map(|c| c.count()).transpose()?.flatten() {
                Some(v) => total += v,
                None => continue 'alternatives,
            }
        }
        return Ok(Some(total));
    }
    Ok(None)
}

/// One request read.
struct Request {
    time: i64,
    input: f64,
    cached: Option<f64>,
    output: f64,
}

fn request(map: &FieldMap, row: &dyn Row) -> Result<Request, &'static str> {
    let time = map
        .time
        .0
        .iter()
        .find_map(|alt| lookup(row, &alt[0]))
        .ok_or("a row without a time")?
        .time()?;
    let input = sum(row, &map.input)?.ok_or("a row without input tokens")?;
    let output = sum(row, &map.output)?.ok_or("a row without output tokens")?;
    // A row without the cached field counts none cached if another row gives one (see
    // `Requests::finish`).
    let cached = match &map.cached {
        Some(f) => sum(row, f)?,
        None => None,
    };
    if cached.is_some_and(|c| c > input) {
        return Err(MORE_CACHED);
    }
    Ok(Request {
        time,
        input,
        cached,
        output,
    })
}

/// Tokens of an hour of one model.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    input: f64,
    cached: f64,
    output: f64,
    requests: f64,
}

/// Requests added up by hour and model as they are read.
#[derive(Debug, Default)]
pub struct Requests {
    by_model: HashMap<String, HashMap<i64, Sums>>,
    no_model: HashMap<i64, Sums>,
    lengths: Option<Lengths>,
    /// Whether any row gave a cached count: then a row without one counts none cached; if
    /// none did, the cached share is unknown.
    cached_seen: bool,
}

impl Requests {
    /// Reads a row of `preset`'s format: added, left out by design, or skipped with its reason.
    pub fn row(
        &mut self,
        preset: &Preset,
        row: &dyn Row,
        usage: &mut Usage,
        at: impl FnOnce() -> String,
    ) {
        if let Some(reason) = (preset.excluded)(row) {
            return usage.exclude(reason, at);
        }
        let r = match request(&preset.map, row) {
            Ok(r) => r,
            Err(reason) => return usage.skip(reason, at),
        };
        // The first alternative naming a model (an empty name is none).
        let model = preset.map.model.as_ref().and_then(|m| {
            m.0.iter()
                .filter_map(|alt| lookup(row, &alt[0]))
                .find(|c| c.text().is_some_and(|t| !t.is_empty()))
        });
        let model = model.as_ref().and_then(Cell::text);
        let hours = match model {
            Some(m) => match self.by_model.get_mut(m) {
                Some(h) => h,
                None => self.by_model.entry(m.to_string()).or_default(),
            },
            None => &mut self.no_model,
        };
        let s = hours.entry(r.time.div_euclid(3600) * 3600).or_default();
        s.input += r.input;
        if let Some(c) = r.cached {
            s.cached += c;
            self.cached_seen = true;
        }
        s.output += r.output;
        s.requests += 1.0;
        self.lengths
            .get_or_insert_with(Lengths::default)
            .record(r.input, r.output);
    }

    /// Adds another's sums (a worker's, reading part of a file).
    pub fn merge(&mut self, other: Requests) {
        let add = |into: &mut HashMap<i64, Sums>, from: HashMap<i64, Sums>| {
            for (hour, s) in from {
                let t = into.entry(hour).or_default();
                t.input += s.input;
                t.cached += s.cached;
                t.output += s.output;
                t.requests += s.requests;
            }
        };
        for (model, hours) in other.by_model {
            add(self.by_model.entry(model).or_default(), hours);
        }
        add(&mut self.no_model, other.no_model);
        if let Some(l) = other.lengths {
            self.lengths.get_or_insert_with(Lengths::default).merge(&l);
        }
        self.cached_seen |= other.cached_seen;
    }

    /// The hours as records, by model and hour, and the lengths, into `usage`.
    pub fn finish(self, usage: &mut Usage) {
        let seen = self.cached_seen;
        let mut records: Vec<UsageRecord> = self
            .by_model
            .into_iter()
            .map(|(m, h)| (Some(m), h))
            .chain(std::iter::once((None, self.no_model)))
            .flat_map(|(model, hours)| {
                hours.into_iter().map(move |(start, s)| UsageRecord {
                    start,
                    end: start + 3600,
                    model: model.clone(),
                    input_tokens: s.input,
                    cached_tokens: seen.then_some(s.cached),
                    output_tokens: s.output,
                    requests: Some(s.requests),
                })
            })
            .collect();
        records.sort_by(|a, b| (a.start, &a.model).cmp(&(b.start, &b.model)));
        usage.records.extend(records);
        if let Some(l) = self.lengths {
            match &mut usage.lengths {
                Some(all) => all.merge(&l),
                None => usage.lengths = Some(l),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_parse_or_say_what_is_wrong() {
        let map = FieldMap::parse("timestamp=ts,input=a+b|c,output=out,model=m").unwrap();
        assert_eq!(
            map.input,
            Field(vec![
                vec![vec!["a".to_string()], vec!["b".to_string()]],
                vec![vec!["c".to_string()]]
            ])
        );
        assert_eq!(map.cached, None);
        for (text, err) in [
            (
                "timestamp=ts,output=o",
                "`input=` is missing (needed: timestamp, input, output)",
            ),
            (
                "time=ts,input=i,output=o",
                "`time` is not a key of --map (keys: timestamp, model, input, output, cached)",
            ),
            (
                "timestamp=ts,input=a..b,output=o",
                "`input=a..b` names an empty field",
            ),
            ("timestamp", "`timestamp` is not KEY=FIELD"),
            ("timestamp=a,timestamp=b", "`timestamp` is mapped twice"),
            (
                "timestamp=a+b,input=i,output=o",
                "`timestamp=` takes one field, or alternatives (a|b), not a sum",
            ),
        ] {
            assert_eq!(FieldMap::parse(text).unwrap_err(), err, "{text}");
        }
    }

    /// A row's fields by hand: input is the first alternative present (a + b = 30, as c is
    /// also there but second), cached read through JSON held as text, the time in ms.
    #[test]
    fn a_row_is_read_through_its_map() {
        let map =
            FieldMap::parse("timestamp=t,model=m,input=a+b|c,output=o,cached=meta.usage.cached")
                .unwrap();
        let row: Value = serde_json::json!({
            "t": 3_600_000_000_000_i64, "m": "gpt-4o", "a": 10, "b": "20", "c": 99, "o": 5,
            "meta": "{\"usage\": {\"cached\": 7}}"
        });
        let r = request(&map, &row).unwrap();
        assert_eq!(
            (r.time, r.input, r.cached, r.output),
            (3_600_000_000, 30.0, Some(7.0), 5.0)
        );
        for (row, reason) in [
            (
                serde_json::json!({"t": 0, "a": 1, "b": 1}),
                "a row without output tokens",
            ),
            (
                serde_json::json!({"a": 1, "b": 1, "o": 1}),
                "a row without a time",
            ),
            (
                serde_json::json!({"t": "noon", "c": 1, "o": 1}),
                "a time that is not RFC 3339 nor Unix seconds from 1970 to 9999",
            ),
            (
                serde_json::json!({"t": 0, "c": -1, "o": 1}),
                "a negative count",
            ),
            (
                serde_json::json!({"t": 0, "c": "x", "o": 1}),
                "a count that is not a number",
            ),
            (
                serde_json::json!({"t": 0, "c": 1, "o": 1, "meta": {"usage": {"cached": 2}}}),
                "more cached input tokens than input tokens",
            ),
        ] {
            assert_eq!(request(&map, &row).err(), Some(reason), "{row}");
        }
    }

    /// Times as exports write them: RFC 3339, a database's zone-less time (UTC), Unix seconds
    /// or milliseconds, and Langfuse's CSV cell holding the time as JSON text, quotes included.
    #[test]
    fn request_times_by_hand() {
        for text in [
            "2026-08-03T09:00:00Z",
            "2026-08-03 09:00:00.123",
            "1785747600",
            "1785747600000",
            "\"2026-08-03T09:00:00.000Z\"",
        ] {
            assert_eq!(Cell::Text(text).time(), Ok(1_785_747_600), "{text}");
        }
        for bad in [
            "last tuesday",
            "inf",
            "NaN",
            "1e300",
            "-5",
            "0001-01-01T00:00:00Z",
        ] {
            assert!(Cell::Text(bad).time().is_err(), "{bad}");
        }
    }

    /// Three requests, two in hour 0 of one model and one in hour 1 of none: two records of
    /// that model's hour summed (100 + 300 in, 2 requests) and one without a model.
    #[test]
    fn requests_add_up_by_hour_and_model() {
        let preset = super::super::presets::preset(UsageFormat::LiteLlm, None);
        let mut requests = Requests::default();
        let mut usage = Usage::default();
        for (t, model, input, status) in [
            ("1970-01-01T00:10:00Z", Some("gpt-4o"), 100, "success"),
            ("1970-01-01T00:50:00Z", Some("gpt-4o"), 300, "success"),
            ("1970-01-01 01:05:00", None, 50, "success"),
            ("1970-01-01T01:06:00Z", Some("gpt-4o"), 70, "failure"),
        ] {
            let mut row = serde_json::json!({"startTime": t, "prompt_tokens": input,
                "completion_tokens": 10, "status": status});
            if let Some(m) = model {
                row["model"] = m.into();
            }
            requests.row(&preset, &row, &mut usage, || "here".into());
        }
        requests.finish(&mut usage);
        let got: Vec<_> = usage
            .records
            .iter()
            .map(|r| (r.start, r.model.as_deref(), r.input_tokens, r.requests))
            .collect();
        assert_eq!(
            got,
            [
                (0, Some("gpt-4o"), 400.0, Some(2.0)),
                (3600, None, 50.0, Some(1.0))
            ]
        );
        assert_eq!(
            usage.excluded[0].reason,
            "a failed request (status not success)"
        );
        // No row gave a cached count: unknown, not zero.
        assert!(usage.records.iter().all(|r| r.cached_tokens.is_none()));
        let lengths = usage.lengths.unwrap();
        assert_eq!(
            (
                lengths.input.len(),
                lengths.input.max(),
                lengths.output.max()
            ),
            (3, 300, 10)
        );
    }
}
