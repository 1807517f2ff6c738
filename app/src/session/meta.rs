//! What this phone keeps about its membership in the IndexedDB meta store.

use crate::random;
use crate::storage::{LocalStore, StorageError};
use crate::sync::api::Grant;

pub(super) const META_MEMBER: &str = "member";
pub(super) const META_COMMUNITY: &str = "community";
pub(super) const META_CREDENTIAL: &str = "credential";
pub(super) const META_ADMIN: &str = "admin";
pub(super) const META_REVOKED: &str = "revoked";
/// The role an invite granted (absent for the phone that created the community).
pub(super) const META_ROLE: &str = "role";
/// The credential this phone proposes when it registers its community.
pub(super) const META_PROPOSED: &str = "proposed-credential";

/// Stores a membership granted by the relay; its member id becomes this phone's.
pub(super) async fn save_grant(
    store: &LocalStore,
    grant: &Grant,
    admin: bool,
) -> Result<(), StorageError> {
    store.set_meta(META_MEMBER, &grant.member_id).await?;
    store.set_meta(META_CREDENTIAL, &grant.credential).await?;
    store
        .set_meta(META_ADMIN, if admin { "1" } else { "" })
        .await?;
    store
        .set_meta(META_COMMUNITY, &grant.community_doc_id)
        .await?;
    match Some(grant.role).filter(|_| !admin) {
        Some(role) => store.set_meta(META_ROLE, role.as_str()).await?,
        None => store.delete_meta(META_ROLE).await?,
    }
    store.delete_meta(META_REVOKED).await
}

/// This phone's member id (made on first use).
pub(super) async fn member_id(store: &LocalStore) -> Result<String, StorageError> {
    if let Some(id) = store.get_meta(META_MEMBER).await? {
        return Ok(id);
    }
    let id = random::hex_id();
    store.set_meta(META_MEMBER, &id).await?;
    Ok(id)
}

/// `<member id>.<64 hex>`: made once and kept until registration succeeds, so
/// a retry after a lost answer presents the same credential.
pub(super) async fn proposed_credential(
    store: &LocalStore,
    member: &str,
) -> Result<String, StorageError> {
    if let Some(p) = store.get_meta(META_PROPOSED).await? {
        if p.starts_with(&format!("{member}.")) {
            return Ok(p);
        }
    }
    let secret: String = random::bytes::<32>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let proposed = format!("{member}.{secret}");
    store.set_meta(META_PROPOSED, &proposed).await?;
    Ok(proposed)
}
