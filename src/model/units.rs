//! Units: one parser for token quantities, durations, money and shares, and the matching
//! printers.
//!
//! Flags and YAML fields go through the same parsers, so `800M` means the same thing
//! everywhere. Every parser rejects NaN, infinities, negative values, values too large
//! to be meaningful and malformed text, and says how to write the value instead. The
//! printers write quantities the way the parsers read them (`800M`, `$4,000`, `150 ms`).

use std::fmt;

/// The largest token quantity accepted: 10^18 tokens (a billion billion).
pub const MAX_TOKENS: f64 = 1e18;
/// The largest amount of money accepted: 10^15 USD.
pub const MAX_USD: f64 = 1e15;
/// The longest duration accepted: one day, in milliseconds.
pub const MAX_MS: f64 = 86_400_000.0;

/// What kind of quantity a text was meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// A number of tokens (`800M`, `1.5B`, `2e9`).
    Tokens,
    /// A duration (`150ms`, `0.2s`).
    Duration,
    /// An amount of US dollars (`5000`, `5k`, `$5,000`).
    Money,
    /// A share between 0 and 1 (`0.33`, `33%`, `1/3`).
    Share,
    /// A plain number (a count, a ratio, a rate).
    Number,
    /// A count with an optional multiplier suffix (`100k` requests).
    Count,
    /// An input/output price pair in USD per 1M tokens (`3/15`).
    PricePair,
}

impl UnitKind {
    /// How to write a valid value of this kind, for error messages.
    pub fn hint(self) -> &'static str {
        match self {
            UnitKind::Tokens => {
                "write a number of tokens with an optional k, M, B or T suffix, e.g. 800M, 1.5B, 750k, 2e9 or 1_000_000"
            }
            UnitKind::Duration => "write a duration with its unit, e.g. 150ms, 0.2s or 1.5s",
            UnitKind::Money => "write an amount in US dollars, e.g. 5000, 5k, $5,000 or 1.2M",
            UnitKind::Share => "write a share between 0 and 1, e.g. 0.33, 33% or 1/3",
            UnitKind::Number => "write a plain number, e.g. 2 or 0.5",
            UnitKind::Count => "write a count with an optional k, M or B suffix, e.g. 100k or 2.5M",
            UnitKind::PricePair => {
                "write the input and output prices in USD per 1M tokens separated by a slash, e.g. 3/15 or 0.15/0.6"
            }
        }
    }

    fn noun(self) -> &'static str {
        match self {
            UnitKind::Tokens => "token quantity",
            UnitKind::Duration => "duration",
            UnitKind::Money => "amount of money",
            UnitKind::Share => "share",
            UnitKind::Number => "number",
            UnitKind::Count => "count",
            UnitKind::PricePair => "price pair",
        }
    }
}

/// A value that could not be read as the quantity it was meant to be.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct UnitError {
    /// The kind of quantity expected.
    pub kind: UnitKind,
    /// The text as written.
    pub value: String,
    /// What is wrong with it.
    pub problem: String,
}

impl fmt::Display for UnitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a valid {}: {}; {}",
            self.value,
            self.kind.noun(),
            self.problem,
            self.kind.hint()
        )
    }
}

fn err(kind: UnitKind, value: &str, problem: impl Into<String>) -> UnitError {
    UnitError {
        kind,
        value: value.to_string(),
        problem: problem.into(),
    }
}

/// Parses a plain decimal number: digits with optional `_` or `,` grouping, a decimal point
/// and an exponent. Rejects `inf`, `NaN` and anything else `f64::from_str` would accept
/// beyond that grammar.
fn parse_plain(kind: UnitKind, original: &str, text: &str) -> Result<f64, UnitError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(err(kind, original, "there is no number"));
    }
    if text.starts_with('-') {
        return Err(err(kind, original, "it is negative"));
    }
    let body = text.strip_prefix('+').unwrap_or(text);
    let allowed =
        |c: char| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-' | '_' | ',');
    if !body.chars().all(allowed) || !body.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Err(err(kind, original, "it is not a number"));
    }
    if body.contains("__") || body.contains(",,") || body.ends_with(['_', ',']) {
        return Err(err(
            kind,
            original,
            "digit separators must sit between digits",
        ));
    }
    let cleaned: String = body.chars().filter(|c| *c != '_' && *c != ',').collect();
    let value: f64 = cleaned
        .parse()
        .map_err(|_| err(kind, original, "it is not a number"))?;
    if !value.is_finite() {
        return Err(err(kind, original, "it is too large"));
    }
    Ok(value)
}

