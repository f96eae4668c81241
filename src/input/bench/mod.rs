//! Result files of serving benchmark tools, read into runs the calibration fits: each run's
//! load (requests in flight), request shape, and measured time per output token.
//!
//! Formats, where each is defined, and what is read from it: `tests/data/bench/README.md`.

mod genai_perf;
mod guidellm;
mod server;
mod serving;

pub use server::{Flags, Server, check_servers};

use crate::model::bench::Run;
use crate::model::date::Date;
use crate::model::problem::{Pos, Problem};
use serde_json::Value;

/// The tool that wrote a result file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// `vllm bench serve --save-result` (and `benchmarks/benchmark_serving.py`).
    VllmBenchServe,
    /// `python -m sglang.bench_serving --output-file FILE`.
    SglangBenchServing,
    /// NVIDIA `genai-perf profile`'s `profile_export_genai_perf.json`.
    GenaiPerf,
    /// `GuideLLM`'s `benchmarks.json`.
    GuideLlm,
}

impl Tool {
    /// How the tool is named in messages and in a calibration's source.
    pub fn name(self) -> &'static str {
        match self {
            Tool::VllmBenchServe => "vllm bench serve",
            Tool::SglangBenchServing => "sglang.bench_serving",
            Tool::GenaiPerf => "genai-perf",
            Tool::GuideLlm => "GuideLLM",
        }
    }
}

/// One run read from a result file, with what the file says beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchRun {
    /// The run.
    pub run: Run,
    /// The tool that wrote it.
    pub tool: Tool,
    /// The model as the benchmark named it (a Hugging Face id or a served name).
    pub model: Option<String>,
    /// When it ran.
    pub date: Option<Date>,
    /// Requests that failed.
    pub failed: u64,
    /// How the server split the model, where the file records it.
    pub server: Option<Server>,
}

/// A JSON document of a file (or one run of it), with its place.
struct Doc<'a> {
    file: &'a str,
    /// 1-based line where the document starts (a file of one document per line, as `vllm
    /// bench serve --append-result` writes, has several).
    line: u64,
    value: Value,
    /// How problems name the run's place in the document (`benchmarks[2].`), or nothing.
    prefix: String,
}

impl Doc<'_> {
    /// A problem with `field` of this document.
    fn problem(&self, field: &str, message: impl Into<String>) -> Problem {
        Problem::new(self.file, message)
            .at(Pos {
                line: self.line,
                column: 1,
            })
            .field(format!("{}{field}", self.prefix))
    }

    /// The value at a dotted path (`metrics.request_latency.successful.mean`).
    fn get(&self, path: &str) -> Option<&Value> {
        path.split('.').try_fold(&self.value, |v, key| v.get(key))
    }

    /// Where the run was read, as a calibration names it: the file's name without its
    /// folders (with the line, in a file of several runs).
    fn source(&self, several: bool) -> String {
        let name = std::path::Path::new(self.file).file_name().map_or_else(
            || self.file.to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        if several {
            format!("{name}:{}", self.line)
        } else {
            name
        }
    }

    /// A number at `field` (a JSON number), or a problem naming it and what to do.
    fn number(&self, field: &str, fix: &str) -> Result<f64, Problem> {
        match self.get(field) {
            Some(Value::Number(n)) => n
                .as_f64()
                .filter(|v| v.is_finite())
                .ok_or_else(|| self.problem(field, format!("{n} is not a finite number"))),
            None | Some(Value::Null) => Err(self.problem(field, "is missing").fix(fix)),
            Some(other) => Err(self
                .problem(field, format!("{other} is not a number"))
                .fix(fix)),
        }
    }

    /// A number at `field` that must be above zero.
    fn positive(&self, field: &str, fix: &str) -> Result<f64, Problem> {
        let v = self.number(field, fix)?;
        if v > 0.0 {
            Ok(v)
        } else {
            Err(self
                .problem(field, format!("{v} is not above zero"))
                .fix(fix))
        }
    }

    /// An optional count or time at `field`: not negative where given.
    fn optional(&self, field: &str) -> Result<Option<f64>, Problem> {
        let fix = "give the number the benchmark tool wrote, or leave it out";
        match self.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => {
                let v = self.number(field, fix)?;
                if v < 0.0 {
                    return Err(self.problem(field, format!("{v} is negative")).fix(fix));
                }
                Ok(Some(v))
            }
        }
    }

    /// An optional figure at `field` that must be above zero where given.
    fn optional_positive(&self, field: &str) -> Result<Option<f64>, Problem> {
        match self.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => self
                .positive(
                    field,
                    "give the number the benchmark tool wrote, or leave it out",
                )
                .map(Some),
        }
    }

    /// A string at `field`, if it is one.
    fn text(&self, field: &str) -> Option<&str> {
        self.get(field).and_then(Value::as_str)
    }

    /// The first of `paths` that holds a number.
    fn first_number(&self, paths: &[&str]) -> Result<Option<f64>, Problem> {
        for p in paths {
            if let Some(v) = self.optional(p)? {
                return Ok(Some(v));
            }
        }
        Ok(None)
    }
}

