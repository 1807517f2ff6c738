//! Brotli and gzip copies of the app's files, written beside them in `dist/`
//! (`x.wasm.br`, `x.wasm.gz`) so [`crate::http`] can serve a phone the smallest
//! encoding it accepts: on a weak signal the wasm is 2 MB raw and a third of
//! that compressed. Done once per build: a copy newer than its source is kept.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

const COMPRESSIBLE: [&str; 7] = ["wasm", "js", "css", "html", "webmanifest", "svg", "json"];

/// What [`precompress_dir`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub written: usize,
    pub up_to_date: usize,
}

/// Writes missing or stale `.br` and `.gz` copies of every compressible file
/// under `dist`. Each copy is written to a temporary name and renamed, so a
/// reader never sees half a file, even with two relays starting at once.
pub fn precompress_dir(dist: &Path) -> io::Result<Report> {
    let mut report = Report::default();
    for file in files(dist)? {
        for (ext, compress) in [
            ("br", brotli as fn(&[u8]) -> io::Result<Vec<u8>>),
            ("gz", gzip),
        ] {
            let target = with_suffix(&file, ext);
            if is_fresh(&file, &target) {
                report.up_to_date += 1;
                continue;
            }
            let bytes = compress(&fs::read(&file)?)?;
            let tmp = with_suffix(&file, &format!("{ext}.tmp{}", std::process::id()));
            // On a full disk, leave no partial copy taking the room the relay keeps free.
            if let Err(e) = fs::write(&tmp, &bytes).and_then(|_| fs::rename(&tmp, &target)) {
                let _ = fs::remove_file(&tmp);
                return Err(e);
            }
            report.written += 1;
        }
    }
    Ok(report)
}

fn files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(files(&path)?);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e))
        {
            out.push(path);
        }
    }
    Ok(out)
}

fn with_suffix(file: &Path, ext: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

fn is_fresh(source: &Path, copy: &Path) -> bool {
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(source), modified(copy)), (Some(s), Some(c)) if c >= s)
}

fn brotli(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut w = ::brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        w.write_all(bytes)?;
    }
    Ok(out)
}

fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    w.write_all(bytes)?;
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn writes_copies_that_decompress_to_the_original_and_skips_fresh_ones() {
        let dir = tempfile::tempdir().unwrap();
        let wasm: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(dir.path().join("app_bg.wasm"), &wasm).unwrap();
        fs::write(dir.path().join("icon.png"), b"not compressed").unwrap();

        let first = precompress_dir(dir.path()).unwrap();
        assert_eq!(
            first,
            Report {
                written: 2,
                up_to_date: 0
            }
        );
        assert!(!dir.path().join("icon.png.br").exists());

        let br = fs::read(dir.path().join("app_bg.wasm.br")).unwrap();
        assert!(
            br.len() < wasm.len() / 10,
            "brotli copy is small: {}",
            br.len()
        );
        let mut back = Vec::new();
        ::brotli::Decompressor::new(&br[..], 4096)
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, wasm);
        let mut back = Vec::new();
        let gz = fs::read(dir.path().join("app_bg.wasm.gz")).unwrap();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, wasm);

        let second = precompress_dir(dir.path()).unwrap();
        assert_eq!(
            second,
            Report {
                written: 0,
                up_to_date: 2
            }
        );
    }
}
