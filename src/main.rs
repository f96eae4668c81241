//! The `llm-decide` binary: parse arguments, run, print, map the result to an exit status
//! (0 ran and checks passed, 1 a check failed, 2 bad input). A closed pipe is not an error.

use clap::Parser;
use llm_decide::cli::Cli;
use llm_decide::options::Options;
use std::io::{ErrorKind, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    // A panic is a bug; report it in one line, never with a backtrace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal error ({info}); this is a bug in llm-decide, please report it");
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let options = Options::from_cli(cli);
    match llm_decide::run(&options) {
        Ok(outcome) => {
            let mut out = std::io::stdout().lock();
            match out
                .write_all(outcome.text.as_bytes())
                .and_then(|()| out.flush())
            {
                Ok(()) => ExitCode::from(outcome.status),
                Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write the output: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
