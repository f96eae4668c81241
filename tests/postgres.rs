//! `usage postgres://...` against a real `PostgreSQL`: the `LiteLLM_SpendLogs` table created from
//! `LiteLLM`'s published migration and filled from the spend-log fixture gives the figures the
//! file export of the same rows gives. `.ci/run` installs and starts the server and sets
//! `LLM_DECIDE_TEST_POSTGRES` (a URL without the password) and `LLM_DECIDE_TEST_PGPASSWORD`;
//! without them these tests say so and do nothing.

mod common;

use serde_json::Value;
use std::io::{Read, Write};

/// The table as `LiteLLM`'s migration creates it:
/// `litellm-proxy-extras/litellm_proxy_extras/migrations/0_init/migration.sql`
/// @12bcc5fb53f90e73be650b6d132d80819c4d9ef9 (BerriAI/litellm), verbatim.
const CREATE: &str = r#"CREATE TABLE "LiteLLM_SpendLogs" (
    "request_id" TEXT NOT NULL,
    "call_type" TEXT NOT NULL,
    "api_key" TEXT NOT NULL DEFAULT '',
    "spend" DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "total_tokens" INTEGER NOT NULL DEFAULT 0,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "startTime" TIMESTAMP(3) NOT NULL,
    "endTime" TIMESTAMP(3) NOT NULL,
    "completionStartTime" TIMESTAMP(3),
    "model" TEXT NOT NULL DEFAULT '',
    "model_id" TEXT DEFAULT '',
    "model_group" TEXT DEFAULT '',
    "custom_llm_provider" TEXT DEFAULT '',
    "api_base" TEXT DEFAULT '',
    "user" TEXT DEFAULT '',
    "metadata" JSONB DEFAULT '{}',
    "cache_hit" TEXT DEFAULT '',
    "cache_key" TEXT DEFAULT '',
    "request_tags" JSONB DEFAULT '[]',
    "team_id" TEXT,
    "end_user" TEXT,
    "requester_ip_address" TEXT,
    "messages" JSONB DEFAULT '{}',
    "response" JSONB DEFAULT '{}',
    "proxy_server_request" JSONB DEFAULT '{}',
    "session_id" TEXT,
    "status" TEXT,
    "mcp_namespaced_tool_name" TEXT,

    CONSTRAINT "LiteLLM_SpendLogs_pkey" PRIMARY KEY ("request_id")
);"#;

/// The server, if the environment names one.
fn server() -> Option<(String, String)> {
    let url = std::env::var("LLM_DECIDE_TEST_POSTGRES").ok()?;
    let password = std::env::var("LLM_DECIDE_TEST_PGPASSWORD").ok()?;
    Some((url, password))
}

/// Rows that test the rules both readers share, on 2026-08-10 from 10:00: a cached count that
/// is negative, one written as a string, one that is not a number, one absent; an empty model;
/// an embedding call; lengths either side of 10,000 (counted exactly below, by 3 significant
/// digits from there).
const EDGES: &str = r#"edge-1,acompletion,k,0,0,500,10,2026-08-10 10:00:00.000,2026-08-10 10:00:01.000,,gpt-4o-2024-08-06,,,,,,"{""additional_usage_values"": {""prompt_tokens_details"": {""cached_tokens"": -5}}}",False,,[],,,,success
edge-2,acompletion,k,0,0,500,10,2026-08-10 10:01:00.000,2026-08-10 10:01:01.000,,gpt-4o-2024-08-06,,,,,,"{""additional_usage_values"": {""prompt_tokens_details"": {""cached_tokens"": ""120""}}}",False,,[],,,,success
edge-3,acompletion,k,0,0,500,10,2026-08-10 10:02:00.000,2026-08-10 10:02:01.000,,gpt-4o-2024-08-06,,,,,,"{""additional_usage_values"": {""prompt_tokens_details"": {""cached_tokens"": true}}}",False,,[],,,,success
edge-4,acompletion,k,0,0,500,10,2026-08-10 10:03:00.000,2026-08-10 10:03:01.000,,gpt-4o-2024-08-06,,,,,,{},False,,[],,,,success
edge-5,acompletion,k,0,0,700,10,2026-08-10 10:04:00.000,2026-08-10 10:04:01.000,,"",,,,,,{},False,,[],,,,success
edge-6,aembedding,k,0,0,900,0,2026-08-10 10:05:00.000,2026-08-10 10:05:01.000,,text-embedding-3-small,,,,,,{},False,,[],,,,success
edge-7,acompletion,k,0,0,10049,10,2026-08-10 10:06:00.000,2026-08-10 10:06:01.000,,gpt-4o-2024-08-06,,,,,,{},False,,[],,,,success
edge-8,acompletion,k,0,0,10051,10,2026-08-10 10:07:00.000,2026-08-10 10:07:01.000,,gpt-4o-2024-08-06,,,,,,{},False,,[],,,,success
"#;

