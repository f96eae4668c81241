//! Helpers shared by the integration tests that run the binary in scratch folders.

// Each test crate uses some of them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `llm-decide` with `args` in `dir`.
pub fn llm_decide(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// The date the tests run at (2026-11-27), so that price ages do not move with the clock.
pub const TEST_DATE_EPOCH: &str = "1795780800";

/// Runs `llm-decide` with `args` in the project's folder at the tests' date: exit code,
/// stdout, stderr.
pub fn run(args: &[&str]) -> (i32, String, String) {
    // Every section of a decision's table report (the brief one is tested by tests/cmd).
    let full: &[&str] = if args.contains(&"--show") {
        &[]
    } else {
        &["--full"]
    };
    let out = Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .args(args)
        .args(full)
        .env("SOURCE_DATE_EPOCH", TEST_DATE_EPOCH)
        // Tables one line a row, as a wide terminal shows them: tests read rows; the fitting
        // to 100 columns is tested by tests/cmd and the text renderer.
        .env("COLUMNS", "250")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The JSON report of a run that must succeed.
/// The run stops with exit 2, nothing on stdout, and exactly this on stderr.
pub fn refused(args: &[&str], stderr: &str) {
    let (code, out, err) = run(args);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (2, "", stderr),
        "{args:?}"
    );
}

pub fn json(args: &[&str]) -> serde_json::Value {
    let (code, stdout, stderr) = run(&[args, &["--format", "json"]].concat());
    assert_eq!(code, 0, "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// A fresh, empty folder under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Serves `body` to one request on a loopback port (with a `Last-Modified` header when
/// given): the base URL, and the request's head once it has been answered.
pub fn serve_once(
    body: Vec<u8>,
    last_modified: Option<&'static str>,
) -> (String, std::thread::JoinHandle<String>) {
    let (base, server) = serve(vec![body], last_modified);
    (
        base,
        std::thread::spawn(move || server.join().unwrap().concat()),
    )
}

/// Serves `bodies` to as many requests, in order, on a loopback port: the base URL, and the
/// requests' heads once answered (at most 30 s are waited for each).
pub fn serve(
    bodies: Vec<Vec<u8>>,
    last_modified: Option<&'static str>,
) -> (String, std::thread::JoinHandle<Vec<String>>) {
    use std::io::{BufRead as _, BufReader, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let server = std::thread::spawn(move || {
        let mut requests = Vec::new();
        listener.set_nonblocking(true).unwrap();
        for body in bodies {
            let start = std::time::Instant::now();
            let mut stream = loop {
                match listener.accept() {
                    Ok((stream, _)) => break stream,
                    Err(_) if start.elapsed().as_secs() < 30 => {
                        std::thread::sleep(std::time::Duration::from_millis(10));
                    }
                    Err(_) => {
                        requests.push("no request".to_string());
                        return requests;
                    }
                }
            };
            stream.set_nonblocking(false).unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                    break;
                }
                request.push_str(&line);
            }
            let modified =
                last_modified.map_or(String::new(), |d| format!("Last-Modified: {d}\r\n"));
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{modified}Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .unwrap();
            stream.write_all(&body).unwrap();
            requests.push(request);
        }
        requests
    });
    (base, server)
}
