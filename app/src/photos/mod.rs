//! Photos of a concern: compressed on the phone (`compress`), each stored as
//! its own small document (`linli_shared::domain::photo`), kept with the draft
//! until the concern is recorded, then synced like any document (`pending`).

pub mod compress;
pub mod pending;

use crate::clock::now_ms;
use crate::random;
use crate::workspace::Workspace;
use automerge::AutoCommit;
use compress::{CompressError, Compressed};
use linli_shared::domain::{self, Ctx, NewPhoto, Photo};
use linli_shared::wire::DocumentId;
use std::rc::Rc;
use web_sys::{Blob, BlobPropertyBag, Url};

/// Why a picked photo was not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoError {
    NotAnImage,
    Failed,
    /// The phone's storage refused it.
    NotSaved,
}

impl PhotoError {
    /// What to tell the user.
    pub fn message(self, s: &crate::i18n::photos::PhotoStrings) -> &'static str {
        match self {
            PhotoError::NotAnImage => s.not_an_image,
            PhotoError::Failed => s.failed,
            PhotoError::NotSaved => s.not_saved,
        }
    }
}

impl From<CompressError> for PhotoError {
    fn from(e: CompressError) -> Self {
        match e {
            CompressError::NotAnImage => PhotoError::NotAnImage,
            CompressError::Failed => PhotoError::Failed,
        }
    }
}

/// Compresses `file` and stores it on the phone as a new photo document, not
/// yet synced (it belongs to a draft). Returns its id and the stored photo.
pub async fn take(ws: &Rc<Workspace>, file: &Blob) -> Result<(DocumentId, Compressed), PhotoError> {
    let c = compress::compress(file).await?;
    let mut doc = AutoCommit::new();
    ws.write_as_me(&mut doc);
    let ctx = Ctx::new(ws.member_id.clone(), now_ms());
    let new = NewPhoto {
        mime: compress::MIME.to_string(),
        width: c.width,
        height: c.height,
        bytes: c.bytes.clone(),
    };
    domain::create_photo(&mut doc, &ctx, new).map_err(|_| PhotoError::Failed)?;
    let id = DocumentId::from_bytes(random::bytes::<16>());
    ws.stash(id, &doc.save())
        .await
        .map_err(|_| PhotoError::NotSaved)?;
    Ok((id, c))
}

/// A stored photo document, read without opening (syncing) it.
pub async fn peek(ws: &Workspace, id: DocumentId) -> Option<Photo> {
    let doc = ws.peek(id).await.ok()??;
    domain::read_photo(&doc).ok()?
}

/// An object URL showing these image bytes; revoke it with [`revoke`].
pub fn blob_url(bytes: &[u8], mime: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes).into());
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    Url::create_object_url_with_blob(&blob).ok()
}

pub fn revoke(url: &str) {
    let _ = Url::revoke_object_url(url);
}

/// Parses a stored photo id.
pub fn parse_id(id: &str) -> Option<DocumentId> {
    id.parse().ok()
}

/// The file just chosen in the file input that sent `ev`, if any. The input is
/// cleared, so the same photo can be chosen again (after removing it, say).
pub fn chosen_file(ev: &web_sys::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files()?.get(0);
    input.set_value("");
    file
}
