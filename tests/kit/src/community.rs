//! A community on the real relay as the access tests use it: registered, with invites,
//! joins and members' sockets.

use linli_shared::api::Grant;
use linli_shared::domain::Role;

use crate::api::{Answer, ApiClient};
use crate::native_client::{new_doc_id, NativeClient};
use crate::relay::RelayProcess;

/// A registered community: its document id and its admin's credential.
pub struct Community {
    pub doc: String,
    pub admin: String,
}

impl RelayProcess {
    /// The access API of this relay.
    pub fn api(&self) -> ApiClient {
        ApiClient::new(&self.http_url)
    }

    /// Registers a fresh community.
    pub fn community(&self) -> Community {
        let doc = new_doc_id().to_string();
        let admin = self.api().register(&doc, None).ok().credential;
        Community { doc, admin }
    }

    /// An invite token for `role` admitting one phone.
    pub fn invite(&self, admin: &str, role: Role, ttl_hours: f64) -> String {
        self.invite_for(admin, role, ttl_hours, None)
    }

    /// An invite token admitting `uses` phones (the relay's default, one, when `None`).
    pub fn invite_for(&self, admin: &str, role: Role, ttl_hours: f64, uses: Option<u32>) -> String {
        self.api().invite(admin, role, ttl_hours, uses).ok().token
    }

    /// Joins with an invite token.
    pub fn join(&self, token: &str) -> Answer<Grant> {
        self.api().join(token)
    }

    /// A member's phone, connected with `credential`.
    pub async fn member(&self, credential: &str, name: &str) -> NativeClient {
        let mut client = NativeClient::new(name);
        client.connect(&self.sync_url_with(credential)).await;
        client
    }
}
