//! Did-you-mean: the known id closest to a misspelt one, and the messages that offer it.
//! Flags, YAML files and JSON reports all name unknown ids the same way.

/// The id in `candidates` closest to `id`, if it is close enough to be a likely typo.
pub fn suggest<'a>(id: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let id = id.to_lowercase();
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    // A prefix ("h100" for "h100-sxm") is a stronger hint than a small edit distance.
    if id.len() >= 2
        && let Some(c) = candidates
            .iter()
            .find(|c| c.to_lowercase().starts_with(&id))
    {
        return Some(c);
    }
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&id, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(id.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A message for an unknown id: what is unknown, a suggestion and where to see the list.
pub fn unknown_id<'a>(
    what: &str,
    id: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    list: &str,
) -> String {
    match suggest(id, candidates) {
        Some(s) => format!(
            "unknown {what} {id:?}; did you mean {s:?}? (`llm-decide list {list}` shows them all)"
        ),
        None => {
            format!("unknown {what} {id:?}; `llm-decide list {list}` shows the ids you can use")
        }
    }
}

/// A message for an unknown id from a short list, naming every valid id.
pub fn unknown_among<'a>(
    what: &str,
    id: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    let all: Vec<&str> = candidates.clone().into_iter().collect();
    match suggest(id, candidates) {
        Some(s) => format!(
            "unknown {what} {id:?}; did you mean {s:?}? (one of {})",
            all.join(", ")
        ),
        None => format!("unknown {what} {id:?}; use one of {}", all.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let ids = [
            "gpt-4o",
            "gpt-4o-mini",
            "claude-sonnet-4.5",
            "cloud-a100",
            "cloud-h100",
        ];
        let cases: &[(&str, Option<&str>)] = &[
            ("gpt4o", Some("gpt-4o")),
            ("GPT-4o", Some("gpt-4o")),
            ("gpt-4o-mni", Some("gpt-4o-mini")),
            ("cloud-a10", Some("cloud-a100")),
            ("claude-sonnet", Some("claude-sonnet-4.5")),
            ("llama", None),
            ("cloud", Some("cloud-a100")),
        ];
        for (id, want) in cases {
            assert_eq!(suggest(id, ids.iter().copied()), *want, "{id}");
        }
    }
}
