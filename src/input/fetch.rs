//! Text from a URL, for importing a price list straight from where it is published: HTTPS
//! (rustls, the Mozilla roots), plain HTTP only to this machine (a local mirror, the tests), a
//! timeout, the same size limit as files, and the server's `Last-Modified` date, which is when
//! the list was published rather than when it was fetched.

use super::yaml::MAX_FILE_BYTES;
use crate::model::date::Date;
use crate::model::problem::Problem;
use std::time::Duration;

/// How long a download may take in all.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Whether `text` names a URL (rather than a file).
pub fn is_url(text: &str) -> bool {
    text.starts_with("https://") || text.starts_with("http://")
}

/// The body at `url` and its `Last-Modified` date, if the server gives one.
pub fn fetch(url: &str) -> Result<(String, Option<Date>), Problem> {
    let host = url.split_once("://").map_or("", |(_, rest)| {
        rest.split(['/', '?', '#']).next().unwrap_or("")
    });
    let local = ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .any(|h| host == *h || host.starts_with(&format!("{h}:")));
    if url.starts_with("http://") && !local {
        return Err(
            Problem::new(url, "plain http is only fetched from this machine")
                .fix("use the https:// address"),
        );
    }
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .build()
        .new_agent();
    let mut response = agent.get(url).call().map_err(|e| {
        Problem::new(url, format!("cannot fetch it: {e}")).fix(
            "check the address and the network; offline, download the file elsewhere and pass its path with --as-of",
        )
    })?;
    let status = response.status();
    if !status.is_success() {
        return Err(
            Problem::new(url, format!("the server answered {status}")).fix("check the address")
        );
    }
    let modified = response
        .headers()
        .get("last-modified")
        .and_then(|v| v.to_str().ok())
        .and_then(http_date);
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_FILE_BYTES as u64)
        .read_to_string()
        .map_err(|e| {
            Problem::new(url, format!("cannot read the answer: {e}")).fix(format!(
                "the answer must be UTF-8 text of at most {MAX_FILE_BYTES} bytes"
            ))
        })?;
    Ok((body, modified))
}

/// The date of an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`, RFC 9110's preferred form).
pub fn http_date(text: &str) -> Option<Date> {
    let mut parts = text.split_whitespace().skip(1);
    let day: u32 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year = parts.next()?;
    Date::parse(&format!("{year}-{month:02}-{day:02}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        assert_eq!(
            http_date("Wed, 21 Oct 2015 07:28:00 GMT").map(|d| d.to_string()),
            Some("2015-10-21".into())
        );
        assert_eq!(http_date("yesterday"), None);
        assert!(is_url("https://raw.githubusercontent.com/x"));
        assert!(!is_url("prices.json"));
    }

    #[test]
    fn plain_http_only_to_this_machine() {
        let e = fetch("http://example.com/prices.json").unwrap_err();
        assert_eq!(
            e.to_string(),
            "http://example.com/prices.json: plain http is only fetched from this machine; use the https:// address"
        );
    }
}