/// The fixture's CSV dump, less the two rows `PostgreSQL`'s types refuse (a count that is not a
/// number, a row without a time), with [`EDGES`]: what the table holds, and the file export of
/// it.
fn rows() -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open("tests/data/usage/litellm-spend-logs.csv.gz").unwrap(),
    )
    .read_to_string(&mut text)
    .unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        if i > 0 && (cells[5].parse::<i64>().is_err() || cells[7].is_empty()) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(EDGES);
    out
}

/// Creates the table afresh and copies the rows in.
fn fill(url: &str, password: &str, csv: &str) {
    let mut config: postgres::Config = url.parse().unwrap();
    config.password(password);
    let mut client = config.connect(postgres::NoTls).unwrap();
    client
        .batch_execute("DROP TABLE IF EXISTS \"LiteLLM_SpendLogs\"")
        .unwrap();
    client.batch_execute(CREATE).unwrap();
    let header = csv.lines().next().unwrap();
    let columns: Vec<String> = header.split(',').map(|c| format!("\"{c}\"")).collect();
    let mut w = client
        .copy_in(&format!(
            "COPY \"LiteLLM_SpendLogs\" ({}) FROM STDIN WITH (FORMAT csv, HEADER true)",
            columns.join(", ")
        ))
        .unwrap();
    w.write_all(csv.as_bytes()).unwrap();
    w.finish().unwrap();
}

fn run_with_password(args: &[&str], password: &str) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .args(args)
        .env("PGPASSWORD", password)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The table and the file export of its rows give the same figures; the report names the
