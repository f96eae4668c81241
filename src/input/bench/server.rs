//! What a result file says of the server it measured (`SGLang`'s `server_info`), checked
//! against the deployment the flags describe.

use super::BenchRun;
use crate::model::problem::{InputError, Pos, Problem, Problems};

/// How the benchmarked server split the model and kept its cache, where the result file
/// records it (`SGLang`'s `server_info`), with where it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The file.
    pub file: String,
    /// The line of the run.
    pub line: u64,
    /// Tensor-parallel degree (`tp_size`).
    pub tp: Option<u32>,
    /// Data-parallel degree (`dp_size`): replicas, or attention ranks under DP attention.
    pub dp: Option<u32>,
    /// Expert-parallel degree (`ep_size`).
    pub ep: Option<u32>,
    /// Attention data parallelism (`enable_dp_attention`).
    pub dp_attention: Option<bool>,
    /// The KV cache's dtype as the server was told it (`kv_cache_dtype`: `auto` is the
    /// model's).
    pub kv_cache_dtype: Option<String>,
}

/// The deployment the flags describe, which a server's own settings must agree with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flags<'a> {
    /// GPUs of the server (`--gpus`).
    pub gpus: u32,
    /// Expert-parallel degree (`--ep`; 1: none).
    pub ep: u32,
    /// Attention data-parallel (`--attention-dp`).
    pub attention_dp: bool,
    /// The KV cache's precision id (`--kv-precision`), if given.
    pub kv_precision: Option<&'a str>,
}

/// Refuses runs whose file says the server ran another deployment than the flags describe
/// (`SGLang`'s `server_info`): other GPUs, expert parallelism or attention split, several
/// data-parallel replicas (a calibration is of one), or another KV cache. Each file once.
///
/// # Errors
/// Every disagreement, at its file, line and field.
pub fn check_servers(runs: &[BenchRun], r: &Flags) -> Result<(), InputError> {
    let mut problems = Problems::default();
    let mut seen: Vec<&str> = Vec::new();
    for s in runs.iter().filter_map(|b| b.server.as_ref()) {
        if !seen.contains(&s.file.as_str()) {
            seen.push(&s.file);
            s.problems(r, &mut problems);
        }
    }
    problems.finish(())
}

impl Server {
    /// Whether the server kept its KV cache in 8 bits (`fp8_e4m3`, `fp8_e5m2`) or 16 (`auto`,
    /// the model's dtype, `SGLang`'s default and the engine profile's; `bf16`, `fp16`); `None`
    /// for a dtype not listed, which is not checked.
    fn kv_eight_bit(&self) -> Option<bool> {
        match self.kv_cache_dtype.as_deref() {
            Some(k) if k.starts_with("fp8") => Some(true),
            Some("auto" | "bf16" | "bfloat16" | "fp16" | "float16") => Some(false),
            _ => None,
        }
    }