/// Splits a trailing multiplier suffix (`k`, `M`, `B`/`G`, `T`) off a number.
fn split_multiplier(text: &str) -> (&str, f64) {
    let text = text.trim();
    match text.chars().last() {
        Some('k' | 'K') => (&text[..text.len() - 1], 1e3),
        Some('m' | 'M') => (&text[..text.len() - 1], 1e6),
        Some('b' | 'B' | 'g' | 'G') => (&text[..text.len() - 1], 1e9),
        Some('t' | 'T') => (&text[..text.len() - 1], 1e12),
        _ => (text, 1.0),
    }
}

fn check_range(kind: UnitKind, original: &str, value: f64, max: f64) -> Result<f64, UnitError> {
    if !value.is_finite() || value > max {
        return Err(err(
            kind,
            original,
            format!("it is larger than the limit of {max:e}"),
        ));
    }
    Ok(value)
}

/// Parses a token quantity: `800M`, `1.5B`, `750k`, `2e9`, `1_000_000`, `42`.
/// The result is a whole number of tokens (rounded to the nearest token).
pub fn parse_tokens(text: &str) -> Result<f64, UnitError> {
    parse_suffixed(UnitKind::Tokens, text)
}

/// Parses a count with an optional multiplier suffix: `100k`, `2.5M`, `1_000`.
pub fn parse_count(text: &str) -> Result<f64, UnitError> {
    parse_suffixed(UnitKind::Count, text)
}

fn parse_suffixed(kind: UnitKind, text: &str) -> Result<f64, UnitError> {
    let (number, multiplier) = split_multiplier(text);
    let value = check_range(
        kind,
        text,
        parse_plain(kind, text, number)? * multiplier,
        MAX_TOKENS,
    )?;
    // Only the noise of the suffix's multiplication (1.1 x 1e9) is cleaned: tokens are used
    // as typed (an average of 250.5 tokens a request is one), and a count is whole as typed
    // (2.5 requests or GPUs is refused, not rounded).
    let whole = value.round();
    let value = if (value - whole).abs() <= 1e-9 * value.abs().max(1.0) {
        whole
    } else {
        value
    };
    if kind == UnitKind::Count && value.fract() != 0.0 {
        return Err(err(kind, text, "it is not a whole number"));
    }
    Ok(value)
}

/// Parses a number of US dollars: `5000`, `5k`, `$5,000`, `$1.2M`, `0.15`.
pub fn parse_usd(text: &str) -> Result<f64, UnitError> {
    let kind = UnitKind::Money;
    let trimmed = text.trim();
    let unsigned = trimmed.strip_prefix('$').unwrap_or(trimmed);
    if unsigned.trim_start().starts_with('-') || trimmed.starts_with("-$") {
        return Err(err(kind, text, "it is negative"));
    }
    let (number, multiplier) = split_multiplier(unsigned);
    let value = parse_plain(kind, text, number)? * multiplier;
    check_range(kind, text, value, MAX_USD)
}

