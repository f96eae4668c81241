//! The exit status of a run, typed: the contract CI pipelines rely on.

use std::process::ExitCode;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum ExitStatus {
    /// It ran, and every requested check passed (0).
    #[default]
    Passed,
    /// It ran, and a requested check failed (1).
    CheckFailed,
    /// It could not run: a bad flag, an unreadable or invalid input (2).
    BadInput,
}

impl ExitStatus {
    /// The status as a process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Passed => 0,
            ExitStatus::CheckFailed => 1,
            ExitStatus::BadInput => 2,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_order() {
        let all = [
            (ExitStatus::Passed, 0),
            (ExitStatus::CheckFailed, 1),
            (ExitStatus::BadInput, 2),
        ];
        for (status, code) in all {
            assert_eq!(status.code(), code, "{status:?}");
        }
        // The worst of several runs is the one to report.
        assert_eq!(
            ExitStatus::Passed.max(ExitStatus::CheckFailed),
            ExitStatus::CheckFailed
        );
    }
}
