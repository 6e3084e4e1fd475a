//! "Did you mean": the nearest known name to a mistyped one, for help lines in findings and config errors.

/// The nearest known name to a mistyped one, if it is near enough to be a typo.
pub fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(name, k), *k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}
