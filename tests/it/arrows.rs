//! The map in ARCHITECTURE.md, checked: which module's code names which other module
//! (`crate::x` paths, unit tests left out), with no cycle between top-level modules and
//! the shell's layers pointing down only (flow above special above session and state).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code without its unit tests and comments, and the files it declares as
/// test-only modules (`#[cfg(test)] mod x;`, maybe with a `#[path]`).
fn code(path: &Path) -> (String, Vec<PathBuf>) {
    let text = std::fs::read_to_string(path).expect("read source");
    let dir = path.parent().expect("in a folder");
    let mut out = String::new();
    let mut test_files = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("//") {
            continue;
        }
        if t.starts_with("#[cfg(test)]") {
            // The item it applies to, after any other attributes.
            let mut file = None;
            let item = loop {
                match lines.next().map(str::trim_start) {
                    Some(a) if a.starts_with("#[path = \"") => {
                        file = a.split('"').nth(1).map(|p| dir.join(p));
                    }
                    Some(a) if a.starts_with("#[") => {}
                    other => break other.unwrap_or(""),
                }
            };
            if let Some(name) = item.strip_prefix("mod ").and_then(|m| m.strip_suffix(';')) {
                test_files.push(file.unwrap_or_else(|| dir.join(format!("{name}.rs"))));
                continue;
            }
            if item.starts_with("mod ") {
                // An inline test module: the rest of the file.
                break;
            }
            // A test-only function or import: leave that one line out.
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    (out, test_files)
}

/// Every `crate::a::b` path in `code`, as (a, b).
fn crate_paths(code: &str) -> Vec<(String, String)> {
    let word = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    code.match_indices("crate::")
        .filter(|(i, _)| {
            // `dbsh::crate` is not a thing; skip identifiers ending in "crate".
            !code[..*i]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
        .map(|(i, _)| {
            let rest = &code[i + "crate::".len()..];
            let first = word(rest);
            let second = rest[first.len()..]
                .strip_prefix("::")
                .map(word)
                .unwrap_or_default();
            (first, second)
        })
        .collect()
}

/// The module a file belongs to: `src/x.rs` and `src/x/…` are `x`; under `src/shell/`
/// the layer (`shell::flow`, `shell::special`, `shell::session`, `shell::state`).
fn module_of(src: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(src).expect("under src");
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    match parts.as_slice() {
        [shell, layer, ..] if shell == "shell" && layer != "mod" => format!("shell::{layer}"),
        [first, ..] => first.clone(),
        [] => String::new(),
    }
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let read: Vec<(PathBuf, String, Vec<PathBuf>)> = files
        .into_iter()
        .map(|f| {
            let (code, tests) = code(&f);
            (f, code, tests)
        })
        .collect();
    let test_only: BTreeSet<PathBuf> = read.iter().flat_map(|(_, _, t)| t.clone()).collect();
    for (file, code, _) in &read {
        if test_only.contains(file) {
            continue;
        }
        let from = module_of(&src, file);
        if matches!(from.as_str(), "lib" | "main") {
            continue;
        }
        let mut targets: Vec<String> = crate_paths(code)
            .into_iter()
            .filter(|(first, _)| !first.is_empty())
            .map(|(first, second)| {
                if first == "shell"
                    && matches!(second.as_str(), "flow" | "special" | "session" | "state")
                {
                    format!("shell::{second}")
                } else {
                    first
                }
            })
            .collect();
        // Inside the shell, layers also name each other as `super::x`.
        if let Some(layer) = from.strip_prefix("shell::") {
            for other in ["flow", "special", "session", "state"] {
                if other != layer
                    && (code.contains(&format!("super::{other}"))
                        || code.contains(&format!("super::super::{other}")))
                {
                    targets.push(format!("shell::{other}"));
                }
            }
        }
        let entry = edges.entry(from.clone()).or_default();
        for t in targets {
            if t != from && !(from.starts_with("shell") && t == "shell") {
                entry.insert(t);
            }
        }
    }
    edges
}

fn top(m: &str) -> &str {
    m.split("::").next().unwrap_or(m)
}

#[test]
fn the_shell_layers_point_down_only() {
    let g = graph();
    let forbidden = [
        ("shell::session", "shell::special"),
        ("shell::session", "shell::flow"),
        ("shell::state", "shell::special"),
        ("shell::state", "shell::flow"),
        ("shell::state", "shell::session"),
        ("shell::special", "shell::flow"),
    ];
    for (from, to) in forbidden {
        assert!(
            !g.get(from).is_some_and(|t| t.contains(to)),
            "{from} names {to}: the shell's layers must point down (see src/shell/mod.rs)"
        );
    }
}

#[test]
fn top_level_modules_import_each_other_without_a_cycle() {
    let g = graph();
    let mut top_edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (from, tos) in &g {
        for to in tos {
            if top(from) != top(to) {
                top_edges.entry(top(from)).or_default().insert(top(to));
            }
        }
    }
    // Depth-first search for a back edge; the path found is printed.
    fn visit<'a>(
        n: &'a str,
        g: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(i) = path.iter().position(|p| *p == n) {
            let mut cycle = path[i..].to_vec();
            cycle.push(n);
            return Some(cycle);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n);
        for next in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(next, g, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n);
        None
    }
    let mut done = BTreeSet::new();
    for n in top_edges.keys() {
        if let Some(cycle) = visit(n, &top_edges, &mut Vec::new(), &mut done) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
    // The graph as ARCHITECTURE.md shows it (`cargo test arrows -- --nocapture`).
    for (from, tos) in &top_edges {
        println!(
            "{from:<8} -> {}",
            tos.iter().copied().collect::<Vec<_>>().join(" ")
        );
    }
}