/// Parses a duration into milliseconds: `150ms`, `0.2s`, `1.5s`, `250us`.
/// A plain number is accepted only when `plain_unit_ms` says what one unit is in
/// milliseconds (YAML fields named `*_ms` pass `Some(1.0)`); flags require a unit.
pub fn parse_duration_ms(text: &str, plain_unit_ms: Option<f64>) -> Result<f64, UnitError> {
    let kind = UnitKind::Duration;
    let trimmed = text.trim();
    let (number, scale) = if let Some(n) = trimmed.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = trimmed
        .strip_suffix("us")
        .or_else(|| trimmed.strip_suffix("µs"))
    {
        (n, 0.001)
    } else if let Some(n) = trimmed.strip_suffix('s') {
        (n, 1000.0)
    } else if let Some(unit) = plain_unit_ms {
        (trimmed, unit)
    } else {
        let plain = parse_plain(kind, text, trimmed)?;
        return Err(err(
            kind,
            text,
            format!("it has no unit (did you mean {plain}ms?)"),
        ));
    };
    let value = parse_plain(kind, text, number)? * scale;
    check_range(kind, text, value, MAX_MS)
}

/// Parses a share between 0 and 1: `0.33`, `33%`, `1/3`.
pub fn parse_share(text: &str) -> Result<f64, UnitError> {
    let kind = UnitKind::Share;
    let trimmed = text.trim();
    let value = if let Some(pct) = trimmed.strip_suffix('%') {
        parse_plain(kind, text, pct)? / 100.0
    } else if let Some((num, den)) = trimmed.split_once('/') {
        let n = parse_plain(kind, text, num)?;
        let d = parse_plain(kind, text, den)?;
        if d == 0.0 {
            return Err(err(kind, text, "it divides by zero"));
        }
        n / d
    } else {
        parse_plain(kind, text, trimmed)?
    };
    if value > 1.0 {
        return Err(err(kind, text, "it is more than 1 (100%)"));
    }
    Ok(value)
}

/// Parses a plain non-negative number: a count, a ratio, a multiplier.
pub fn parse_number(text: &str) -> Result<f64, UnitError> {
    let kind = UnitKind::Number;
    let value = parse_plain(kind, text, text)?;
    check_range(kind, text, value, 1e15)
}

/// Parses an input/output price pair in USD per 1M tokens: `3/15`, `$2.50/$10`.
pub fn parse_price_pair(text: &str) -> Result<(f64, f64), UnitError> {
    let kind = UnitKind::PricePair;
    let Some((input, output)) = text.split_once('/') else {
        return Err(err(kind, text, "there is no slash between the two prices"));
    };
    let side = |t: &str| parse_usd(t).map_err(|e| err(kind, text, e.problem));
    Ok((side(input)?, side(output)?))
}

/// Rejects zero where zero is meaningless (a monthly volume, a latency target).
pub fn require_positive(kind: UnitKind, text: &str, value: f64) -> Result<f64, UnitError> {
    if value > 0.0 {
        Ok(value)
    } else {
        Err(err(kind, text, "it must be greater than zero"))
    }
}

