//! `--export` / `--import`: one document as one Automerge file, for backups and moves.
//! Run them while the relay is stopped (the data directory lock enforces it).

use std::io;

use linli_shared::wire::DocumentId;

use crate::storage::Storage;

/// The whole stored document as one Automerge save.
pub fn export(storage: &mut impl Storage, id: &DocumentId) -> io::Result<Vec<u8>> {
    let stored = storage
        .load(id)?
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no document {id}")))?;
    let mut doc = stored.to_automerge().map_err(invalid)?;
    Ok(doc.save())
}

/// Merges an Automerge save (or changes) into the stored document, creating it if needed,
/// and stores the result as a fresh snapshot. Returns the number of changes added.
pub fn import(storage: &mut impl Storage, id: &DocumentId, bytes: &[u8]) -> io::Result<usize> {
    let mut doc = match storage.load(id)? {
        Some(stored) => stored.to_automerge().map_err(invalid)?,
        None => automerge::AutoCommit::new(),
    };
    // `load` (unlike `load_incremental`) rejects bytes that are not Automerge.
    let mut incoming = automerge::AutoCommit::load(bytes).map_err(invalid)?;
    let before = doc.get_changes(&[]).len();
    doc.merge(&mut incoming).map_err(invalid)?;
    let added = doc.get_changes(&[]).len() - before;
    storage.compact(id, &doc.save())?;
    Ok(added)
}

fn invalid(e: automerge::AutomergeError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::FileStore;
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ReadDoc, ROOT};

    #[test]
    fn an_exported_document_imports_into_another_data_directory() {
        let (from, to) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let id = DocumentId::from_bytes([5; 16]);
        let mut source = FileStore::open(from.path()).unwrap();
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "a", "1").unwrap();
        source.append(&id, &doc.save_incremental()).unwrap();
        doc.put(ROOT, "b", "2").unwrap();
        source.append(&id, &doc.save_incremental()).unwrap();

        let bytes = export(&mut source, &id).unwrap();
        let mut target = FileStore::open(to.path()).unwrap();
        assert_eq!(import(&mut target, &id, &bytes).unwrap(), 2);
        assert_eq!(import(&mut target, &id, &bytes).unwrap(), 0, "idempotent");
        let restored = target.load(&id).unwrap().unwrap().to_automerge().unwrap();
        assert!(restored.get(ROOT, "b").unwrap().is_some());
        assert_eq!(
            export(&mut target, &DocumentId::from_bytes([6; 16]))
                .unwrap_err()
                .kind(),
            io::ErrorKind::NotFound
        );
        assert!(import(&mut target, &id, b"not automerge").is_err());
    }
}
