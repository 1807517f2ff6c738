//! The community document as the concern screens see it: one memo, derived
//! from the document's revision, shared by every screen through context
//! ([`crate::session::Session::community_view`] says where it comes from).

use crate::session::use_session;
use leptos::prelude::*;
pub use linli_shared::domain::CommunityView;

pub use linli_shared::domain::level_of;

#[derive(Clone, Copy)]
pub struct Community(pub Memo<CommunityView>);

/// Creates the memo; call once, in the root (it computes only when a screen reads it).
pub fn provide_community() -> Community {
    let session = use_session();
    let memo = Memo::new(move |_| session.community_view());
    let c = Community(memo);
    provide_context(c);
    c
}

pub fn use_community() -> Community {
    expect_context::<Community>()
}
