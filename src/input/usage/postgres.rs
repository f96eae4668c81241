//! `LiteLLM`'s spend logs read where the proxy keeps them: the `LiteLLM_SpendLogs` table of its
//! `PostgreSQL` database (`litellm-proxy-extras/litellm_proxy_extras/migrations/0_init/migration.sql`
//! @12bcc5fb). The database does the summing: one read-only transaction, with a statement
//! timeout, of three queries over the `--from`/`--to` window (tokens by UTC hour and model;
//! request lengths by bin; rows left out or unreadable by reason), so that a table of a billion
//! rows comes back as its hours, models and bins. Only the columns the figures need are named;
//! prompts, responses and user ids, which the table also holds, are never read. The rows are
//! judged by the rules the file reader applies to the same rows (`requests.rs`), so a dump of
//! the table and the table give the same figures.

use crate::model::problem::Problem;
use crate::model::workload::usage::{Lengths, Usage, UsageFormat, UsageRecord};

/// Whether a usage source is a `PostgreSQL` URL rather than a file (the scheme in any case).
pub fn is_url(source: &str) -> bool {
    let lower = source.get(..13).unwrap_or(source).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// A usage source as messages and reports name it: a database without its user and password,
/// a file as given.
pub fn shown(source: &str) -> String {
    if is_url(source) {
        redact(source)
    } else {
        source.to_string()
    }
}

/// The URL's user information (`user:password`), as the driver reads it: up to the first `@`
/// after the scheme.
fn user_info(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    rest.split_once('@').map(|(info, _)| info)
}

/// The URL with its user information and any `user` or `password` parameter removed, for every
/// message and report: `postgres://user:secret@db:5432/litellm` -> `postgres://db:5432/litellm`.
pub fn redact(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let rest = match user_info(url) {
        Some(info) => &rest[info.len() + 1..],
        None => rest,
    };
    let (authority, tail) = rest
        .find(['/', '?'])
        .map_or((rest, ""), |at| rest.split_at(at));
    let (path, query) = tail.split_once('?').unwrap_or((tail, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| {
            let p = p.to_ascii_lowercase();
            !p.is_empty() && !p.starts_with("password=") && !p.starts_with("user=")
        })
        .collect();
    if kept.is_empty() {
        format!("{scheme}://{authority}{path}")
    } else {
        format!("{scheme}://{authority}{path}?{}", kept.join("&"))
    }
}

/// The window of `startTime` read: from (inclusive) and to (exclusive), `YYYY-MM-DD` (UTC).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Window {
    /// First day read.
    pub from: Option<String>,
    /// First day not read.
    pub to: Option<String>,
}

/// The rows of the window (`$1`, `$2`: the bounds, or null for none), each with its cached
/// count as the file reader reads it from the metadata (the places `LiteLLM`'s field map names,
/// in its order): the first holding a value (JSON null and "" count as none) as
/// `c.cached_json`, and as a number, where it is a number or a decimal string, as `v.cached`.
fn window() -> String {
    let preset = super::presets::preset(UsageFormat::LiteLlm, None);
    let places: Vec<String> = preset
        .map
        .cached
        .as_ref()
        .map(super::requests::Field::first_paths)
        .unwrap_or_default()
        .into_iter()
        .map(|path| {
            format!(
                "    NULLIF(NULLIF(\"{}\" #> '{{{}}}', 'null'::jsonb), '\"\"'::jsonb)",
                path[0],
                path[1..].join(",")
            )
        })
        .collect();
    format!(
        "FROM \"LiteLLM_SpendLogs\"
CROSS JOIN LATERAL (SELECT COALESCE(
{}
  ) AS cached_json) AS c
CROSS JOIN LATERAL (SELECT CASE
    WHEN jsonb_typeof(c.cached_json) = 'number' THEN (c.cached_json #>> '{{}}')::float8
    WHEN jsonb_typeof(c.cached_json) = 'string'
     AND btrim(c.cached_json #>> '{{}}') ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'
      THEN btrim(c.cached_json #>> '{{}}')::float8
  END AS cached) AS v
WHERE ($1::text IS NULL OR \"startTime\" >= $1::text::timestamp)
  AND ($2::text IS NULL OR \"startTime\" < $2::text::timestamp)",
        places.join(",\n")
    )
}

/// Why a row is left out by design, and why it cannot be used (each null when not), by the
/// file reader's rules (`presets.rs`, `requests.rs`), in its words and order.
fn reasons() -> (String, String) {
    use super::presets::{
        LITELLM_CACHE_HIT, LITELLM_FAILED, LITELLM_NOT_COMPLETION, LITELLM_OTHER_CALLS,
    };
    use super::requests::{MORE_CACHED, NEGATIVE, NOT_A_NUMBER};
    let text = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let left_out = format!(
        "CASE
    WHEN COALESCE(\"status\", '') NOT IN ('', 'success') THEN {}
    WHEN lower(COALESCE(\"cache_hit\", '')) = 'true' THEN {}
    WHEN \"call_type\" ~ '({})' THEN {}
  END",
        text(LITELLM_FAILED),
        text(LITELLM_CACHE_HIT),
        LITELLM_OTHER_CALLS.join("|"),
        text(LITELLM_NOT_COMPLETION),
    );
    let unreadable = format!(
        "CASE
    WHEN \"prompt_tokens\" < 0 OR \"completion_tokens\" < 0 THEN {negative}
    WHEN c.cached_json IS NOT NULL AND v.cached IS NULL THEN {}
    WHEN v.cached < 0 THEN {negative}
    WHEN v.cached > \"prompt_tokens\" THEN {}
  END",
        text(NOT_A_NUMBER),
        text(MORE_CACHED),
        negative = text(NEGATIVE),
    );
    (left_out, unreadable)
}

/// A length's bin as the file reader counts it: exact below 10,000, 3 significant digits from
/// there.
fn bin(column: &str) -> String {
    format!(
        "CASE WHEN {column} < 10000 THEN {column}::bigint
      ELSE ({column}::bigint / (10 ^ (floor(log({column}::numeric)) - 2))::bigint)
           * (10 ^ (floor(log({column}::numeric)) - 2))::bigint END"
    )
}

/// The three queries, in the order they run.
pub fn queries() -> [String; 3] {
    let (left_out, unreadable) = reasons();
    let window = window();
    let used = format!("{window}\n  AND COALESCE({left_out}, {unreadable}) IS NULL");
    [
        format!(
            "-- tokens by UTC hour and model
SELECT extract(epoch FROM date_trunc('hour', \"startTime\"))::bigint AS hour,
       NULLIF(\"model\", '') AS model,
       count(*)::float8 AS requests,
       sum(\"prompt_tokens\")::float8 AS input,
       sum(COALESCE(v.cached, 0))::float8 AS cached,
       sum(\"completion_tokens\")::float8 AS output,
       bool_or(v.cached IS NOT NULL) AS counts_cached
{used}
GROUP BY 1, 2
ORDER BY 1, 2"
        ),
        format!(
            "-- request lengths by bin (input, then output)
SELECT 'input' AS side, {} AS bin, count(*)::bigint AS requests
{used}
GROUP BY 2
UNION ALL
SELECT 'output', {}, count(*)::bigint
{used}
GROUP BY 2",
            bin("\"prompt_tokens\""),
            bin("\"completion_tokens\"")
        ),
        format!(
            "-- rows left out or unreadable, by reason, with the first's request_id
SELECT reason, bool_or(left_out) AS left_out, count(*)::bigint AS rows,
       (array_agg(\"request_id\" ORDER BY \"startTime\", \"request_id\"))[1] AS first
FROM (SELECT COALESCE({left_out}, {unreadable}) AS reason, {left_out} IS NOT NULL AS left_out,
             \"startTime\", \"request_id\"
{window}) AS judged
WHERE reason IS NOT NULL
GROUP BY reason
ORDER BY min(\"startTime\"), reason"
        ),
    ]
}

/// What `--explain` prints: the transaction and its queries, with the window's bounds.
pub fn explain(window: &Window, timeout_s: u32) -> String {
    let bound = |b: &Option<String>| b.as_ref().map_or("NULL".to_string(), |d| format!("'{d}'"));
    let mut out = format!(
        "-- llm-decide usage postgres://...: one read-only transaction\n-- $1 = {} (from, inclusive), $2 = {} (to, exclusive); times are UTC\nBEGIN TRANSACTION READ ONLY;\nSET LOCAL statement_timeout = '{timeout_s}s';\n",
        bound(&window.from),
        bound(&window.to)
    );
    for q in queries() {
        out.push_str(&q);
        out.push_str(";\n");
    }
    out.push_str("COMMIT;\n");
    out
}

/// Reads the spend logs of the database at `url` (`password`: from the environment, when the
/// URL has none) into `usage`. Every message names the URL without its user information.
pub fn read(
    url: &str,
    password: Option<&str>,
    window: &Window,
    timeout_s: u32,
    usage: &mut Usage,
) -> Result<(), Problem> {
    let shown = redact(url);
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        Problem::new(&shown, format!("{what}: {}", scrub(&e.to_string(), url)))
    };
    let mut client = connect(url, password, &fail)?;
    let mut tx = client
        .build_transaction()
        .read_only(true)
        .start()
        .map_err(|e| fail("cannot start a read-only transaction", &e))?;
    tx.batch_execute(&format!("SET LOCAL statement_timeout = '{timeout_s}s'"))
        .map_err(|e| fail("cannot set the statement timeout", &e))?;
    let [hours, lengths, reasons] = queries();
    let args: [&(dyn postgres::types::ToSql + Sync); 2] = [&window.from, &window.to];
    let query = |tx: &mut postgres::Transaction, sql: &str| {
        tx.query(sql, &args).map_err(|e| {
            fail("the query failed", &e).fix(
                "the user needs SELECT on \"LiteLLM_SpendLogs\" (a read replica serves); a long window may need a larger --statement-timeout",
            )
        })
    };
    // As the file reader: once any row gives a cached count, a row without one counts none;
    // if no row does, the cached share is unknown.
    let rows = query(&mut tx, &hours)?;
    let seen = rows.iter().any(|r| r.get::<_, bool>(6));
    for row in rows {
        let start: i64 = row.get(0);
        usage.records.push(UsageRecord {
            start,
            end: start + 3600,
            model: row.get(1),
            requests: Some(row.get(2)),
            input_tokens: row.get(3),
            cached_tokens: seen.then(|| row.get(4)),
            output_tokens: row.get(5),
        });
    }
    let mut l = Lengths::default();
    for row in query(&mut tx, &lengths)? {
        let (side, bin, n): (String, i64, i64) = (row.get(0), row.get(1), row.get(2));
        let h = if side == "input" {
            &mut l.input
        } else {
            &mut l.output
        };
        h.record_many(bin as f64, n as u64);
    }
    if !l.input.is_empty() {
        match &mut usage.lengths {
            Some(all) => all.merge(&l),
            None => usage.lengths = Some(l),
        }
    }
    for row in query(&mut tx, &reasons)? {
        let (reason, left_out, n, first): (String, bool, i64, String) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        usage.not_used(left_out, &reason, n as u64, || {
            format!("{shown} \"LiteLLM_SpendLogs\" request_id {first}")
        });
    }
    tx.commit()
        .map_err(|e| fail("cannot end the transaction", &e))?;
    // The window typed is the period, quiet days at its ends included.
    let day = |d: &Option<String>| {
        d.as_deref()
            .and_then(|d| crate::model::date::Date::parse(d).ok())
            .map(crate::model::date::Date::start_seconds)
    };
    usage.window = (day(&window.from), day(&window.to));
    usage.formats.push("litellm".to_string());
    usage.files.push(shown);
    Ok(())
}

/// A session with the database at `url`, TLS as its `sslmode` says.
fn connect(
    url: &str,
    password: Option<&str>,
    fail: &dyn Fn(&str, &dyn std::fmt::Display) -> Problem,
) -> Result<postgres::Client, Problem> {
    // libpq's verify-ca and verify-full: TLS required, the certificate checked; tokio-postgres
    // knows only disable, prefer and require.
    let verify = ["sslmode=verify-full", "sslmode=verify-ca"]
        .iter()
        .any(|m| url.contains(m));
    let parsed = url
        .replace("sslmode=verify-full", "sslmode=require")
        .replace("sslmode=verify-ca", "sslmode=require");
    let mut config: postgres::Config = parsed.parse().map_err(|e| {
        fail("is not a PostgreSQL URL", &e).fix(
            "give postgres://USER@HOST:PORT/DATABASE[?sslmode=disable|prefer|require|verify-full]",
        )
    })?;
    if config.get_password().is_none()
        && let Some(p) = password
    {
        config.password(p);
    }
    config.application_name("llm-decide");
    config.connect_timeout(std::time::Duration::from_secs(10));
    config.connect(tls(verify)).map_err(|e| {
        fail("cannot connect", &e).fix(
            "check the host, port, user and database; the password comes from the URL or PGPASSWORD; TLS follows sslmode as libpq does (prefer and require encrypt, verify-full also checks the certificate against Mozilla's roots)",
        )
    })
}

/// A driver's or server's message with the URL's user and password taken out, should it quote
/// them (a server names the user whose login failed).
fn scrub(message: &str, url: &str) -> String {
    let mut out = message.to_string();
    let Some(info) = user_info(url) else {
        return out;
    };
    let (user, password) = info.split_once(':').unwrap_or((info, ""));
    for secret in [info, password] {
        if !secret.is_empty() {
            out = out.replace(secret, "***");
        }
    }
    if !user.is_empty() {
        out = out.replace(&format!("\"{user}\""), "\"***\"");
    }
    out
}

/// TLS as libpq's `sslmode` means it, on rustls (the stack of the price import's HTTPS):
/// `prefer` and `require` encrypt without checking the server's certificate (most databases
/// have a private or self-signed one); `verify-ca` and `verify-full` check it against Mozilla's
/// roots and the host name.
fn tls(verify: bool) -> tokio_postgres_rustls::MakeRustlsConnect {
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions");
    let config = if verify {
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        builder.with_root_certificates(roots).with_no_client_auth()
    } else {
        builder
            .dangerous()
            .with_custom_certificate_verifier(std::sync::Arc::new(Unchecked(provider)))
            .with_no_client_auth()
    };
    tokio_postgres_rustls::MakeRustlsConnect::new(config)
}

/// A server certificate taken as it is (libpq's `sslmode=require`); the handshake's signatures
/// are still checked, so the session is encrypted to whoever holds the certificate's key.
#[derive(Debug)]
struct Unchecked(std::sync::Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_secrets() {
        for (url, shown) in [
            (
                "postgres://litellm:s3cret@db.internal:5432/litellm",
                "postgres://db.internal:5432/litellm",
            ),
            (
                "postgresql://reader@replica/litellm?sslmode=require&password=s3cret&user=x",
                "postgresql://replica/litellm?sslmode=require",
            ),
            ("postgres://db/litellm", "postgres://db/litellm"),
            // A password holding `/`, `?` and `#`, as the driver reads it: up to the `@`.
            (
                "postgres://reader:ab/c?d#e@db:5432/litellm",
                "postgres://db:5432/litellm",
            ),
        ] {
            assert_eq!(redact(url), shown, "{url}");
        }
        assert_eq!(
            scrub(
                "password authentication failed for user \"litellm\" (s3cret)",
                "postgres://litellm:s3cret@db/x"
            ),
            "password authentication failed for user \"***\" (***)"
        );
        assert!(is_url("POSTGRES://db/x") && is_url("postgresql://db/x") && !is_url("pg.csv"));
    }

    /// The queries name only the columns the figures need.
    #[test]
    fn the_queries_read_no_prompt_response_nor_user() {
        for q in queries() {
            for column in [
                "\"messages\"",
                "\"response\"",
                "\"user\"",
                "\"end_user\"",
                "\"proxy_server_request\"",
                "\"api_key\"",
            ] {
                assert!(!q.contains(column), "{column} in {q}");
            }
        }
    }
}
