//! A second build of the app, as a deployment brings one: the same code under new
//! content-hashed names. Every script and wasm part of the built app (`linli-app-*`) is
//! renamed, the names are rewritten wherever the shell and the scripts name each other,
//! and the shell's integrity hashes are computed again — so a browser that ran the first
//! build sees a whole new version, and the relay serving it has none of the old files.

use base64::Engine;
use sha2::{Digest, Sha384};
use std::fs;
use std::path::Path;

const PREFIX: &str = "linli-app-";
const RENAMED: &str = "linli-app-next-";

/// Copies the built app in `dist` into a new directory as the next build (compressed
/// copies left out: the relay serving it writes its own).
pub fn next_build(dist: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    let mut renames = Vec::new();
    for entry in fs::read_dir(dist).expect("read the app's dist") {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let hashed = name.starts_with(PREFIX) && (name.ends_with(".js") || name.ends_with(".wasm"));
        if hashed {
            renames.push((name.clone(), name.replacen(PREFIX, RENAMED, 1)));
        }
    }
    assert!(
        renames.iter().any(|(old, _)| old.contains("-lazy-")),
        "the dist in {} has lazy parts to rename",
        dist.display()
    );
    copy_renamed(dist, out.path(), &renames);
    let index = out.path().join("index.html");
    let html = with_integrity(&fs::read_to_string(&index).unwrap(), out.path());
    fs::write(index, html).unwrap();
    out
}

fn copy_renamed(from: &Path, to: &Path, renames: &[(String, String)]) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(to.join(&name)).unwrap();
            copy_renamed(&entry.path(), &to.join(&name), renames);
            continue;
        }
        let target = renames
            .iter()
            .find(|(old, _)| *old == name)
            .map_or(name.as_str(), |(_, new)| new.as_str());
        let bytes = fs::read(entry.path()).unwrap();
        let bytes = if name.ends_with(".js") || name.ends_with(".html") {
            let mut text = String::from_utf8(bytes).expect("a text file");
            for (old, new) in renames {
                text = text.replace(old.as_str(), new);
            }
            text.into_bytes()
        } else {
            bytes
        };
        fs::write(to.join(target), bytes).unwrap();
    }
}

/// `html` with every `integrity="…"` of a tag naming a local file (`href` or `src`) set to
/// that file's SHA-384, as Trunk writes it.
fn with_integrity(html: &str, dir: &Path) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let end = start + rest[start..].find('>').expect("a closed tag") + 1;
        out.push_str(&rest[..start]);
        out.push_str(&tag_with_integrity(&rest[start..end], dir));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn tag_with_integrity(tag: &str, dir: &Path) -> String {
    let (Some(at), Some(file)) = (
        tag.find("integrity=\""),
        attribute(tag, "href").or_else(|| attribute(tag, "src")),
    ) else {
        return tag.to_string();
    };
    let Ok(bytes) = fs::read(dir.join(file.trim_start_matches('/'))) else {
        return tag.to_string();
    };
    let value_start = at + "integrity=\"".len();
    let value_end = value_start + tag[value_start..].find('"').unwrap();
    let digest = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&bytes));
    format!(
        "{}sha384-{digest}{}",
        &tag[..value_start],
        &tag[value_end..]
    )
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(&tag[start..start + tag[start..].find('"')?])
}