/// database without its user, and the password comes from `PGPASSWORD`.
#[test]
fn the_database_gives_the_figures_of_its_file_export() {
    let Some((url, password)) = server() else {
        eprintln!(
            "LLM_DECIDE_TEST_POSTGRES is not set: PostgreSQL tests not run (.ci/run sets it)"
        );
        return;
    };
    let csv = rows();
    fill(&url, &password, &csv);
    let dir = common::scratch("postgres-export");
    let file = dir.join("spend-logs.csv");
    std::fs::write(&file, &csv).unwrap();
    let (code, out, err) = run_with_password(&["usage", &url, "--format", "json"], &password);
    assert_eq!(code, 0, "{err}");
    let db: Value = serde_json::from_str(&out).unwrap();
    let from_file = common::json(&["usage", file.to_str().unwrap()]);
    for key in [
        "period",
        "tokens_per_month",
        "input_share",
        "cached_share",
        "output_share",
        "requests_per_month",
        "tokens_per_request",
        "request_lengths",
        "hourly",
        "growth",
        "models",
        "months",
    ] {
        assert_eq!(db[key], from_file[key], "{key}");
    }
    let counts = |d: &Value, k: &str| -> Vec<(String, u64)> {
        d[k].as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["reason"].as_str().unwrap().to_string(),
                    s["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(counts(&db, "excluded"), counts(&from_file, "excluded"));
    assert_eq!(counts(&db, "skipped"), counts(&from_file, "skipped"));
    // The edges: the negative and the unreadable cached counts skipped, the embedding left out.
    assert_eq!(
        counts(&db, "skipped"),
        [
            ("a negative count".to_string(), 2),
            ("a count that is not a number".to_string(), 1)
        ]
    );
    assert!(counts(&db, "excluded").contains(&("not a completion (call_type)".to_string(), 1)));
    assert_eq!(db["request_lengths"]["input"]["max"], 10_000.0);
    assert_eq!(
        db["skipped"][0]["first"],
        format!(
            "{} \"LiteLLM_SpendLogs\" request_id chatcmpl-000404",
            url.replace("llm_decide_ci@", "")
        )
    );
    assert!(!out.contains("llm_decide_ci"), "{out}");
    // A window: the first week only.
    let (code, out, err) = run_with_password(
        &[
            "usage",
            &url,
            "--from",
            "2026-08-03",
            "--to",
            "2026-08-10",
            "--format",
            "json",
        ],
        &password,
    );
    assert_eq!(code, 0, "{err}");
    let week: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(week["period"]["days"], 7.0);
    sslmode_is_read_as_libpq_reads_it(&url, &password);
}

/// A wrong password is refused with the database named without its user, and no secret in
/// the message.
#[test]
fn a_refused_login_names_no_secret() {
    let Some((url, _)) = server() else {
        eprintln!(
            "LLM_DECIDE_TEST_POSTGRES is not set: PostgreSQL tests not run (.ci/run sets it)"
        );
        return;
    };
    let with_secret = url.replace("llm_decide_ci@", "llm_decide_ci:not-the-password@");
    let (code, out, err) = run_with_password(&["usage", &with_secret], "");
    assert_eq!((code, out.as_str()), (2, ""));
    let shown = url.replace("llm_decide_ci@", "");
    assert!(
        err.starts_with(&format!("error: {shown}: cannot connect: ")),
        "{err}"
    );
    assert!(
        !err.contains("not-the-password") && !err.contains("llm_decide_ci"),
        "{err}"
    );
}

/// `--explain` prints the transaction without connecting: read only, with the timeout, the
/// window's bounds, and no column beyond those the figures need.
#[test]
fn explain_shows_the_queries_without_connecting() {
    let (code, out, err) = common::run(&[
        "usage",
        "postgres://nobody@192.0.2.1/none",
        "--explain",
        "--from",
        "2026-08-01",
        "--statement-timeout",
        "30",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("-- $1 = '2026-08-01' (from, inclusive), $2 = NULL (to, exclusive); times are UTC\nBEGIN TRANSACTION READ ONLY;\nSET LOCAL statement_timeout = '30s';\n"), "{out}");
    assert!(out.contains("GROUP BY 1, 2"), "{out}");
    assert!(out.ends_with("COMMIT;\n"), "{out}");
    for column in ["\"messages\"", "\"response\"", "\"user\"", "\"api_key\""] {
        assert!(!out.contains(column), "{column}");
    }
}

/// TLS as libpq's `sslmode` means it: `require` encrypts to a server with a self-signed
/// certificate (Debian's clusters have one); `verify-full` checks the certificate and refuses
/// that one. Checked where the server has TLS on, on the table already filled (one test fills
/// it, so that no two runs race on it).
fn sslmode_is_read_as_libpq_reads_it(url: &str, password: &str) {
    let mut config: postgres::Config = url.parse().unwrap();
    config.password(password);
    let mut client = config.connect(postgres::NoTls).unwrap();
    let ssl: String = client.query_one("SHOW ssl", &[]).unwrap().get(0);
    if ssl != "on" {
        eprintln!("the test server has TLS off: sslmode not tested");
        return;
    }
    let base = url.replace("?sslmode=disable", "");
    let (code, _, err) =
        run_with_password(&["usage", &format!("{base}?sslmode=require")], password);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) =
        run_with_password(&["usage", &format!("{base}?sslmode=verify-full")], password);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot connect: error performing TLS handshake"),
        "{err}"
    );
}

/// Flags a source cannot use are refused, not ignored: the database's with files only, the
/// files' with a database only, and a window that ends before it starts.
#[test]
fn flags_a_source_cannot_use_are_refused() {
    let file = "tests/data/usage/ccusage-daily.json";
    common::refused(
        &["usage", file, "--from", "2026-08-01"],
        "error: --from: applies to a postgres:// source only; name LiteLLM's database as postgres://USER@HOST/DB, or drop the flag (files are read whole)\n",
    );
    common::refused(
        &["usage", file, "--statement-timeout", "5"],
        "error: --statement-timeout: applies to a postgres:// source only; name LiteLLM's database as postgres://USER@HOST/DB, or drop the flag (files are read whole)\n",
    );
    let db = "postgres://u:secret@db/x";
    common::refused(
        &["usage", db, "--usage-format", "litellm", "--explain"],
        "error: --usage-format: applies to files only; drop it: a postgres:// source is LiteLLM's spend-log table, read as such\n",
    );
    common::refused(
        &[
            "usage",
            db,
            "--from",
            "2026-08-10",
            "--to",
            "2026-08-01",
            "--explain",
        ],
        "error: --to: 2026-08-01 is not after --from 2026-08-10; give a window that ends after it starts (--to is the first day not read)\n",
    );
}
