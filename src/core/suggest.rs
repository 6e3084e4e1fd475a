//! "Did you mean": the nearest known name to a mistyped one, for help lines in findings and config errors.

/// How alike two names must be (Jaro-Winkler) for one to be taken for a typo of the other.
const NEAR: f64 = 0.8;

/// The nearest known name to a mistyped one, if it is near enough to be a typo.
pub fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(name, k), *k))
        .filter(|(score, _)| *score >= NEAR)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Every known name near enough to `name` to be what it was meant to be, the nearest first.
pub fn near<'k>(name: &str, known: &[&'k str]) -> Vec<&'k str> {
    let mut scored: Vec<(f64, &'k str)> = known
        .iter()
        .map(|k| (strsim::jaro_winkler(name, k), *k))
        .filter(|(score, _)| *score >= NEAR)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().map(|(_, k)| k).collect()
}
