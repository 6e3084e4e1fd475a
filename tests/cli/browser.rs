//! The HTML pages in a real browser: headless Chromium loads the demo's report and history, with an objective
//! retitled to a script and an image with an `onerror` handler, and the DOM it dumps after loading shows that
//! the charts are there (one timeline lane per objective), that nothing from the title became an element, that
//! no script ran, and that the page needs nothing from outside. A screenshot proves it renders.
//!
//! `.ci/run` installs Debian's `chromium` when it is missing. Without a browser the test fails on CI (the `CI`
//! variable is set) and is skipped, saying so, anywhere else.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::okr;

const INJECTED: &str = r#"<script>alert(1)</script><img src=x onerror="document.title='pwned'">"#;

/// How long one browser run may take before it is killed and the test fails.
const LIMIT: Duration = Duration::from_secs(60);

fn find_chromium() -> Option<PathBuf> {
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in names {
        for folder in std::env::split_paths(&path) {
            let candidate = folder.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    let fixed = PathBuf::from("/usr/bin/chromium");
    fixed.is_file().then_some(fixed)
}

/// Runs headless Chromium on `page` with `extra` flags, in a fresh profile, and returns what it wrote to stdout.
/// Fails the test if it runs longer than [`LIMIT`] or exits with an error.
fn chromium(binary: &Path, page: &Path, extra: &[String]) -> String {
    let scratch = tempfile::tempdir().expect("temporary folder");
    let profile = scratch.path().join("profile");
    let stdout_path = scratch.path().join("stdout");
    let stderr_path = scratch.path().join("stderr");
    let url = format!("file://{}", page.display());
    let mut command = Command::new(binary);
    // Its own process group, so a run that hangs can be ended with all the helper processes it started.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-sync",
            "--no-first-run",
            "--disable-component-update",
            "--disable-quic",
            "--disable-dev-shm-usage",
            // No name resolves: a page that reached for the network would find nothing there.
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(File::create(&stdout_path).expect("stdout file"))
        .stderr(File::create(&stderr_path).expect("stderr file"))
        .spawn()
        .expect("chromium starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("chromium can be waited for") {
            break status;
        }
        if started.elapsed() > LIMIT {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium {extra:?} {url} ran longer than {LIMIT:?}:\n{}",
                std::fs::read_to_string(&stderr_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "chromium {extra:?} {url} failed ({status}):\n{}",
        std::fs::read_to_string(&stderr_path).unwrap_or_default()
    );
    std::fs::read_to_string(&stdout_path).expect("chromium's output")
}

/// Runs git in `dir` with a pinned identity, date and no user configuration.
fn git(dir: &Path, args: &[&str]) {
    let date = "2026-09-30T18:00:00+02:00";
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Mallory")
        .env("GIT_AUTHOR_EMAIL", "mallory@example.com")
        .env("GIT_COMMITTER_NAME", "Mallory")
        .env("GIT_COMMITTER_EMAIL", "mallory@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The text of the document's own `<title>` (the first one: SVG titles come later, in the body).
fn document_title(dom: &str) -> &str {
    let start = dom.find("<title>").expect("a <title>") + "<title>".len();
    let end = start + dom[start..].find("</title>").expect("a </title>");
    &dom[start..end]
}

/// The page loads nothing. User text has every `<` escaped, so each literal `<` starts the page's own markup:
/// no tag may load anything (no `src=`, no `<link>`, `<script>`, `<img>`, frames or objects), and every link
/// points into the page.
fn assert_self_contained(html: &str, name: &str) {
    assert!(
        html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"),
        "{name}: a CSP that allows nothing by default"
    );
    for rest in html.split('<').skip(1) {
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        let element = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default()
            .to_lowercase();
        assert!(
            ![
                "script", "img", "link", "iframe", "frame", "object", "embed", "image", "use",
                "base"
            ]
            .contains(&element.as_str()),
            "{name}: a <{element}> element: <{tag}>"
        );
        assert!(
            !tag.contains(" src="),
            "{name}: a tag that loads something: <{tag}>"
        );
        for (at, _) in tag.match_indices("href=") {
            let value = &tag[at + "href=".len()..];
            assert!(
                value.starts_with("\"#") || value.starts_with("\"data:"),
                "{name}: a link out of the page: <{tag}>"
            );
        }
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{name}: no URL"
    );
    assert!(
        !html.contains("@import") && !html.contains("@font-face"),
        "{name}: no outside style or font"
    );
}

/// What the browser made of a page: loaded fully, no script element, the injected markup left as text.
fn assert_inert(dom: &str, name: &str, title: &str) {
    assert!(
        dom.contains("</html>"),
        "{name}: the DOM is complete:\n{dom}"
    );
    assert!(
        dom.contains("Made by okr"),
        "{name}: the footer was reached"
    );
    let lower = dom.to_lowercase();
    assert!(!lower.contains("<script"), "{name}: a script element");
    assert!(
        !lower.contains("<img"),
        "{name}: the injected image became an element"
    );
    assert!(
        !lower.contains("<iframe") && !lower.contains("<object"),
        "{name}: an embedded element"
    );
    assert!(
        dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{name}: the injected title shows as text"
    );
    assert!(
        dom.contains("&lt;img"),
        "{name}: the injected image shows as text"
    );
    assert!(
        !dom.contains("<img src=\"x\""),
        "{name}: the injected image became an element"
    );
    assert_eq!(
        document_title(dom),
        title,
        "{name}: no script changed the title"
    );
    assert!(
        dom.contains("<svg class=\"timeline\""),
        "{name}: the timeline is drawn"
    );
}

#[test]
fn the_demo_report_and_history_render_inert_in_headless_chromium() {
    let Some(browser) = find_chromium() else {
        if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
            panic!("no chromium on CI: .ci/run installs it with .ci/install-chromium");
        }
        eprintln!("SKIPPED: no chromium");
        return;
    };
    let root = tempfile::tempdir().expect("temporary folder");
    let run = okr(root.path(), &["demo", "repo"]);
    assert_eq!(run.code, 0, "okr demo: {}", run.stderr);
    let repo = root.path().join("repo");

    // An objective retitled to markup, the way anyone with push access could.
    let file = repo.join("okrs/2026-Q3/search.yaml");
    let text = std::fs::read_to_string(&file).expect("the demo's search file");
    let line = "    title: Search feels instant\n";
    assert!(
        text.contains(line),
        "the demo still has the instant-search objective"
    );
    let hostile = format!("    title: '{}'\n", INJECTED.replace('\'', "''"));
    std::fs::write(&file, text.replacen(line, &hostile, 1)).expect("file written");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "Retitle instant-search"]);

    let report = okr(&repo, &["report", "--format", "html", "-o", "report.html"]);
    assert_eq!(report.code, 0, "okr report: {}", report.stderr);
    let history = okr(
        &repo,
        &["history", "--format", "html", "-o", "history.html"],
    );
    assert_eq!(history.code, 0, "okr history: {}", history.stderr);
    let json = okr(&repo, &["report", "--format", "json"]).json();
    let lanes = json["timeline"].as_array().expect("timeline lanes").len();
    assert!(lanes > 5, "the demo has a timeline");
    assert!(
        json["teams"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["objectives"].as_array().unwrap())
            .any(|o| o["title"] == INJECTED),
        "the hostile title is in the report"
    );

    let report_page = repo.join("report.html");
    let history_page = repo.join("history.html");
    for (page, name) in [(&report_page, "report"), (&history_page, "history")] {
        let html = std::fs::read_to_string(page).expect("the page");
        assert_self_contained(&html, name);
    }

    let shots = tempfile::tempdir().expect("temporary folder");
    let shot = shots.path().join("shot.png");
    let (report_dom, history_dom) = std::thread::scope(|scope| {
        let report_dom =
            scope.spawn(|| chromium(&browser, &report_page, &["--dump-dom".to_owned()]));
        let history_dom =
            scope.spawn(|| chromium(&browser, &history_page, &["--dump-dom".to_owned()]));
        let screenshot = scope.spawn(|| {
            chromium(
                &browser,
                &report_page,
                &[
                    format!("--screenshot={}", shot.display()),
                    "--window-size=1280,2400".to_owned(),
                ],
            )
        });
        screenshot.join().expect("screenshot run");
        (
            report_dom.join().expect("report run"),
            history_dom.join().expect("history run"),
        )
    });

    assert_inert(&report_dom, "report", "OKR report 2026-Q3");
    assert_inert(&history_dom, "history", "OKR history 2026-Q3");
    assert_eq!(
        report_dom.matches("<g class=\"lane\"").count(),
        lanes,
        "one timeline lane per objective in the report's timeline"
    );
    assert_eq!(
        history_dom.matches("<g class=\"lane\"").count(),
        lanes,
        "the history draws the same lanes"
    );
    assert!(
        report_dom.matches("<polyline class=\"target\"").count() >= 10,
        "a progress chart per metric key result"
    );
    assert!(
        report_dom.contains("class=\"pill short\">falls short of"),
        "score bars come with words"
    );

    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "the screenshot is a PNG"
    );
    assert!(
        png.len() > 20_000,
        "the screenshot shows something ({} bytes)",
        png.len()
    );
}
