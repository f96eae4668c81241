//! Colour for the terminal: ANSI styles added to rendered table output after layout, so
//! column widths are unaffected.

const BOLD: &str = "\x1b[1m";
const GREEN: &str = "\x1b[1;32m";
const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

fn paint(style: &str, text: &str) -> String {
    format!("{style}{text}{RESET}")
}

/// Highlights the title, the recommendation, section headings and check results.
pub fn highlight(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let underline = |l: &str| !l.is_empty() && l.chars().all(|c| c == '-');
        let styled = if line.starts_with("Recommendation:")
            || line.starts_with("Recommendation changed")
            || line.starts_with("Recommendation unchanged")
        {
            paint(GREEN, line)
        } else if (i == 0 && line.starts_with("llm-decide"))
            || lines
                .get(i + 1)
                .is_some_and(|n| underline(n) && n.len() == line.chars().count())
        {
            paint(BOLD, line)
        } else if line.contains('┆') || line.contains('│') {
            line.replace("┆ FAIL ", &format!("┆ {} ", paint(RED, "FAIL")))
                .replace("┆ pass ", &format!("┆ {} ", paint(GREEN, "pass")))
                .replace(", misses ", &format!(", {} ", paint(YELLOW, "misses")))
                .replace(
                    "┆ ruled out ",
                    &format!("┆ {} ", paint(YELLOW, "ruled out")),
                )
        } else {
            (*line).to_string()
        };
        out.push(styled);
    }
    out.join("\n")
}

/// A stderr line with its lead word coloured: a failed check red, a warning yellow.
pub fn message(m: &crate::Message) -> String {
    let style = match m.kind {
        crate::MessageKind::CheckFailed { warn_only: false } => RED,
        crate::MessageKind::CheckFailed { warn_only: true } | crate::MessageKind::Warning => YELLOW,
        crate::MessageKind::Info => return m.text.clone(),
    };
    let lead = m.lead().trim_end();
    format!("{} {}", paint(style, lead), m.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_keep_the_text() {
        let text =
            "llm-decide: x\n\nRecommendation: API, $1 a month\n\nChecks\n------\n│ a ┆ FAIL │\n";
        let styled = highlight(text);
        assert!(styled.contains("\x1b[1;32mRecommendation: API, $1 a month\x1b[0m"));
        assert!(styled.contains("\x1b[1mChecks\x1b[0m\n------"));
        assert!(styled.contains("┆ \x1b[1;31mFAIL\x1b[0m │"));
        // Removing the escapes gives the text back.
        let plain: String = styled
            .split('\x1b')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once('m').map_or(part, |(_, r)| r)
                }
            })
            .collect();
        assert_eq!(plain, text);
        assert_eq!(
            message(&crate::Message::warning("old")),
            "\x1b[33mwarning:\x1b[0m old"
        );
        assert_eq!(message(&crate::Message::info("plain")), "plain");
    }
}
