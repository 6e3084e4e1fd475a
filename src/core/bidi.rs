//! The bidirectional controls: characters that make text show in another order than it is read (the
//! "Trojan Source" characters). One list, for whatever writes user text where a person reads it: the
//! terminal and report escapes of `render`, and the YAML scalars `okr checkin` writes.

/// The Unicode bidirectional formatting characters: the Arabic letter mark, the left-to-right and right-to-left
/// marks, the embeddings and overrides with their pop (U+202A to U+202E), and the isolates with theirs (U+2066 to
/// U+2069).
pub fn is_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}
