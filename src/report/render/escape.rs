//! Text from inputs (names, descriptions, ids, notes, sources) made safe for the sink it is
//! printed to. Every renderer and every message passes through here:
//!
//! - controls (C0, DEL, C1), line and paragraph separators and bidirectional overrides become
//!   visible escapes (`\u{1b}`) in every human format, so no name can move the cursor, colour
//!   the terminal, start a new Markdown block or reorder what a reader sees;
//! - Markdown punctuation is escaped, a leading block marker too, and `@` cannot mention;
//! - HTML's five special characters become entities;
//! - a CSV cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, carriage
//!   return first) is prefixed with `'` (OWASP's guidance), unless it is a plain number;
//! - GitHub workflow commands (`::error ...::message`) get their data and property encodings.
//!
//! JSON needs none of this: its strings carry the data exactly, controls escaped by the format.

use std::fmt::Write as _;

/// Whether a character must not reach a reader raw.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Writes `c` as a visible escape: `\u{1b}`.
fn visible(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

/// Text for a terminal: controls and bidirectional overrides as visible escapes.
pub fn terminal(text: &str) -> String {
    text.chars()
        .fold(String::with_capacity(text.len()), |mut out, c| {
            if hidden(c) {
                visible(&mut out, c);
            } else {
                out.push(c);
            }
            out
        })
}

/// Text of several lines for a terminal (an error listing its problems): as [`terminal`],
/// keeping the line breaks.
pub fn terminal_lines(text: &str) -> String {
    text.split('\n')
        .map(terminal)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Prose in Markdown: inline markup escaped, and a block marker opening the text (`#`, `>`,
/// `-`, `+`, `=`, `1.`) too.
pub fn markdown(text: &str) -> String {
    let mut out = markdown_cell(text);
    if out.starts_with(['#', '>', '-', '+', '=']) {
        out.insert(0, '\\');
    }
    // "1. " or "1) " opening the text would start an ordered list.
    if let Some(end) = out.find(|c: char| !c.is_ascii_digit())
        && end > 0
        && (out[end..].starts_with(". ") || out[end..].starts_with(") "))
    {
        out.insert(end, '\\');
    }
    out
}

/// A table cell in Markdown (inline, so no block can open): emphasis, code, links, tags,
/// strikethrough, entities and the cell separator escaped.
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if hidden(c) => visible(&mut out, c),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            // `@name` mentions on code hosts: a word joiner breaks the mention.
            '@' => out.push_str("@\u{2060}"),
            _ => out.push(c),
        }
    }
    out
}

/// Text in HTML.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if hidden(c) => visible(&mut out, c),
            _ => out.push(c),
        }
    }
    out
}

/// A CSV cell's text before quoting: controls visible, a formula neutralised.
pub fn csv_cell(text: &str) -> String {
    let clean = terminal(text);
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula && clean.parse::<f64>().is_err() {
        format!("'{clean}")
    } else {
        clean
    }
}

/// The message of a GitHub workflow command (`::error::MESSAGE`): `%`, carriage return and
/// line feed encoded, as the runner decodes them.
pub fn github_message(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property of a GitHub workflow command (`::error file=F,title=T::`): as
/// [`github_message`], and `:` and `,`, which end a property.
pub fn github_property(text: &str) -> String {
    github_message(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a\u{1b}[31mred\u{1b}[0m\n# heading\u{202e}cba\u{85}";

    #[test]
    fn terminal_text_carries_no_control() {
        let t = terminal(HOSTILE);
        assert_eq!(
            t,
            "a\\u{1b}[31mred\\u{1b}[0m\\u{a}# heading\\u{202e}cba\\u{85}"
        );
        assert!(!t.chars().any(hidden));
        assert_eq!(terminal_lines("x\u{7}\ny"), "x\\u{7}\ny");
    }

    #[test]
    fn markdown_cannot_open_a_block_or_mention() {
        let cases = [
            ("# Heading", "\\# Heading"),
            ("- item", "\\- item"),
            ("1. first", "1\\. first"),
            ("=== ", "\\=== "),
            ("a\n# b", "a\\u{a}# b"),
            ("see @octocat", "see @\u{2060}octocat"),
            ("<!-- hide -->", "\\<!-- hide -->"),
            ("> quote", "\\> quote"),
            ("a -> b # c", "a -> b # c"),
            ("[x](http://e)", "\\[x\\](http://e)"),
            ("a|b", "a\\|b"),
            ("plain 52.4% - fine", "plain 52.4% - fine"),
        ];
        for (raw, want) in cases {
            assert_eq!(markdown(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html("<script>alert('x')</script>&\u{1b}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;\\u{1b}"
        );
    }

    #[test]
    fn csv_formulas_are_neutralised_numbers_are_not() {
        let cases = [
            ("=HYPERLINK(\"http://e\")", "'=HYPERLINK(\"http://e\")"),
            ("+cmd", "'+cmd"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\\u{9}x"),
            ("-2", "-2"),
            ("-6613.4", "-6613.4"),
            ("gpt-4o", "gpt-4o"),
        ];
        for (raw, want) in cases {
            assert_eq!(csv_cell(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn github_commands_cannot_be_split_or_forged() {
        assert_eq!(github_message("50%\n::error::x"), "50%25%0A::error::x");
        assert_eq!(github_property("a:b,c"), "a%3Ab%2Cc");
    }
}
