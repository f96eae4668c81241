//! The currency reports show amounts in: `--currency CODE --fx RATE [--fx-date DATE]`, or
//! `currency:` in the project's settings file; flags win. Every figure is computed in USD (the
//! catalog's prices are in USD); the table, Markdown and HTML reports convert at the rate and
//! name it, while the JSON and CSV reports stay in USD and record it.

use crate::input::validate::{Checker, NUMBER};
use crate::input::yaml::{Located, Q};
use crate::model::problem::{InputError, Problem};
use crate::model::units::{Currency, CurrencyFlags, UnitKind};
use serde::Deserialize;

/// `currency:` in the settings file, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCurrency {
    code: Located<String>,
    per_usd: Q,
    as_of: Option<Located<String>>,
}

/// Whether `code` is an ISO 4217 code as written: three capital letters.
fn is_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// The settings file's currency, each problem at its line.
pub fn read(ck: &mut Checker, raw: &RawCurrency) -> Option<Currency> {
    let before = ck.problems.0.len();
    let code = raw.code.value.clone();
    if !is_code(&code) {
        ck.report(
            raw.code.pos,
            "currency.code",
            format!("`{code}` is not a currency code"),
            Some("give the ISO 4217 code in capitals, e.g. EUR"),
        );
    }
    let per_usd = ck.opt_positive(
        "currency.per_usd",
        Some(&raw.per_usd),
        NUMBER,
        UnitKind::Number,
    );
    let as_of = raw
        .as_of
        .as_ref()
        .and_then(|d| ck.date("currency.as_of", d));
    if code == "USD" && per_usd.is_some_and(|r| r != 1.0) {
        ck.report(
            raw.per_usd.pos,
            "currency.per_usd",
            "USD is the tool's own currency: 1 USD per USD",
            Some("remove currency:, or name another currency"),
        );
    }
    let currency = Currency {
        code,
        per_usd: per_usd?,
        as_of,
        source: ck.file.to_string(),
    };
    (ck.problems.0.len() == before).then_some(currency)
}

/// The currency of a run: the flags', else the settings file's (`file`); `None` for USD.
///
/// # Errors
/// A code that is not three capital letters, a rate with no currency, a currency other than
/// the file's with no rate, or a rate for USD other than 1 (`--fx` is a positive number, as
/// its parser reads it).
pub fn resolve(
    flags: &CurrencyFlags,
    file: Option<&Currency>,
) -> Result<Option<Currency>, InputError> {
    if let Some(code) = flags.code.as_deref().filter(|c| !is_code(c)) {
        return Err(InputError::one(
            Problem::new("--currency", format!("`{code}` is not a currency code"))
                .fix("give the ISO 4217 code in capitals, e.g. --currency EUR"),
        ));
    }
    if flags.as_of.is_some() && flags.per_usd.is_none() {
        return Err(InputError::one(
            Problem::new("--fx-date", "dates a rate, and no --fx rate is given")
                .fix("give the rate with --fx, or leave --fx-date out"),
        ));
    }
    let code = flags
        .code
        .clone()
        .or_else(|| flags.per_usd.and(file.map(|f| f.code.clone())));
    let currency = match (code, flags.per_usd) {
        (None, None) => file.cloned(),
        (None, Some(rate)) => {
            return Err(InputError::one(
                Problem::new(
                    "--fx",
                    format!("a rate of {rate} per USD needs its currency"),
                )
                .fix("name it with --currency, e.g. --currency EUR"),
            ));
        }
        (Some(code), Some(rate)) => Some(Currency {
            code,
            per_usd: rate,
            as_of: flags.as_of,
            source: "--fx".into(),
        }),
        (Some(code), None) => match file.filter(|f| f.code == code) {
            Some(f) => Some(f.clone()),
            None if code == "USD" => None,
            None => {
                return Err(InputError::one(
                    Problem::new("--currency", format!("{code}: no rate to convert at"))
                        .fix(format!(
                            "give the rate with --fx ({code} per USD), or set currency: in .llm-decide.yaml"
                        )),
                ));
            }
        },
    };
    match currency {
        Some(c) if c.code == "USD" && c.per_usd != 1.0 => Err(InputError::one(
            Problem::new(
                "--fx",
                format!("{}: USD is the tool's own currency", c.per_usd),
            )
            .fix("leave --fx out, or name another currency with --currency"),
        )),
        Some(c) if c.code == "USD" => Ok(None),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(source: &str, rate: f64) -> Currency {
        Currency {
            code: "EUR".into(),
            per_usd: rate,
            as_of: None,
            source: source.into(),
        }
    }

    #[test]
    fn flags_win_over_the_file_and_refuse_what_cannot_convert() {
        let file = eur(".llm-decide.yaml", 0.9);
        let flags = |code: Option<&str>, rate: Option<f64>| CurrencyFlags {
            code: code.map(str::to_string),
            per_usd: rate,
            as_of: None,
        };
        type Case<'a> = (
            Option<&'a str>,
            Option<f64>,
            bool,
            Result<Option<Currency>, &'a str>,
        );
        let cases: &[Case] = &[
            (None, None, false, Ok(None)),
            (None, None, true, Ok(Some(file.clone()))),
            (Some("EUR"), Some(0.92), true, Ok(Some(eur("--fx", 0.92)))),
            // A rate alone applies to the file's currency.
            (None, Some(0.92), true, Ok(Some(eur("--fx", 0.92)))),
            // The file's rate serves the same currency named by the flag.
            (Some("EUR"), None, true, Ok(Some(file.clone()))),
            (Some("USD"), None, true, Ok(None)),
            (
                Some("GBP"),
                None,
                true,
                Err("--currency: GBP: no rate to convert at"),
            ),
            (
                None,
                Some(0.92),
                false,
                Err("--fx: a rate of 0.92 per USD needs its currency"),
            ),
            (
                Some("eur"),
                Some(0.92),
                false,
                Err("--currency: `eur` is not a currency code"),
            ),
            (
                Some("USD"),
                Some(0.9),
                false,
                Err("--fx: 0.9: USD is the tool's own currency"),
            ),
        ];
        for (code, rate, with_file, want) in cases {
            let got = resolve(&flags(*code, *rate), with_file.then_some(&file));
            match (got, want) {
                (Ok(got), Ok(want)) => assert_eq!(&got, want, "{code:?} {rate:?}"),
                (Err(e), Err(want)) => {
                    let p = &e.problems[0];
                    assert_eq!(format!("{}: {}", p.file, p.message), *want);
                }
                (got, want) => panic!("{code:?} {rate:?}: {got:?}, wanted {want:?}"),
            }
        }
    }
}
