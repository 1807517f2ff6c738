//! Makes a camera photo small on the phone before anything stores it: decode
//! (`createImageBitmap`, which applies the EXIF orientation), scale so the long
//! side is at most [`MAX_SIDE`] px, and re-encode as JPEG at [`QUALITY`]. A
//! 4000×3000 photo becomes about 100–250 KB.

use js_sys::{Function, Promise, Uint8Array};
use linli_shared::domain::fit_within;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap};

pub const MAX_SIDE: u32 = 1280;
pub const QUALITY: f64 = 0.7;
pub const MIME: &str = "image/jpeg";

/// A compressed photo, ready to store.
pub struct Compressed {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// How long decoding and re-encoding took, in milliseconds.
    pub took_ms: f64,
}

/// Why a picked file could not be made into a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompressError {
    /// Not an image the browser can decode.
    NotAnImage,
    /// The browser could not draw or encode it (out of memory on a small phone).
    Failed,
}

pub async fn compress(file: &Blob) -> Result<Compressed, CompressError> {
    let window = web_sys::window().ok_or(CompressError::Failed)?;
    let started = crate::clock::elapsed_ms();
    let decoding = window
        .create_image_bitmap_with_blob(file)
        .map_err(|_| CompressError::NotAnImage)?;
    let bitmap: ImageBitmap = JsFuture::from(decoding)
        .await
        .map_err(|_| CompressError::NotAnImage)?
        .dyn_into()
        .map_err(|_| CompressError::NotAnImage)?;
    let (width, height) = fit_within(bitmap.width(), bitmap.height(), MAX_SIDE);
    let encoded = encode(&bitmap, width, height).await;
    bitmap.close(); // the full-size decode is the big allocation: free it now
    let blob = encoded.ok_or(CompressError::Failed)?;
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|_| CompressError::Failed)?;
    Ok(Compressed {
        bytes: Uint8Array::new(&buffer).to_vec(),
        width,
        height,
        took_ms: crate::clock::elapsed_ms() - started,
    })
}

async fn encode(bitmap: &ImageBitmap, width: u32, height: u32) -> Option<Blob> {
    let canvas: HtmlCanvasElement = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(width);
    canvas.set_height(height);
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    // Transparent pixels (a PNG screenshot) would turn black in a JPEG.
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, f64::from(width), f64::from(height));
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(
        bitmap,
        0.0,
        0.0,
        f64::from(width),
        f64::from(height),
    )
    .ok()?;
    let canvas_for_blob = canvas.clone();
    let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
        let resolve_blob = resolve.clone();
        let done = wasm_bindgen::closure::Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve_blob.call1(&JsValue::NULL, &blob);
        });
        let quality = JsValue::from_f64(QUALITY);
        if canvas_for_blob
            .to_blob_with_type_and_encoder_options(done.unchecked_ref(), MIME, &quality)
            .is_err()
        {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
        }
    });
    let blob = JsFuture::from(promise).await.ok()?.dyn_into::<Blob>().ok();
    // Let the phone free the canvas's pixels at once.
    canvas.set_width(0);
    canvas.set_height(0);
    blob
}
