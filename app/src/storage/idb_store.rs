use super::{chunk_key, chunk_seq, StorageError};
use idb::{Database, DatabaseEvent, Factory, KeyRange, ObjectStoreParams, TransactionMode};
use js_sys::Uint8Array;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

const DB_NAME: &str = "linli";
const DB_VERSION: u32 = 1;
const CHUNKS: &str = "chunks";
const META: &str = "meta";

/// Chunks after which a document is rewritten as one full save.
pub const COMPACT_AFTER_CHUNKS: usize = 64;

pub struct LocalStore {
    /// Replaced by `reopen` after a failed write: once a write fails for want of
    /// space, Chromium keeps failing every transaction on that connection, even
    /// after space is freed, until the database is opened again.
    db: RefCell<Database>,
}

/// The stored chunks of one document, in write order.
pub struct StoredDoc {
    pub chunks: Vec<Vec<u8>>,
    pub last_seq: u64,
}

impl LocalStore {
    pub async fn open() -> Result<Self, StorageError> {
        Ok(LocalStore {
            db: RefCell::new(Self::connect().await?),
        })
    }

    /// Closes the connection and opens a new one (see `db`).
    pub async fn reopen(&self) -> Result<(), StorageError> {
        let fresh = Self::connect().await?;
        let old = self.db.replace(fresh);
        old.close();
        Ok(())
    }

    async fn connect() -> Result<Database, StorageError> {
        let factory = Factory::new().map_err(|e| StorageError::Unavailable(e.to_string()))?;
        let mut request = factory
            .open(DB_NAME, Some(DB_VERSION))
            .map_err(|e| StorageError::Unavailable(e.to_string()))?;
        request.on_upgrade_needed(|event| {
            let Ok(db) = event.database() else { return };
            let names = db.store_names();
            for store in [CHUNKS, META] {
                if !names.iter().any(|n| n == store) {
                    let _ = db.create_object_store(store, ObjectStoreParams::new());
                }
            }
        });
        request
            .await
            .map_err(|e| StorageError::Unavailable(e.to_string()))
    }

    fn doc_range(doc_id: &str) -> Result<KeyRange, StorageError> {
        let lower = JsValue::from_str(&format!("{doc_id}/"));
        let upper = JsValue::from_str(&format!("{doc_id}/\u{ffff}"));
        Ok(KeyRange::bound(&lower, &upper, Some(false), Some(false))?)
    }

    /// All chunks of a document, oldest first; `None` if the phone has none.
    pub async fn load(&self, doc_id: &str) -> Result<Option<StoredDoc>, StorageError> {
        let tx = self
            .db
            .borrow()
            .transaction(&[CHUNKS], TransactionMode::ReadOnly)?;
        let store = tx.object_store(CHUNKS)?;
        let range = Self::doc_range(doc_id)?;
        let keys = store
            .get_all_keys(Some(range.clone().into()), None)?
            .await?;
        let values = store.get_all(Some(range.into()), None)?.await?;
        tx.await?;
        if keys.is_empty() {
            return Ok(None);
        }
        let mut last_seq = 0;
        for key in &keys {
            let key = key.as_string().unwrap_or_default();
            last_seq = last_seq.max(chunk_seq(doc_id, &key).unwrap_or(0));
        }
        let chunks = values
            .into_iter()
            .map(|v| {
                v.dyn_into::<Uint8Array>()
                    .map(|a| a.to_vec())
                    .map_err(|_| StorageError::Corrupt(format!("chunk of {doc_id} is not bytes")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(StoredDoc { chunks, last_seq }))
    }

    /// Writes one chunk and waits until the transaction has committed.
    pub async fn append(&self, doc_id: &str, seq: u64, bytes: &[u8]) -> Result<(), StorageError> {
        let tx = self
            .db
            .borrow()
            .transaction(&[CHUNKS], TransactionMode::ReadWrite)?;
        let store = tx.object_store(CHUNKS)?;
        let value: JsValue = Uint8Array::from(bytes).into();
        let key = JsValue::from_str(&chunk_key(doc_id, seq));
        store.put(&value, Some(&key))?.await?;
        Self::finish(tx).await
    }

    /// Replaces chunks `..=up_to_seq` by one full save stored at `up_to_seq`,
    /// in one transaction: either the old chunks or the new save survive.
    pub async fn compact(
        &self,
        doc_id: &str,
        up_to_seq: u64,
        full_save: &[u8],
    ) -> Result<(), StorageError> {
        let tx = self
            .db
            .borrow()
            .transaction(&[CHUNKS], TransactionMode::ReadWrite)?;
        let store = tx.object_store(CHUNKS)?;
        let lower = JsValue::from_str(&format!("{doc_id}/"));
        let upper = JsValue::from_str(&chunk_key(doc_id, up_to_seq));
        let range = KeyRange::bound(&lower, &upper, Some(false), Some(false))?;
        store.delete(range)?.await?;
        let value: JsValue = Uint8Array::from(full_save).into();
        store.put(&value, Some(&upper))?.await?;
        Self::finish(tx).await
    }

    /// Removes every chunk of a document (a draft photo the user took back).
    pub async fn delete_doc(&self, doc_id: &str) -> Result<(), StorageError> {
        let tx = self
            .db
            .borrow()
            .transaction(&[CHUNKS], TransactionMode::ReadWrite)?;
        let store = tx.object_store(CHUNKS)?;
        store.delete(Self::doc_range(doc_id)?)?.await?;
        Self::finish(tx).await
    }

    pub async fn get_meta(&self, key: &str) -> Result<Option<String>, StorageError> {
        let tx = self
            .db
            .borrow()
            .transaction(&[META], TransactionMode::ReadOnly)?;
        let store = tx.object_store(META)?;
        let value = store.get(JsValue::from_str(key))?.await?;
        tx.await?;
        Ok(value.and_then(|v| v.as_string()))
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> Result<(), StorageError> {
        let tx = self
            .db
            .borrow()
            .transaction(&[META], TransactionMode::ReadWrite)?;
        let store = tx.object_store(META)?;
        store
            .put(&JsValue::from_str(value), Some(&JsValue::from_str(key)))?
            .await?;
        Self::finish(tx).await
    }

    pub async fn delete_meta(&self, key: &str) -> Result<(), StorageError> {
        let tx = self
            .db
            .borrow()
            .transaction(&[META], TransactionMode::ReadWrite)?;
        let store = tx.object_store(META)?;
        store.delete(JsValue::from_str(key))?.await?;
        Self::finish(tx).await
    }

    async fn finish(tx: idb::Transaction) -> Result<(), StorageError> {
        let outcome = tx.commit()?.await?;
        if outcome.is_committed() {
            Ok(())
        } else {
            Err(StorageError::Failed("transaction aborted".into()))
        }
    }
}