/// Prints a number with up to `digits` significant digits, trailing zeros dropped.
pub fn significant(value: f64, digits: i32) -> String {
    if value == 0.0 {
        return "0".into();
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (digits - 1 - magnitude).max(0) as usize;
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// Prints a token quantity: `800M`, `1.5B`, `533.3M`, `750k`, `42`; from 10^15 `1.5e16`.
pub fn fmt_tokens(tokens: f64) -> String {
    if !tokens.is_finite() {
        return "unbounded".into();
    }
    if tokens.abs() >= SCIENTIFIC_FROM {
        return scientific(tokens);
    }
    let (scale, suffix) = match tokens.abs() {
        t if t >= 1e12 => (1e12, "T"),
        t if t >= 1e9 => (1e9, "B"),
        t if t >= 1e6 => (1e6, "M"),
        t if t >= 1e3 => (1e3, "k"),
        _ => (1.0, ""),
    };
    format!("{}{suffix}", significant(tokens / scale, 4))
}

/// Prints whole-number digits with thousands separators.
fn grouped(whole: u64) -> String {
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The range a quantity must fall in to mean something (an hour of business a month, a GPU
/// with some bandwidth, a unit serving at least a million tokens): a value outside is refused
/// with the limit named, never clamped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// Its kind, for printing the limits.
    pub kind: UnitKind,
    /// Smallest meaningful value.
    pub min: f64,
    /// Largest meaningful value.
    pub max: f64,
    /// Whether it must be a whole number.
    pub whole: bool,
}

impl Bounds {
    /// Values from `min` to `max` of a kind.
    pub const fn new(kind: UnitKind, min: f64, max: f64) -> Bounds {
        Bounds {
            kind,
            min,
            max,
            whole: false,
        }
    }

    /// Whole numbers from `min` to `max`.
    pub const fn whole(min: f64, max: f64) -> Bounds {
        Bounds {
            kind: UnitKind::Number,
            min,
            max,
            whole: true,
        }
    }

    /// A limit as its kind prints.
    pub fn show(&self, v: f64) -> String {
        match self.kind {
            UnitKind::Tokens => fmt_tokens(v),
            UnitKind::Duration => fmt_ms(v),
            UnitKind::Money => fmt_usd(v),
            // A share too small for a tenth of a percent is shown as written.
            UnitKind::Share if v != 0.0 && v.abs() < 0.001 => format!("{v}"),
            UnitKind::Share => fmt_share(v),
            _ if self.whole || v.abs() >= 1000.0 => fmt_count(v),
            _ => format!("{v}"),
        }
    }

    /// The value, or what is wrong with it and the fix.
    pub fn check(&self, v: f64) -> Result<f64, (String, String)> {
        if self.whole && v.fract() != 0.0 {
            return Err((
                format!("{v} is not a whole number"),
                "give a whole number".into(),
            ));
        }
        if v < self.min {
            return Err((
                format!(
                    "{} is below the limit of {}",
                    self.show(v),
                    self.show(self.min)
                ),
                format!("give at least {}", self.show(self.min)),
            ));
        }
        if v > self.max {
            return Err((
                format!(
                    "{} is above the limit of {}",
                    self.show(v),
                    self.show(self.max)
                ),
                format!("give at most {}", self.show(self.max)),
            ));
        }
        Ok(v)
    }
}

/// Amounts from this size on are printed in scientific notation: their digits past the
/// sixteenth are not known, and a `u64` could not hold them past 1.8e19.
const SCIENTIFIC_FROM: f64 = 1e15;

/// Prints a large amount as `1.82e21`, three significant digits.
fn scientific(x: f64) -> String {
    let exponent = x.abs().log10().floor();
    format!("{}e{exponent}", significant(x / 10f64.powf(exponent), 3))
}

/// The currency amounts are shown in when it is not the US dollar: its ISO 4217 code, units of
/// it per US dollar, the day the rate is of (when given) and where the rate came from. Figures
/// are computed, stored and written to JSON and CSV in USD; the table, Markdown and HTML
/// reports show them converted, within a [`Shown`] scope.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Currency {
    /// ISO 4217 code (`EUR`).
    pub code: String,
    /// Units of the currency per US dollar.
    pub per_usd: f64,
    /// The day the rate is of, when given.
    pub as_of: Option<crate::model::date::Date>,
    /// Where the rate came from (`--fx`, or the settings file).
    pub source: String,
}

/// The currency flags as typed: `--currency`, `--fx` and `--fx-date`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CurrencyFlags {
    /// `--currency`.
    pub code: Option<String>,
    /// `--fx`: units of the currency per USD.
    pub per_usd: Option<f64>,
    /// `--fx-date`: the day the rate is of.
    pub as_of: Option<crate::model::date::Date>,
}

thread_local! {
    /// The currency amounts are printed in on this thread; `None`: US dollars.
    static SHOWN: std::cell::RefCell<Option<(String, f64)>> = const { std::cell::RefCell::new(None) };
}

/// While alive, [`fmt_usd`] and the other money printers on this thread print amounts in
/// `currency`, converted at its rate (`EUR 1,234`); the one it replaced comes back at the end.
/// Reports open one around the text they write, never around input errors, whose amounts are
/// the dollars the user typed.
pub struct Shown {
    previous: Option<(String, f64)>,
}

impl Shown {
    /// Prints in `currency` (`None`: US dollars) until dropped.
    pub fn scope(currency: Option<&Currency>) -> Shown {
        let now = currency.map(|c| (c.code.clone(), c.per_usd));
        Shown {
            previous: SHOWN.with_borrow_mut(|s| std::mem::replace(s, now)),
        }
    }
}

impl Drop for Shown {
    fn drop(&mut self) {
        let previous = self.previous.take();
        SHOWN.with_borrow_mut(|s| *s = previous);
    }
}

/// The prefix of an amount in the shown currency (`$`, or the code and a no-break space) and
/// the amount
/// in it.
fn shown(usd: f64) -> (String, f64) {
    SHOWN.with_borrow(|s| match s {
        // A no-break space: the code stays with its amount when a line wraps.
        Some((code, rate)) => (format!("{code}\u{a0}"), usd * rate),
        None => ("$".to_string(), usd),
    })
}

/// An amount of US dollars in the shown currency, as a bare number for a column whose title
/// names the currency.
pub fn shown_amount(usd: f64) -> f64 {
    shown(usd).1
}

/// The code of the currency amounts are shown in (`USD`, `EUR`).
pub fn shown_code() -> String {
    SHOWN.with_borrow(|s| {
        s.as_ref()
            .map_or_else(|| "USD".to_string(), |(c, _)| c.clone())
    })
}

/// The symbol a column of amounts is headed by: `$`, or the code.
pub fn shown_symbol() -> String {
    SHOWN.with_borrow(|s| {
        s.as_ref()
            .map_or_else(|| "$".to_string(), |(c, _)| c.clone())
    })
}

/// Prints an amount of US dollars: `$4,000`, `$75`, `$7.50` (cents below $100), `-$250`,
/// `$1.82e21`; an amount that is not finite as `unbounded`. Within a [`Shown`] scope, in its
/// currency: `EUR 3,680`.
pub fn fmt_usd(usd: f64) -> String {
    if !usd.is_finite() {
        return "unbounded".into();
    }
    let (unit, amount) = shown(usd);
    let sign = if amount < 0.0 { "-" } else { "" };
    let abs = amount.abs();
    if abs < 100.0 && abs.fract().abs() > 0.004 {
        return format!("{sign}{unit}{abs:.2}");
    }
    if abs >= SCIENTIFIC_FROM {
        return format!("{sign}{unit}{}", scientific(abs));
    }
    format!("{sign}{unit}{}", grouped(abs.round() as u64))
}

/// Prints a count with thousands separators (`4,294,967,295`), or `1.5e16` from 10^15 on.
pub fn fmt_count(n: f64) -> String {
    if !n.is_finite() {
        return "unbounded".into();
    }
    if n.abs() >= SCIENTIFIC_FROM {
        return scientific(n);
    }
    let sign = if n < 0.0 { "-" } else { "" };
    format!("{sign}{}", grouped(n.abs().round() as u64))
}

/// Prints a unit price as it was given (`$2.49`, `$0.12`); in another currency, converted to four
/// significant digits (`EUR 2.291`).
pub fn fmt_rate(usd: f64) -> String {
    SHOWN.with_borrow(|s| match s {
        Some((code, rate)) => format!("{code}\u{a0}{}", significant(usd * rate, 4)),
        None => format!("${usd}"),
    })
}

/// Prints USD per 1M tokens: `$7.50`, `$0.075` (two decimals, or three significant digits
/// below $0.10), in the shown currency.
pub fn fmt_usd_per_mtok(usd: f64) -> String {
    let (unit, amount) = shown(usd);
    if amount >= 0.1 || amount == 0.0 {
        format!("{unit}{amount:.2}")
    } else {
        format!("{unit}{}", significant(amount, 3))
    }
}

/// Prints milliseconds to three significant digits: `150 ms`, `5.5 ms`, `77 ms`; a second or
/// more in seconds: `4.7 s`, `25.1 s`; a time that is not finite (a saturated queue) as
/// `unbounded`.
pub fn fmt_ms(ms: f64) -> String {
    if !ms.is_finite() {
        // A saturated queue: the wait grows without bound.
        return "unbounded".into();
    }
    if ms.abs() >= 1000.0 {
        format!("{} s", significant(ms / 1000.0, 3))
    } else {
        format!("{} ms", significant(ms, 3))
    }
}

/// Prints a share as a percentage: `33.3%`, `6.3%`, `100%`.
pub fn fmt_share(share: f64) -> String {
    if !share.is_finite() {
        return "unbounded".into();
    }
    let pct = share * 100.0;
    let text = format!("{pct:.1}");
    format!("{}%", text.trim_end_matches('0').trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_quantities() {
        let cases: &[(&str, f64)] = &[
            ("800M", 800e6),
            ("1.5B", 1.5e9),
            ("750k", 750e3),
            ("750K", 750e3),
            ("2e9", 2e9),
            ("1_000_000", 1e6),
            ("1,000,000", 1e6),
            ("42", 42.0),
            ("10G", 10e9),
            ("2T", 2e12),
            (" 500M ", 500e6),
            ("0", 0.0),
            ("1.0000004", 1.000_000_4),
            ("250.5", 250.5),
            ("1.1B", 1.1e9),
        ];
        for (text, want) in cases {
            assert_eq!(parse_tokens(text), Ok(*want), "{text}");
        }
    }

    #[test]
    fn bad_token_quantities() {
        let cases: &[(&str, &str)] = &[
            ("", "there is no number"),
            ("-5M", "it is negative"),
            ("NaN", "it is not a number"),
            ("inf", "it is not a number"),
            ("infinity", "it is not a number"),
            ("80x0M", "it is not a number"),
            ("M", "there is no number"),
            ("1e400", "it is too large"),
            ("2e18", "it is larger than the limit of 1e18"),
            ("1__000", "digit separators must sit between digits"),
            ("5MB", "it is not a number"),
        ];
        for (text, problem) in cases {
            let e = parse_tokens(text).unwrap_err();
            assert_eq!(e.problem, *problem, "{text}");
            assert_eq!(e.value, *text);
        }
    }

    #[test]
    fn durations() {
        let cases: &[(&str, Option<f64>, f64)] = &[
            ("150ms", None, 150.0),
            ("0.2s", None, 200.0),
            ("1.5s", None, 1500.0),
            ("250us", None, 0.25),
            ("150", Some(1.0), 150.0),
            ("2", Some(1000.0), 2000.0),
        ];
        for (text, unit, want) in cases {
            assert_eq!(parse_duration_ms(text, *unit), Ok(*want), "{text}");
        }
        assert_eq!(
            parse_duration_ms("150", None).unwrap_err().problem,
            "it has no unit (did you mean 150ms?)"
        );
        assert_eq!(
            parse_duration_ms("-1s", None).unwrap_err().problem,
            "it is negative"
        );
        assert_eq!(
            parse_duration_ms("2d", None).unwrap_err().problem,
            "it is not a number"
        );
        assert!(parse_duration_ms("100000s", None).is_err());
    }

    #[test]
    fn money() {
        let cases: &[(&str, f64)] = &[
            ("5000", 5000.0),
            ("5k", 5000.0),
            ("$5,000", 5000.0),
            ("$1.2M", 1.2e6),
            ("0.15", 0.15),
            ("0", 0.0),
        ];
        for (text, want) in cases {
            assert_eq!(parse_usd(text), Ok(*want), "{text}");
        }
        for bad in ["-5", "$-5", "-$5", "five", "$", "NaN", "1e16"] {
            assert!(parse_usd(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shares() {
        let cases: &[(&str, f64)] = &[
            ("0.33", 0.33),
            ("33%", 0.33),
            ("1/3", 1.0 / 3.0),
            ("1", 1.0),
            ("0", 0.0),
        ];
        for (text, want) in cases {
            assert_eq!(parse_share(text), Ok(*want), "{text}");
        }
        assert_eq!(
            parse_share("1.2").unwrap_err().problem,
            "it is more than 1 (100%)"
        );
        assert_eq!(
            parse_share("120%").unwrap_err().problem,
            "it is more than 1 (100%)"
        );
        assert_eq!(
            parse_share("1/0").unwrap_err().problem,
            "it divides by zero"
        );
        assert_eq!(parse_share("-0.1").unwrap_err().problem, "it is negative");
    }

    #[test]
    fn message_names_value_and_fix() {
        let e = parse_tokens("80x0M").unwrap_err();
        assert_eq!(
            e.to_string(),
            "\"80x0M\" is not a valid token quantity: it is not a number; write a number of tokens with an optional k, M, B or T suffix, e.g. 800M, 1.5B, 750k, 2e9 or 1_000_000"
        );
    }

    #[test]
    fn price_pairs() {
        assert_eq!(parse_price_pair("3/15"), Ok((3.0, 15.0)));
        assert_eq!(parse_price_pair("$2.50/$10"), Ok((2.5, 10.0)));
        assert_eq!(
            parse_price_pair("3").unwrap_err().problem,
            "there is no slash between the two prices"
        );
        assert_eq!(
            parse_price_pair("3/-1").unwrap_err().problem,
            "it is negative"
        );
    }

    #[test]
    fn printers() {
        let tokens: &[(f64, &str)] = &[
            (800e6, "800M"),
            (1.5e9, "1.5B"),
            (533_333_334.0, "533.3M"),
            (1_333_333_334.0, "1.333B"),
            (750e3, "750k"),
            (42.0, "42"),
            (10e9, "10B"),
            (0.0, "0"),
        ];
        for (v, want) in tokens {
            assert_eq!(fmt_tokens(*v), *want);
            if *v >= 1e3 && want.len() <= 5 {
                assert_eq!(parse_tokens(want), Ok(*v), "round trip {want}");
            }
        }
        let money: &[(f64, &str)] = &[
            (4000.0, "$4,000"),
            (75.0, "$75"),
            (7.5, "$7.50"),
            (75_000.0, "$75,000"),
            (1_234_567.4, "$1,234,567"),
            (-250.0, "-$250"),
            (0.0, "$0"),
            // Past 10^15, and past what a u64 holds (1.8e19), the figure stays true.
            (999_999_999_999_999.0, "$999,999,999,999,999"),
            (1.82e21, "$1.82e21"),
            (f64::INFINITY, "unbounded"),
        ];
        for (v, want) in money {
            assert_eq!(fmt_usd(*v), *want);
        }
        assert_eq!(fmt_count(4_294_967_295.0), "4,294,967,295");
        assert_eq!(fmt_count(3.7e16), "3.7e16");
        assert_eq!(fmt_tokens(1e18), "1e18");
        assert_eq!(fmt_ms(f64::INFINITY), "unbounded");
        assert_eq!(fmt_share(f64::INFINITY), "unbounded");
        assert_eq!(fmt_usd_per_mtok(7.5), "$7.50");
        assert_eq!(fmt_usd_per_mtok(0.075), "$0.075");
        assert_eq!(fmt_ms(150.0), "150 ms");
        assert_eq!(fmt_ms(5.5), "5.5 ms");
        assert_eq!(fmt_ms(4701.2), "4.7 s");
        assert_eq!(fmt_ms(25_074.0), "25.1 s");
        assert_eq!(fmt_share(1.0 / 3.0), "33.3%");
        assert_eq!(fmt_share(0.0667), "6.7%");
        assert_eq!(fmt_share(1.0), "100%");
    }

    #[test]
    fn positive_rejects_zero() {
        assert!(require_positive(UnitKind::Tokens, "0", 0.0).is_err());
        assert_eq!(require_positive(UnitKind::Tokens, "1", 1.0), Ok(1.0));
    }
}
