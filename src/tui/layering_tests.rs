//! The state never imports the drawing: every module of `tui` outside
//! `ui/` (the loop aside, which is what draws) names nothing in `ui`, so
//! a measurement the keys need lives in the layout layer and the two
//! cannot grow into each other again.

use std::path::{Path, PathBuf};

/// The files that may name `ui`: the loop draws frames, and test code
/// snapshots them.
fn may_draw(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == "event_loop.rs"
        || name == "test_support.rs"
        || name.ends_with("tests.rs")
        || path.components().any(|c| c.as_os_str() == "test_support")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("read src/tui");
    for entry in entries {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            // The drawing itself.
            if path.file_name().is_some_and(|n| n == "ui") {
                continue;
            }
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The lines of `source` that name `ui` as a module: `ui::…`, or `ui` in
/// a `use`. Comments and the test module at the end are not code the
/// state runs.
fn naming_ui(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in source.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = line.split("//").next().unwrap_or("");
        let is_use = code.trim_start().starts_with("use ") || code.contains(" use ");
        let bytes = code.as_bytes();
        let mut at = 0;
        while let Some(i) = code[at..].find("ui") {
            let start = at + i;
            let end = start + 2;
            let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
            let before = start == 0 || !ident(bytes[start - 1]);
            let after = end == bytes.len() || !ident(bytes[end]);
            if before && after && (code[end..].starts_with("::") || is_use) {
                found.push((n + 1, line.trim().to_string()));
                break;
            }
            at = end;
        }
    }
    found
}

#[test]
fn no_state_module_imports_the_drawing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    assert!(
        files.len() > 20,
        "found {} files under {root:?}",
        files.len()
    );
    let mut offenders = Vec::new();
    for path in files.iter().filter(|p| !may_draw(p)) {
        let source = std::fs::read_to_string(path).expect("read source");
        for (line, text) in naming_ui(&source) {
            offenders.push(format!("{}:{line}: {text}", path.display()));
        }
    }
    assert!(
        offenders.is_empty(),
        "state modules import ui (move what they need into the layout layer):\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_guard_sees_a_use_and_a_path_but_not_ratatui_or_a_comment() {
    assert_eq!(naming_ui("use super::ui::status;").len(), 1);
    assert_eq!(naming_ui("let x = super::ui::popup::max(a);").len(), 1);
    assert_eq!(naming_ui("use crate::tui::{app, ui};").len(), 1);
    assert!(naming_ui("use ratatui::layout::Rect;").is_empty());
    assert!(naming_ui("// `ui::readiness` draws it").is_empty());
    assert!(naming_ui("let guide = build::ui_hint();").is_empty());
    assert!(naming_ui("#[cfg(test)]\nuse super::ui;").is_empty());
}
