//! Names this build of okr for its history cache (`src/repo/history_cache.rs`).
//!
//! The cache keeps what a history read computed, so it must never be read by an okr whose logic differs: a
//! development build changes that logic many times a day without changing the version. The name is a hash of
//! every file the program is built from (the sources, the manifest, the locked dependencies), the compiler and
//! the profile, so any edit names a new build, while rebuilding the same code (or copying the binary) keeps the
//! name and the cache.
//!
//! Cargo reruns this, and so rebuilds okr, only when one of those files changes: each is named to it, not the
//! folder, because a folder makes any file that appears in it count. An editor's swap file or backup, or the
//! snapshots a failing test writes, would then rebuild okr with nothing changed. A new source file is seen all
//! the same: it is compiled only once an existing one names it (`mod`, `include_str!`), and that edit reruns
//! this.

#![allow(
    clippy::print_stdout,
    reason = "a build script speaks to cargo on stdout"
)]

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut files = vec![root.join("Cargo.toml"), root.join("Cargo.lock")];
    collect(&root.join("src"), &mut files);
    files.sort();
    // SipHash with fixed keys: the same files give the same name on every build.
    let mut hasher = std::hash::DefaultHasher::new();
    for file in &files {
        file.strip_prefix(&root).unwrap_or(file).hash(&mut hasher);
        // A file that cannot be read still counts, by its name; the build fails on it anyway.
        std::fs::read(file).unwrap_or_default().hash(&mut hasher);
    }
    // The compiler too: the same sources built with another standard library (its sorts, its Unicode tables,
    // its formatting of numbers) may compute another history.
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .map(|output| output.stdout)
        .unwrap_or_default()
        .hash(&mut hasher);
    for variable in [
        "PROFILE",
        "TARGET",
        "OPT_LEVEL",
        "DEBUG",
        "CARGO_ENCODED_RUSTFLAGS",
    ] {
        std::env::var(variable)
            .unwrap_or_default()
            .hash(&mut hasher);
    }
    println!(
        "cargo:rustc-env=OKR_BUILD_ID={}-{:016x}",
        std::env::var("CARGO_PKG_VERSION").unwrap_or_default(),
        hasher.finish()
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
    }
}

/// Every file under `dir`, at any depth, but those no build reads: hidden files (an editor's swap file or
/// lock), backups (`name~`, `#name#`) and test snapshots (insta writes `.snap.new` files there while tests run).
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(['.', '#']) || name.ends_with('~') || name == "snapshots" {
            continue;
        }
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => collect(&path, files),
            Ok(_) => files.push(path),
            Err(_) => {}
        }
    }
}
