//! Plain-text helpers for the human-readable renderers: wrapped bullets and headings.

/// Width the text renderer wraps prose at.
pub const WIDTH: usize = 100;

/// Wraps `text` at [`WIDTH`] columns; the first line starts with `first`, later lines with
/// as many spaces.
pub fn bullet(first: &str, text: &str) -> String {
    let indent = " ".repeat(first.chars().count());
    let mut out = String::new();
    let mut line = first.to_string();
    let mut line_len = first.chars().count();
    let mut empty = true;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if !empty && line_len + 1 + len > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = indent.clone();
            line_len = indent.len();
            empty = true;
        }
        if !empty {
            line.push(' ');
            line_len += 1;
        }
        line.push_str(word);
        line_len += len;
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// A section heading followed by a blank-free underline.
pub fn heading(title: &str) -> String {
    format!("\n{title}\n{}\n", "-".repeat(title.chars().count()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_with_hanging_indent() {
        let text = "word ".repeat(30);
        let out = bullet("  - ", &text);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("  - word"));
        assert!(lines[1].starts_with("    word"));
        assert!(lines.iter().all(|l| l.chars().count() <= WIDTH));
    }
}
