//! Reading what a resident sends: the report form (multipart, the photo last) and the rating
//! form, each field bounded as it streams in. A photo is kept only if it is a JPEG or PNG
//! (by its bytes, not by what the browser claims) of at most [`MAX_PHOTO_BYTES`]; otherwise
//! the report goes in without it and the resident is told.

use axum::extract::multipart::{Field, Multipart};
use linli_shared::domain::Category;

/// Largest photo kept: the page scales photos down on the phone to about 150–300 KB; a phone
/// without the script sends the camera's file, which is left out when larger.
pub const MAX_PHOTO_BYTES: usize = 512 * 1024;
/// Longest text field kept (bytes): room for the domain's 2,000 characters four bytes each,
/// and then some, so that a text too long is refused as too long, with its start kept in
/// the refilled form.
const MAX_TEXT_BYTES: usize = 16 * 1024;
/// Longest name or phone (characters), and the page's nonce (bytes).
pub const MAX_CONTACT_CHARS: usize = 20;

/// A report as the form sent it.
#[derive(Debug, Default, Clone)]
pub struct ReportForm {
    pub text: String,
    pub category: Option<Category>,
    pub name: String,
    pub phone: String,
    /// Random per rendered form: a second post of the same form (a double tap) is the first.
    pub nonce: String,
    pub photo: Option<PhotoUpload>,
    /// A photo came but was not kept (too large, or not a JPEG or PNG).
    pub photo_left_out: bool,
}

#[derive(Debug, Clone)]
pub struct PhotoUpload {
    pub mime: &'static str,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// Reads the form. `Err` only when the body itself is broken (not multipart, cut short).
pub async fn read_report(mut form: Multipart) -> Result<ReportForm, String> {
    let mut report = ReportForm::default();
    while let Some(field) = form.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "photo" {
            match read_capped(field, MAX_PHOTO_BYTES).await? {
                (bytes, false) if bytes.is_empty() => {} // no file chosen
                (bytes, false) => match sniff(&bytes) {
                    Some((mime, width, height)) => {
                        report.photo = Some(PhotoUpload {
                            mime,
                            width,
                            height,
                            bytes,
                        })
                    }
                    None => report.photo_left_out = true,
                },
                (_, true) => report.photo_left_out = true,
            }
            // The photo is the form's last field: what follows is not read.
            break;
        }
        // A field cut at the limit keeps its start (a character cut in two reads as U+FFFD).
        let (bytes, _) = read_capped(field, MAX_TEXT_BYTES).await?;
        let value = String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "text" => report.text = value,
            "category" => report.category = Category::parse(&value),
            "name" => report.name = first_chars(&value, MAX_CONTACT_CHARS),
            "phone" => report.phone = first_chars(&value, MAX_CONTACT_CHARS),
            "nonce" => report.nonce = first_chars(&value, 64),
            _ => {}
        }
    }
    Ok(report)
}

/// The field's first `max` bytes, and whether there was more (not read).
async fn read_capped(mut field: Field<'_>, max: usize) -> Result<(Vec<u8>, bool), String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| e.body_text())? {
        if bytes.len() + chunk.len() > max {
            bytes.extend_from_slice(&chunk[..max - bytes.len()]);
            return Ok((bytes, true));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((bytes, false))
}

fn first_chars(s: &str, n: usize) -> String {
    s.trim().chars().take(n).collect()
}

/// A JPEG's or PNG's type and size, read from its header.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, u32, u32)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() >= 24 && &bytes[12..16] == b"IHDR" {
        let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
        return Some(("image/png", be(16), be(20))).filter(|(_, w, h)| *w > 0 && *h > 0);
    }
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    // Walk the JPEG's segments to the frame header (SOF0–SOF15 but DHT, JPG, DAC).
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let is_frame = (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker);
        if is_frame {
            let header = bytes.get(at + 4..at + 9)?;
            let height = u32::from(u16::from_be_bytes([header[1], header[2]]));
            let width = u32::from(u16::from_be_bytes([header[3], header[4]]));
            return (width > 0 && height > 0).then_some(("image/jpeg", width, height));
        }
        if len < 2 {
            return None;
        }
        at += 2 + len;
    }
    None
}

/// The rating form (`application/x-www-form-urlencoded`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct RatingForm {
    #[serde(default)]
    pub stars: String,
    #[serde(default)]
    pub comment: String,
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn photos_are_known_by_their_bytes() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&640u32.to_be_bytes());
        png.extend_from_slice(&480u32.to_be_bytes());
        assert_eq!(sniff(&png), Some(("image/png", 640, 480)));
        // SOI, an APP0 segment of 4 bytes, then SOF0 of a 300×200 picture.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00,
            200, 0x01, 0x2C, 0x03,
        ];
        assert_eq!(sniff(&jpeg), Some(("image/jpeg", 300, 200)));
        for junk in [
            &b"<svg onload=alert(1)>"[..],
            b"",
            &[0xFF, 0xD8, 0x00],
            &jpeg[..9],
        ] {
            assert_eq!(sniff(junk), None);
        }
    }
}
