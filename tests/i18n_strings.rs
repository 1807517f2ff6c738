//! Every user-visible string goes through the i18n layer: no Chinese text may
//! appear in the app's source outside `app/src/i18n/` (comments excepted).

use linli_tests::workspace_root;
use std::path::Path;

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF)
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read app source") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "i18n") {
                continue;
            }
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code part of a line: what is left after a `//` comment.
fn code_of(line: &str) -> &str {
    let mut in_string = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '/' if !in_string && line[i..].starts_with("//") => return &line[..i],
            _ => {}
        }
    }
    line
}

#[test]
fn no_chinese_text_outside_the_i18n_files() {
    let mut files = Vec::new();
    rust_files(&workspace_root().join("app/src"), &mut files);
    assert!(files.len() > 10, "found the app's source files");
    let mut offenders = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read source");
        for (n, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") {
                continue;
            }
            if code_of(line).chars().any(is_cjk) {
                offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "user-visible text outside app/src/i18n:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_check_catches_a_literal() {
    assert!(code_of(r#"view! { <p>"记录"</p> }"#).chars().any(is_cjk));
    assert!(!code_of("let x = 1; // 记录").chars().any(is_cjk));
    assert!(code_of(r#"let url = "http://x"; let t = "记录";"#)
        .chars()
        .any(is_cjk));
}
