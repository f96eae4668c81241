//! Output too long to hold: `compare` and `check` over many files in JSON or CSV write each
//! file's item (a whole report, a file's check rows) to an unnamed temporary file as soon as it
//! is decided, keeping only where it sits. The output is written from there, in order, around
//! the document's frame, once every file is known good: memory stays flat as the count grows,
//! and a bad file still leaves nothing written.

use crate::RunError;
use crate::report::Frame;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::{Mutex, PoisonError};

/// An unnamed temporary file (the system removes it when it is closed) that items are
/// appended to, from any thread.
#[derive(Debug)]
pub struct Spool {
    file: Mutex<(File, u64)>,
}

/// Where an item sits in the spool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    offset: u64,
    len: usize,
}

impl Spool {
    /// A new, empty spool in the system's temporary folder.
    pub fn new() -> Result<Spool, RunError> {
        let file = tempfile::tempfile().map_err(|e| trouble("create", e))?;
        Ok(Spool {
            file: Mutex::new((file, 0)),
        })
    }

    /// Appends an item; where it went.
    pub fn put(&self, text: &str) -> Result<Part, RunError> {
        let mut guard = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        let (file, end) = &mut *guard;
        file.write_all(text.as_bytes())
            .map_err(|e| trouble("write", e))?;
        let part = Part {
            offset: *end,
            len: text.len(),
        };
        *end += text.len() as u64;
        Ok(part)
    }

    /// Copies the items at `parts`, in that order, to `out`, each after `before(i)`.
    fn copy(
        &self,
        parts: &[Part],
        out: &mut dyn Write,
        before: impl Fn(usize) -> &'static str,
    ) -> io::Result<()> {
        let mut guard = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        let file = &mut guard.0;
        let mut buf = Vec::new();
        for (i, p) in parts.iter().enumerate() {
            buf.resize(p.len, 0);
            file.seek(SeekFrom::Start(p.offset))?;
            file.read_exact(&mut buf)?;
            out.write_all(before(i).as_bytes())?;
            out.write_all(&buf)?;
        }
        Ok(())
    }
}

/// A temporary file the spool could not use: an error of the machine, not of a file decided,
/// so the per-file loops return it at once instead of counting it as a file's problem.
fn trouble(what: &'static str, source: io::Error) -> RunError {
    RunError::Spool { what, source }
}

/// A document's items, spooled: the spool and each item's place, in the document's order.
#[derive(Debug)]
pub struct Items {
    /// The spool.
    pub spool: Spool,
    /// The items, in order.
    pub parts: Vec<Part>,
}

/// A run's output: text, or a frame with its items spooled.
#[derive(Debug)]
pub enum Body {
    /// The whole output.
    Text(String),
    /// A frame and its items.
    Spooled(Frame, Items),
}

impl Body {
    /// Writes the output to `out`.
    pub fn write_to(&self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Body::Text(text) => out.write_all(text.as_bytes()),
            Body::Spooled(frame, items) => {
                out.write_all(frame.head.as_bytes())?;
                if frame.json {
                    items
                        .spool
                        .copy(&items.parts, out, |i| if i == 0 { "\n" } else { ",\n" })?;
                    if !items.parts.is_empty() {
                        out.write_all(b"\n  ")?;
                    }
                } else {
                    items.spool.copy(&items.parts, out, |_| "")?;
                }
                out.write_all(frame.tail.as_bytes())
            }
        }
    }

    /// The whole output as text (the items read back from the spool).
    #[cfg(test)]
    fn text(&self) -> io::Result<String> {
        let mut bytes = Vec::new();
        self.write_to(&mut bytes)?;
        String::from_utf8(bytes).map_err(io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items spooled out of order come out in the order of their parts, inside the frame, with
    /// JSON's separators; an empty JSON list stays `[]`; CSV rows follow the header.
    #[test]
    fn items_are_written_in_order_around_the_frame() {
        let frame = |head: &str, tail: &str, json| Frame {
            head: head.into(),
            tail: tail.into(),
            json,
        };
        let spool = Spool::new().unwrap();
        let b = spool.put("    2").unwrap();
        let a = spool.put("    1").unwrap();
        let json = Body::Spooled(
            frame("{\n  \"scenarios\": [", "]\n}\n", true),
            Items {
                spool,
                parts: vec![a, b],
            },
        );
        assert_eq!(
            json.text().unwrap(),
            "{\n  \"scenarios\": [\n    1,\n    2\n  ]\n}\n"
        );
        let empty = Body::Spooled(
            frame("{\n  \"scenarios\": [", "]\n}\n", true),
            Items {
                spool: Spool::new().unwrap(),
                parts: Vec::new(),
            },
        );
        assert_eq!(empty.text().unwrap(), "{\n  \"scenarios\": []\n}\n");
        let spool = Spool::new().unwrap();
        let rows = vec![
            spool.put("x,1\ny,2\n").unwrap(),
            spool.put("z,3\n").unwrap(),
        ];
        let csv = Body::Spooled(frame("name,n\n", "", false), Items { spool, parts: rows });
        assert_eq!(csv.text().unwrap(), "name,n\nx,1\ny,2\nz,3\n");
    }
}
