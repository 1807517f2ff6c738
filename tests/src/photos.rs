//! Concern photos (issue 5) in the browser tests: a big camera-like image made
//! by hand, handing a file to the photo input, and reading what the page shows.

use crate::steps::{wait_for, PAGE};
use crate::{eventually, Browser};
use fantoccini::Locator;
use serde_json::Value;
use std::path::Path;

/// Writes an uncompressed 24-bit BMP of `width`×`height` with a pattern
/// (gradients, stripes and a grid), like a camera photo in size: 3000×2000 is
/// 18 MB on disk, 6 megapixels to decode.
pub fn write_bmp(path: &Path, width: u32, height: u32) {
    let row = (width * 3).div_ceil(4) * 4;
    let pixels = row * height;
    let mut out = Vec::with_capacity(54 + pixels as usize);
    out.extend_from_slice(b"BM");
    out.extend_from_slice(&(54 + pixels).to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&54u32.to_le_bytes());
    out.extend_from_slice(&40u32.to_le_bytes());
    out.extend_from_slice(&(width as i32).to_le_bytes());
    out.extend_from_slice(&(height as i32).to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&24u16.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // no compression
    out.extend_from_slice(&pixels.to_le_bytes());
    out.extend_from_slice(&2835u32.to_le_bytes());
    out.extend_from_slice(&2835u32.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    for y in 0..height {
        let start = out.len();
        for x in 0..width {
            let grid = x % 200 < 6 || y % 200 < 6;
            let stripe = (x / 40 + y / 40) % 2 == 0;
            let (r, g, b) = if grid {
                (255, 255, 255)
            } else {
                (
                    (x * 255 / width) as u8,
                    (y * 255 / height) as u8,
                    if stripe { 200 } else { 60 },
                )
            };
            out.extend_from_slice(&[b, g, r]);
        }
        out.resize(start + row as usize, 0);
    }
    std::fs::write(path, out).expect("write the test image");
}

/// Chooses `file` in the 记录 screen's photo input, as a person picking a
/// photo does (WebDriver sends the path to the file input).
pub async fn choose_photo(b: &Browser, file: &Path) {
    choose_photo_in(b, "[data-testid=photo-input]", file).await;
}

/// Chooses `file` in the file input `css`.
pub async fn choose_photo_in(b: &Browser, css: &str, file: &Path) {
    wait_for(b, css).await;
    let input = b.client.find(Locator::Css(css)).await.expect("photo input");
    input
        .send_keys(&file.display().to_string())
        .await
        .expect("choose a file");
}

/// Waits until the first image under `css` has loaded; returns what the page
/// holds for it: the bytes behind its blob URL (size, JPEG magic, type) and the
/// decoded size.
pub async fn shown_image(b: &Browser, css: &str) -> Value {
    eventually(PAGE, &format!("{}: image {css} shown", b.name), || async {
        let v = b
            .client
            .execute_async(
                &format!(
                    "const done = arguments[arguments.length - 1];
                     const img = document.querySelector({css:?});
                     if (!img || !img.complete || img.naturalWidth === 0) return done(null);
                     fetch(img.src).then(r => r.arrayBuffer()).then(buf => {{
                       const head = Array.from(new Uint8Array(buf.slice(0, 3)));
                       done({{ bytes: buf.byteLength, head, width: img.naturalWidth,
                               height: img.naturalHeight, src: img.src.slice(0, 5) }});
                     }}).catch(() => done(null));"
                ),
                vec![],
            )
            .await
            .ok()?;
        (!v.is_null()).then_some(v)
    })
    .await
}

/// How many photos under `css` have loaded.
pub async fn loaded_images(b: &Browser, css: &str) -> u64 {
    b.js(&format!(
        "return Array.from(document.querySelectorAll({css:?}))
           .filter(i => i.complete && i.naturalWidth > 0).length;"
    ))
    .await
    .as_u64()
    .unwrap_or(0)
}
