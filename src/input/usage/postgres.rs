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
use crate::model::workload::usage::{Lengths, Usage, UsageRecord};

/// Whether a usage source is a `PostgreSQL` URL rather than a file.
pub fn is_url(source: &str) -> bool {
    source.starts_with("postgres://") || source.starts_with("postgresql://")
}

/// The URL with its user information and any password parameter removed, for every message and
/// report: `postgres://user:secret@db:5432/litellm` -> `postgres://db:5432/litellm`.
pub fn redact(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let (authority, tail) = rest
        .find(['/', '?'])
        .map_or((rest, ""), |at| rest.split_at(at));
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (path, query) = tail.split_once('?').unwrap_or((tail, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.to_ascii_lowercase().starts_with("password="))
        .collect();
    if kept.is_empty() {
        format!("{scheme}://{host}{path}")
    } else {
        format!("{scheme}://{host}{path}?{}", kept.join("&"))
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

/// The rows of the window (`$1`, `$2`: the bounds, or null for none).
const WINDOW: &str = "FROM \"LiteLLM_SpendLogs\"
WHERE ($1::text IS NULL OR \"startTime\" >= $1::text::timestamp)
  AND ($2::text IS NULL OR \"startTime\" < $2::text::timestamp)";

/// A row's cached input tokens, as the file reader finds them in its metadata.
const CACHED: &str = "COALESCE(
    CASE WHEN jsonb_typeof(\"metadata\" #> '{additional_usage_values,prompt_tokens_details,cached_tokens}') = 'number'
         THEN (\"metadata\" #>> '{additional_usage_values,prompt_tokens_details,cached_tokens}')::float8 END,
    CASE WHEN jsonb_typeof(\"metadata\" #> '{usage_object,prompt_tokens_details,cached_tokens}') = 'number'
         THEN (\"metadata\" #>> '{usage_object,prompt_tokens_details,cached_tokens}')::float8 END,
    CASE WHEN jsonb_typeof(\"metadata\" #> '{additional_usage_values,cache_read_input_tokens}') = 'number'
         THEN (\"metadata\" #>> '{additional_usage_values,cache_read_input_tokens}')::float8 END,
    0)";

/// Why a row is left out or cannot be used (null: it is used), in the file reader's words and
/// order.
fn reason() -> String {
    format!(
        "CASE
    WHEN COALESCE(\"status\", '') NOT IN ('', 'success') THEN 'a failed request (status not success)'
    WHEN lower(COALESCE(\"cache_hit\", '')) = 'true' THEN 'a hit on LiteLLM''s response cache (no model ran)'
    WHEN \"call_type\" ~ '(embedding|image|transcription|speech|moderation|rerank)' THEN 'not a completion (call_type)'
    WHEN \"prompt_tokens\" < 0 OR \"completion_tokens\" < 0 THEN 'a negative count'
    WHEN {CACHED} > \"prompt_tokens\" THEN 'more cached input tokens than input tokens'
  END"
    )
}

/// Which reasons are rows left out by design (the rest cannot be used).
fn excluded(reason: &str) -> bool {
    !matches!(
        reason,
        "a negative count" | "more cached input tokens than input tokens"
    )
}

/// A length's bin as the file reader counts it: exact below 2,048, 3 significant digits above.
fn bin(column: &str) -> String {
    format!(
        "CASE WHEN {column} < 2048 THEN {column}::bigint
      ELSE ({column}::bigint / (10 ^ (floor(log({column}::numeric)) - 2))::bigint)
           * (10 ^ (floor(log({column}::numeric)) - 2))::bigint END"
    )
}

/// The three queries, in the order they run.
pub fn queries() -> [String; 3] {
    let reason = reason();
    let used = format!("{WINDOW}\n  AND {reason} IS NULL");
    [
        format!(
            "-- tokens by UTC hour and model
SELECT extract(epoch FROM date_trunc('hour', \"startTime\"))::bigint AS hour,
       NULLIF(\"model\", '') AS model,
       count(*)::float8 AS requests,
       sum(\"prompt_tokens\")::float8 AS input,
       sum({CACHED})::float8 AS cached,
       sum(\"completion_tokens\")::float8 AS output
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
SELECT reason, count(*)::bigint AS rows, (array_agg(\"request_id\" ORDER BY \"startTime\", \"request_id\"))[1] AS first
FROM (SELECT {reason} AS reason, \"startTime\", \"request_id\"
{WINDOW}) AS judged
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
    for row in query(&mut tx, &hours)? {
        let start: i64 = row.get(0);
        usage.records.push(UsageRecord {
            start,
            end: start + 3600,
            model: row.get(1),
            requests: Some(row.get(2)),
            input_tokens: row.get(3),
            cached_tokens: Some(row.get(4)),
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
        usage.lengths = Some(l);
    }
    for row in query(&mut tx, &reasons)? {
        let (reason, n, first): (String, i64, String) = (row.get(0), row.get(1), row.get(2));
        usage.not_used(excluded(&reason), &reason, n as u64, || {
            format!("{shown} \"LiteLLM_SpendLogs\" request_id {first}")
        });
    }
    tx.commit()
        .map_err(|e| fail("cannot end the transaction", &e))?;
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

/// A driver's message with the URL's secrets taken out, should it quote them.
fn scrub(message: &str, url: &str) -> String {
    let mut out = message.to_string();
    if let Some((_, rest)) = url.split_once("://")
        && let Some((user_info, _)) = rest.split_once('@')
    {
        for secret in [user_info, user_info.split_once(':').map_or("", |(_, p)| p)] {
            if !secret.is_empty() {
                out = out.replace(secret, "***");
            }
        }
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
                "postgresql://reader@replica/litellm?sslmode=require&password=s3cret",
                "postgresql://replica/litellm?sslmode=require",
            ),
            ("postgres://db/litellm", "postgres://db/litellm"),
        ] {
            assert_eq!(redact(url), shown, "{url}");
        }
        assert_eq!(
            scrub(
                "password authentication failed for user \"litellm\" (s3cret)",
                "postgres://litellm:s3cret@db/x"
            ),
            "password authentication failed for user \"litellm\" (***)"
        );
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
