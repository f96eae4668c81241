//! Problems found in input (a flag or a file): where (file, line, column, field), what, and
//! how to fix it. Shared by the layers that read files (`input`) and arguments (`options`).
//!
//! Validation collects every problem in a file before failing, so a user fixes them all
//! in one pass; [`InputError`] carries the list to the command line.

use std::fmt;

/// A position in a YAML file (1-based line and column); `line == 0` means unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Line, starting at 1.
    pub line: u64,
    /// Column, starting at 1.
    pub column: u64,
}

/// One thing wrong with an input, with its location and a fix.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The file (as the user named it, or `embedded:pricing/x.yaml`), or a flag such as `--api`.
    pub file: String,
    /// Line and column in the file; line 0 when unknown.
    pub pos: Pos,
    /// The field, as a path (`apis[gpt-4o].input_usd_per_mtok`).
    pub field: Option<String>,
    /// What is wrong, naming the offending value.
    pub message: String,
    /// How to fix it.
    pub fix: Option<String>,
}

impl Problem {
    /// A problem in `file` (or with a flag) with a message.
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            file: file.into(),
            pos: Pos::default(),
            field: None,
            message: message.into(),
            fix: None,
        }
    }

    /// Sets the position.
    pub fn at(mut self, pos: Pos) -> Self {
        self.pos = pos;
        self
    }

    /// Sets the field path.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Sets the fix.
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.pos.line > 0 {
            write!(f, ":{}:{}", self.pos.line, self.pos.column)?;
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(fix) = &self.fix {
            write!(f, "; {fix}")?;
        }
        Ok(())
    }
}

/// Input that could not be used: one or more problems, all reported at once.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct InputError {
    /// Every problem found, in file order.
    pub problems: Vec<Problem>,
}

impl InputError {
    /// An error with a single problem.
    pub fn one(problem: Problem) -> Self {
        InputError {
            problems: vec![problem],
        }
    }
}

impl From<Problem> for InputError {
    fn from(problem: Problem) -> Self {
        InputError::one(problem)
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "{one}"),
            many => {
                write!(f, "{} problems in the input:", many.len())?;
                for p in many {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
        }
    }
}

/// Collects problems while validating, so all of them are reported together.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// Records a problem.
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    /// Records the error of a result and returns its value, if any.
    pub fn take<T>(&mut self, result: Result<T, Problem>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(p) => {
                self.push(p);
                None
            }
        }
    }

    /// Succeeds with `value` when nothing was recorded.
    pub fn finish<T>(self, value: T) -> Result<T, InputError> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(InputError { problems: self.0 })
        }
    }

    /// True when no problem was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
