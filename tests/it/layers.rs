//! The code's layers, checked from the source: each top-level folder may
//! use only the folders below it, so there is no import circle between
//! them (the README's architecture section draws the same table).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Who may use whom (besides itself).
const ALLOWED: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("platform", &[]),
    ("store", &["domain", "platform"]),
    ("i18n", &["domain", "store"]),
    ("files", &["domain", "store", "i18n", "platform"]),
    ("demo", &["domain", "store"]),
    ("ui", &["domain", "store", "i18n", "files", "platform"]),
    ("serve", &["domain", "store", "i18n", "platform", "ui"]),
    ("cli", &["domain", "store", "i18n", "files", "demo", "platform", "ui", "serve"]),
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every `crate::<folder>` a top-level folder's files name (and `super::`
/// from a folder's own `mod.rs`, which is the crate's root).
fn uses() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let tops: Vec<&str> = ALLOWED.iter().map(|(t, _)| *t).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    for f in files {
        let rel = f.strip_prefix(&src).unwrap();
        let Some(top) = rel.components().next().and_then(|c| c.as_os_str().to_str()) else { continue };
        let top = top.trim_end_matches(".rs");
        if !tops.contains(&top) {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let root_mod = rel.components().count() == 2 && rel.ends_with("mod.rs");
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for t in &tops {
                let named = line.contains(&format!("crate::{t}::"))
                    || line.contains(&format!("crate::{t};"))
                    || line.contains(&format!("crate::{t}}}"))
                    || line.contains(&format!("crate::{{{t}"))
                    || (root_mod && line.contains(&format!("super::{t}::")));
                if named && *t != top {
                    graph.entry(top.to_string()).or_default().insert(t.to_string());
                }
            }
        }
    }
    graph
}

#[test]
fn every_folder_uses_only_the_folders_below_it() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut wrong = Vec::new();
    for (from, tos) in uses() {
        for to in tos {
            if !allowed[from.as_str()].contains(&to.as_str()) {
                wrong.push(format!("{from} uses {to}"));
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken: {wrong:?}");
}

#[test]
fn the_allowed_uses_have_no_circle() {
    // each folder may only use folders listed before it
    for (i, (from, tos)) in ALLOWED.iter().enumerate() {
        for to in *tos {
            let j = ALLOWED.iter().position(|(t, _)| t == to).unwrap();
            assert!(j < i, "{from} may use {to}, which comes after it");
        }
    }
    // and the check sees real uses (it would pass on an empty tree)
    let g = uses();
    assert!(g["ui"].contains("store") && g["cli"].contains("ui") && g["files"].contains("i18n"), "{g:?}");
}
