//! The HTML page shows format 1.1's priority, health and links, escaped like all text.

use super::*;

#[test]
fn priorities_and_health_are_shown_beside_their_items() {
    let html = report(&ReportPage::new(sample_report()));
    assert!(
        html.contains("<span class=\"pill status\">P1</span>"),
        "the objective's priority"
    );
    assert!(
        html.contains(" · P0 · at risk · <a href="),
        "the key result's priority and health"
    );
}

#[test]
fn links_are_escaped_in_the_address_and_the_text() {
    let html = report(&ReportPage::new(sample_report()));
    assert!(
        html.contains(
            "<a href=\"https://example.com/?a=1&amp;b=&quot;x\" rel=\"noopener noreferrer\">&lt;script&gt;"
        ),
        "{}",
        &html[html.find("example.com").map_or(0, |i| i.saturating_sub(200))..][..400]
    );
}