    /// Where this server's own settings contradict the flags, each a problem at its field.
    fn problems(&self, r: &Flags, problems: &mut Problems) {
        let at = |field: &str, message: String, fix: String| {
            Problem::new(&self.file, message)
                .at(Pos {
                    line: self.line,
                    column: 1,
                })
                .field(format!("server_info.{field}"))
                .fix(fix)
        };
        if let Some(tp) = self.tp.filter(|&tp| tp != r.gpus) {
            problems.push(at(
                "tp_size",
                format!(
                    "the server ran tensor parallelism of {tp}, where --gpus is {}",
                    r.gpus
                ),
                format!("pass --gpus {tp}, the GPUs of the server benchmarked"),
            ));
        }
        let ep = r.ep;
        if let Some(e) = self.ep.filter(|&e| e != ep) {
            problems.push(at(
                "ep_size",
                format!("the server ran expert parallelism of {e}, where --ep is {ep}"),
                format!("pass --ep {e}"),
            ));
        }
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        if let Some(a) = self.dp_attention.filter(|&a| a != r.attention_dp) {
            problems.push(at(
                "enable_dp_attention",
                format!(
                    "the server ran attention {}, where --attention-dp is {}",
                    if a {
                        "data-parallel"
                    } else {
                        "tensor-parallel"
                    },
                    yes_no(r.attention_dp)
                ),
                format!("pass --attention-dp {}", yes_no(a)),
            ));
        }
        if let Some(dp) = self
            .dp
            .filter(|&dp| dp > 1 && self.dp_attention != Some(true))
        {
            problems.push(at(
            "dp_size",
            format!("the server ran {dp} data-parallel replicas, which share the runs' load; a calibration is of one"),
            "benchmark one replica (--dp-size 1)".into(),
        ));
        }
        let eight = self.kv_eight_bit();
        let given = r.kv_precision;
        let agrees = |eight: bool| match given {
            None | Some("bf16" | "fp16") => !eight,
            Some("fp8") => eight,
            Some(_) => false,
        };
        if let Some(eight) = eight.filter(|&e| !agrees(e)) {
            problems.push(at(
                "kv_cache_dtype",
                format!(
                    "the server kept its KV cache as {:?}, where --kv-precision is {}",
                    self.kv_cache_dtype.as_deref().unwrap_or_default(),
                    given.unwrap_or("not given (16-bit)")
                ),
                if eight {
                    "pass --kv-precision fp8".into()
                } else {
                    "drop --kv-precision: the cache was 16-bit".into()
                },
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What an `SGLang` server's `server_info` says against the flags: each disagreement is a
    /// problem at its field, agreement none. The flags: 8 GPUs, `--ep 8`, attention
    /// data-parallel, no `--kv-precision` (16-bit).
    #[test]
    fn a_server_that_ran_another_deployment_is_refused_field_by_field() {
        let r = Flags {
            gpus: 8,
            ep: 8,
            attention_dp: true,
            kv_precision: None,
        };
        let server = Server {
            file: "runs.jsonl".into(),
            line: 3,
            tp: Some(8),
            dp: Some(8),
            ep: Some(8),
            dp_attention: Some(true),
            kv_cache_dtype: Some("auto".into()),
        };
        let fields = |s: Server| {
            let mut p = Problems::default();
            s.problems(&r, &mut p);
            p.0.iter()
                .map(|p| (p.pos.line, p.field.clone().unwrap_or_default()))
                .collect::<Vec<_>>()
        };
        let f = |s: &str| (3, format!("server_info.{s}"));
        for (s, want) in [
            // Eight attention ranks within the 8 GPUs: one replica, as asked.
            (server.clone(), vec![]),
            (
                Server {
                    tp: Some(4),
                    ..server.clone()
                },
                vec![f("tp_size")],
            ),
            (
                Server {
                    ep: Some(1),
                    ..server.clone()
                },
                vec![f("ep_size")],
            ),
            // Tensor-parallel attention with 8 data-parallel ranks: 8 replicas of 8 GPUs.
            (
                Server {
                    dp_attention: Some(false),
                    ..server.clone()
                },
                vec![f("enable_dp_attention"), f("dp_size")],
            ),
            (
                Server {
                    kv_cache_dtype: Some("fp8_e4m3".into()),
                    ..server.clone()
                },
                vec![f("kv_cache_dtype")],
            ),
            // A dtype not listed is not checked; nothing said, nothing checked.
            (
                Server {
                    kv_cache_dtype: Some("fp4_e2m1".into()),
                    ..server.clone()
                },
                vec![],
            ),
            (
                Server {
                    tp: None,
                    dp: None,
                    ep: None,
                    dp_attention: None,
                    kv_cache_dtype: None,
                    ..server.clone()
                },
                vec![],
            ),
        ] {
            assert_eq!(fields(s.clone()), want, "{s:?}");
        }
    }
}
