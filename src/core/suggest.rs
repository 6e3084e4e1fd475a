//! "Did you mean": the nearest known name to a mistyped one, for help lines in findings and config errors.

/// How alike two names must be (Jaro-Winkler) for one to be taken for a typo of the other.
const NEAR: f64 = 0.8;

/// Less than any rounding of the score could make a bound differ from it by, and more than enough.
const SLACK: f64 = 1e-9;

/// The nearest known name to a mistyped one, if it is near enough to be a typo; of names equally near, the last.
///
/// A name that cannot score as high as the best so far is not scored: the language server chooses among a
/// quarter's 40,000 objectives while an `aligns_to` is typed, and [`Letters::at_most`] is cheaper than the score.
pub fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let letters = Letters::of(name);
    let mut best: Option<(f64, &'k str)> = None;
    for &k in known {
        // Equal to the best it may still be chosen (the last of equals is), so only a lower bound is passed.
        let floor = best.map_or(NEAR, |(score, _)| score);
        if letters.at_most(k) < floor - SLACK {
            continue;
        }
        let score = strsim::jaro_winkler(name, k);
        if score >= NEAR && best.is_none_or(|(b, _)| score.total_cmp(&b).is_ge()) {
            best = Some((score, k));
        }
    }
    best.map(|(_, k)| k)
}

/// A name's letters counted, for a bound on its Jaro-Winkler score against another name.
struct Letters<'a> {
    name: &'a str,
    chars: usize,
    /// How many of its characters fall in each of 128 groups (by code point; ASCII each its own).
    counts: [u32; 128],
}

impl<'a> Letters<'a> {
    fn of(name: &'a str) -> Letters<'a> {
        let mut counts = [0; 128];
        let mut chars = 0;
        for c in name.chars() {
            counts[c as usize % 128] += 1;
            chars += 1;
        }
        Letters {
            name,
            chars,
            counts,
        }
    }

    /// At least `strsim::jaro_winkler(self.name, other)`. Jaro's matches are pairs of equal characters, so
    /// there are no more than the characters the two have in common (counted by group, which can only count
    /// more); with that many and no transposition, the score is as high as it can be, and Winkler's bonus for
    /// a shared prefix only grows with it.
    fn at_most(&self, other: &str) -> f64 {
        let mut counts = self.counts;
        let (mut common, mut chars) = (0usize, 0usize);
        for c in other.chars() {
            let count = &mut counts[c as usize % 128];
            if *count > 0 {
                *count -= 1;
                common += 1;
            }
            chars += 1;
        }
        if self.chars == 0 && chars == 0 {
            return 1.0;
        }
        if common == 0 {
            return 0.0;
        }
        let m = common as f64;
        let jaro = (m / self.chars as f64 + m / chars as f64 + 1.0) / 3.0;
        let prefix = self
            .name
            .chars()
            .take(4)
            .zip(other.chars())
            .take_while(|(a, b)| a == b)
            .count();
        jaro + 0.1 * prefix as f64 * (1.0 - jaro)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `closest` as it was before it skipped names: every name scored.
    fn scoring_every_name<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
        known
            .iter()
            .map(|k| (strsim::jaro_winkler(name, k), *k))
            .filter(|(score, _)| *score >= NEAR)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| k)
    }

    #[test]
    fn the_bound_is_never_below_the_score_and_the_choice_is_as_scoring_every_name() {
        let names = [
            "",
            "a",
            "ab",
            "ba",
            "company/trust",
            "company/trusts",
            "company/turst",
            "platform/deploys",
            "platform/deploy",
            "platfrm/deploys",
            "data/lake",
            "dāta/lake",
            "ü",
            "üü",
            "aaaa",
            "aaab",
            "abab",
            "company/trust/a",
            "company/trust/b",
            "team-0042/improve-onboarding",
            "compnay/trust",
            "global-reach",
            "company/global-reach",
            "company/globa",
            "x".repeat(300).leak(),
        ];
        for a in names {
            let letters = Letters::of(a);
            for b in names {
                let score = strsim::jaro_winkler(a, b);
                assert!(letters.at_most(b) >= score - SLACK, "{a:?} {b:?}");
            }
            assert_eq!(closest(a, &names), scoring_every_name(a, &names), "{a:?}");
        }
        // Of names equally near, the last, as before.
        assert_eq!(closest("ab", &["abc", "abd"]), Some("abd"));
    }
}