/// The JSON documents of a result file (one run each, or one a line).
fn documents<'a>(file: &'a str, text: &str) -> Result<Vec<Doc<'a>>, Problem> {
    let docs: Vec<Doc> = crate::input::json_documents(
        file,
        &finite(text),
        "give the result file as the benchmark tool wrote it (one JSON document, or one per line)",
    )?
    .into_iter()
    .map(|(line, value)| Doc {
        file,
        line,
        value,
        prefix: String::new(),
    })
    .collect();
    if docs.is_empty() {
        return Err(Problem::new(file, "is empty").fix("give a benchmark result file"));
    }
    Ok(docs)
}

/// The text with the non-finite numbers Python's `json` writes (`Infinity`, `-Infinity`,
/// `NaN`: `SGLang`'s `request_rate` of an unlimited rate) read as `null`, outside strings; no
/// field read may be one, so such a field is then missing. Lines do not move; a column after
/// such a token moves by its length less four.
fn finite(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("Infinity") && !text.contains("NaN") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if in_string {
            (in_string, escaped) = (escaped || c != '"', !escaped && c == '\\');
        } else if c == '"' {
            in_string = true;
        } else if let Some(token) = ["-Infinity", "Infinity", "NaN"]
            .into_iter()
            .find(|t| rest.starts_with(t))
        {
            out.push_str("null");
            rest = &rest[token.len()..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out.into()
}

/// The runs of one result file, `file` naming it in messages.
pub fn read(file: &str, text: &str) -> Result<Vec<BenchRun>, Problem> {
    let docs = documents(file, text)?;
    let several = docs.len() > 1;
    let mut runs = Vec::new();
    for d in &docs {
        if let Some(format) = serving::format(&d.value) {
            runs.push(serving::run(d, several, format)?);
        } else if genai_perf::is(&d.value) {
            runs.push(genai_perf::run(d)?);
        } else if guidellm::is(&d.value) {
            runs.extend(guidellm::runs(d)?);
        } else {
            return Err(Problem::new(file, "is not a result file of a benchmark tool llm-decide reads")
                .at(Pos { line: d.line, column: 1 })
                .fix("give the JSON of `vllm bench serve --save-result`, SGLang's `bench_serving --output-file`, genai-perf's profile_export_genai_perf.json or GuideLLM's benchmarks.json; tests/data/bench/README.md lists the formats read"));
        }
    }
    Ok(runs)
}

/// Where a run was read, for a tool whose file holds no date: the file's name.
fn file_name(file: &str) -> String {
    std::path::Path::new(file)
        .file_name()
        .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned())
}

/// Files a benchmark tool writes beside its results: genai-perf's inputs and raw export.
const NOT_RESULTS: [&str; 2] = ["inputs.json", "profile_export.json"];

/// The result files named: files as given, folders as their `.json` and `.jsonl` files and
/// those of their subfolders (genai-perf writes a folder a run), less the files genai-perf
/// writes beside its results.
pub fn files(paths: &[String]) -> Result<Vec<String>, Problem> {
    crate::input::data_files(
        paths,
        &NOT_RESULTS,
        &["json", "jsonl"],
        "name the benchmark's result files or the folder it wrote them to (--result-dir)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `vllm bench serve` result: 10 requests of 1,000 prompt and 201 output tokens at 2 a
    /// second, 100 ms to the first token and 10 ms a token after it.
    fn vllm(extra: &str) -> String {
        format!(
            r#"{{"date": "20250814-182107", "backend": "vllm", "model_id": "m", "completed": 10, "failed": 0, "total_input_tokens": 10000, "total_output_tokens": 2010, "request_throughput": 2.0, "output_throughput": 402.0, "mean_ttft_ms": 100.0, "mean_tpot_ms": 10.0{extra}}}"#
        )
    }

    #[test]
    fn the_load_is_littles_law_on_the_runs_own_figures() {
        // In flight = requests a second x mean end-to-end time: the file's E2E when it has one,
        // else TTFT + (output - 1) x TPOT = 100 + 200 x 10 = 2,100 ms; at most the cap.
        for (extra, want) in [
            ("", 2.0 * 2.1),
            (r#", "mean_e2el_ms": 3000.0"#, 6.0),
            (r#", "mean_e2el_ms": 3000.0, "max_concurrency": 4"#, 4.0),
            (r#", "max_concurrency": null"#, 4.2),
        ] {
            let runs = read("dir/r.json", &vllm(extra)).unwrap();
            assert_eq!(runs.len(), 1);
            let r = &runs[0].run;
            assert!(
                (r.concurrency - want).abs() < 1e-9,
                "{extra}: {}",
                r.concurrency
            );
            assert_eq!((r.input_tokens, r.output_tokens), (1000.0, 201.0));
            assert_eq!(
                (r.tpot_ms, r.ttft_ms, r.output_tokens_per_s),
                (10.0, 100.0, 402.0)
            );
            assert_eq!(r.source, "r.json");
            assert_eq!(runs[0].date, Date::parse("2025-08-14").ok());
        }
    }

    /// A real `sglang.bench_serving` line (tests/data/bench/sglang-gh200-qwen2.5-3b, `SGLang`
    /// 0.5.5.post3, `--max-concurrency 8`, its request rate written `Infinity`): 100 requests of
    /// 26,497 prompt and 6,180 output tokens in all; in flight 22.9537 requests a second x
    /// 338.18 ms, 7.7625, the `concurrency` `SGLang` itself writes; no date; the model from
    /// `server_info`.
    #[test]
    fn an_sglang_bench_serving_run_is_read() {
        let file = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/bench/sglang-gh200-qwen2.5-3b/agg_n100_in512_out128_c8.jsonl"
        );
        let runs = read(file, &std::fs::read_to_string(file).unwrap()).unwrap();
        assert_eq!(runs.len(), 1);
        let (b, r) = (&runs[0], &runs[0].run);
        assert_eq!(
            (b.tool, b.model.as_deref(), b.date, b.failed),
            (
                Tool::SglangBenchServing,
                Some("Qwen/Qwen2.5-3B-Instruct"),
                None,
                0
            )
        );
        assert!(
            (r.concurrency - 7.762_507_194_459_916).abs() < 1e-6,
            "{}",
            r.concurrency
        );
        assert_eq!((r.input_tokens, r.output_tokens), (264.97, 61.8));
        assert_eq!(
            (r.tpot_ms, r.ttft_ms, r.output_tokens_per_s),
            (
                5.202_528_079_129_771,
                28.438_684_605_062_008,
                1_418.539_072_564_216_4
            )
        );
        assert_eq!(r.source, "agg_n100_in512_out128_c8.jsonl");
        // Its server: one GPU, no expert or attention split, the model's dtype for the cache.
        assert_eq!(
            b.server,
            Some(Server {
                file: file.to_string(),
                line: 1,
                tp: Some(1),
                dp: Some(1),
                ep: Some(1),
                dp_attention: Some(false),
                kv_cache_dtype: Some("auto".into()),
            })
        );
    }

    /// `SGLang`'s 2024 releases wrote no mean time per token (tests/data/bench/errors/sglang-2024.jsonl,
    /// a real file): the first run is refused, naming the field and what writes it.
    #[test]
    fn sglang_bench_serving_of_2024_is_refused() {
        let file = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/bench/errors/sglang-2024.jsonl"
        );
        let p = read(file, &std::fs::read_to_string(file).unwrap()).unwrap_err();
        assert_eq!(
            (p.field.as_deref(), p.message.as_str(), p.pos.line),
            (Some("mean_tpot_ms"), "is missing", 1)
        );
        assert!(p.fix.unwrap().contains("current SGLang"));
    }

    #[test]
    fn pythons_non_finite_numbers_read_as_null_outside_strings() {
        for (text, want) in [
            (r#"{"a": 1}"#, r#"{"a": 1}"#),
            (
                r#"{"a": Infinity, "b": -Infinity}"#,
                r#"{"a": null, "b": null}"#,
            ),
            (r#"{"a": [NaN, 2]}"#, r#"{"a": [null, 2]}"#),
            (
                r#"{"t": "Infinity NaN", "a": NaN}"#,
                r#"{"t": "Infinity NaN", "a": null}"#,
            ),
            (
                r#"{"t": "a \"NaN\" b", "u": Infinity}"#,
                r#"{"t": "a \"NaN\" b", "u": null}"#,
            ),
            (
                r#"{"t": "ends in \\", "u": NaN}"#,
                r#"{"t": "ends in \\", "u": null}"#,
            ),
        ] {
            assert_eq!(finite(text), want, "{text}");
        }
    }

    #[test]
    fn a_file_of_one_run_a_line_names_each_by_its_line() {
        let text = format!("{}\n\n{}\n", vllm(""), vllm(r#", "max_concurrency": 1"#));
        let runs = read("runs.jsonl", &text).unwrap();
        let sources: Vec<&str> = runs.iter().map(|b| b.run.source.as_str()).collect();
        assert_eq!(sources, ["runs.jsonl:1", "runs.jsonl:3"]);
        assert_eq!(runs[1].run.concurrency, 1.0);
    }

    #[test]
    fn a_field_that_cannot_be_read_is_named() {
        for (extra, field, message) in [
            (
                r#", "mean_tpot_ms": "fast""#,
                "mean_tpot_ms",
                "\"fast\" is not a number",
            ),
            (
                r#", "request_throughput": 0"#,
                "request_throughput",
                "0 is not above zero",
            ),
            (
                r#", "backend": "openai-embeddings""#,
                "backend",
                "\"openai-embeddings\" is a pooling benchmark, with no generated tokens",
            ),
            (
                r#", "spec_decode_acceptance_length": 2.5"#,
                "spec_decode_acceptance_length",
                "2.5 tokens accepted a step: the server ran speculative decoding, and calibrate fits the step without drafts",
            ),
        ] {
            // A later key replaces an earlier one in serde_json's map.
            let text = vllm(extra);
            let p = read("r.json", &text).unwrap_err();
            assert_eq!(
                (p.field.as_deref(), p.message.as_str()),
                (Some(field), message)
            );
        }
    }
}
