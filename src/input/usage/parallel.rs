//! JSON lines of one request each, parsed on every core: this thread reads (and decompresses)
//! blocks of whole lines, workers parse them for the format's keys and add them up by hour and
//! model, and their sums are merged. Each row is judged as it would be read in order; a reason
//! a row is not used keeps the earliest line it was first seen on, so the result does not
//! depend on which worker read what.

use super::requests::{self, Preset, Requests};
use crate::model::problem::Problem;
use crate::model::workload::usage::Usage;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::sync::{Mutex, mpsc};

/// The bytes a block of lines holds at least (a longer line makes a longer block).
const BLOCK: usize = 1 << 20;

/// A block of whole lines and the number of its first line.
type Block = (u64, Vec<u8>);

/// What a worker read: its sums, and the rows not used by reason: (by design?, count, the
/// first line).
#[derive(Default)]
struct Part {
    requests: Requests,
    not_used: BTreeMap<String, (bool, u64, u64)>,
}

impl Part {
    fn block(&mut self, preset: &Preset, (first, block): &Block) {
        // The block's rows not used, each first place as its line number.
        let mut tally = Usage::default();
        for (i, line) in block.split_inclusive(|b| *b == b'\n').enumerate() {
            let n = first + i as u64;
            if line.trim_ascii().is_empty() {
                continue;
            }
            match requests::parse_keeping(line, &preset.keys) {
                Some(row) => self
                    .requests
                    .row(preset, &row, &mut tally, || n.to_string()),
                None => tally.skip(super::bad_line(line), || n.to_string()),
            }
        }
        for (left_out, list) in [(false, tally.skipped), (true, tally.excluded)] {
            for s in list {
                let line = s.first.parse().unwrap_or(u64::MAX);
                add(&mut self.not_used, s.reason, (left_out, s.count, line));
            }
        }
    }
}

/// Adds a reason's count to a tally, keeping its earliest line.
fn add(
    tally: &mut BTreeMap<String, (bool, u64, u64)>,
    reason: String,
    (left_out, count, line): (bool, u64, u64),
) {
    let e = tally.entry(reason).or_insert((left_out, 0, u64::MAX));
    e.1 += count;
    e.2 = e.2.min(line);
}

/// Reads the rest of a JSON-lines file of bare rows of `preset`'s format, the line after
/// `first` onwards, into `requests` and `usage`.
pub fn lines(
    file: &str,
    r: &mut dyn BufRead,
    first: u64,
    preset: &Preset,
    requests: &mut Requests,
    usage: &mut Usage,
) -> Result<(), Problem> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8);
    let (tx, rx) = mpsc::sync_channel::<Block>(2 * workers);
    let rx = Mutex::new(rx);
    let (parts, read) = std::thread::scope(|s| {
        let rx = &rx;
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(move || {
                    let mut part = Part::default();
                    loop {
                        let block = rx.lock().expect("no worker panics").recv();
                        match block {
                            Ok(block) => part.block(preset, &block),
                            Err(_) => return part,
                        }
                    }
                })
            })
            .collect();
        let read = feed(r, first + 1, &tx);
        drop(tx);
        let parts: Vec<Part> = handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect();
        (parts, read)
    });
    read.map_err(|e| super::unreadable(file, &e))?;
    let mut not_used = BTreeMap::new();
    for part in parts {
        requests.merge(part.requests);
        for (reason, figures) in part.not_used {
            add(&mut not_used, reason, figures);
        }
    }
    // In the order they were first seen, as a reading in order would list them.
    let mut reasons: Vec<_> = not_used.into_iter().collect();
    reasons.sort_by_key(|(_, (_, _, line))| *line);
    for (reason, (left_out, count, line)) in reasons {
        usage.not_used(left_out, &reason, count, || format!("{file}:{line}"));
    }
    Ok(())
}

/// Sends the blocks of whole lines of `r`, numbering from `line`.
fn feed(r: &mut dyn BufRead, mut line: u64, tx: &mpsc::SyncSender<Block>) -> std::io::Result<()> {
    let mut carry = Vec::new();
    loop {
        let mut block = std::mem::take(&mut carry);
        let start = block.len();
        block.resize(start + BLOCK, 0);
        let mut filled = start;
        while filled < block.len() {
            match r.read(&mut block[filled..])? {
                0 => break,
                n => filled += n,
            }
        }
        let eof = filled < block.len();
        block.truncate(filled);
        if !eof {
            let Some(p) = memchr::memrchr(b'\n', &block) else {
                // One line longer than a block: read on.
                carry = block;
                continue;
            };
            carry = block.split_off(p + 1);
        }
        if !block.is_empty() {
            let lines = memchr::memchr_iter(b'\n', &block).count() as u64
                + u64::from(!block.ends_with(b"\n"));
            if tx.send((line, block)).is_err() {
                return Ok(());
            }
            line += lines;
        }
        if eof {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::workload::usage::UsageFormat;

    /// Blocks cut at line ends, a line longer than a block carried whole, lines numbered across
    /// blocks: four rows (one of 1.5 MiB) and a bad line at line 5 of the file (the first line,
    /// read before, is line 1).
    #[test]
    fn blocks_keep_lines_whole_and_numbered() {
        let row = |pad: usize| {
            format!(
                "{{\"startTime\": \"2026-08-03T09:00:00Z\", \"prompt_tokens\": 10, \"completion_tokens\": 2, \"pad\": \"{}\"}}\n",
                "x".repeat(pad)
            )
        };
        let text = [
            row(1),
            row(BLOCK + BLOCK / 2),
            row(1),
            "not json\n".into(),
            row(1),
        ]
        .concat();
        let preset = super::super::presets::preset(UsageFormat::LiteLlm, None);
        let (mut requests, mut usage) = (Requests::default(), Usage::default());
        lines(
            "f",
            &mut text.as_bytes(),
            1,
            &preset,
            &mut requests,
            &mut usage,
        )
        .unwrap();
        requests.finish(&mut usage);
        assert_eq!(usage.records.len(), 1);
        assert_eq!(usage.records[0].requests, Some(4.0));
        assert_eq!(usage.records[0].input_tokens, 40.0);
        assert_eq!(usage.skipped.len(), 1);
        assert_eq!(
            (
                usage.skipped[0].reason.as_str(),
                usage.skipped[0].first.as_str()
            ),
            ("a line that is not JSON", "f:5")
        );
    }
}
