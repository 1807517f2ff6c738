//! The text layer: the locale tables live in the `linli-i18n` crate (pure data,
//! tested natively); this module adds the active language as a reactive signal.

pub use linli_i18n::*;

use leptos::prelude::*;

/// The active language, provided at the root.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    pub fn lang(&self) -> Lang {
        self.0.get()
    }
    /// Reads one string reactively: `i18n.t(|s| s.app_name)`.
    pub fn t<R>(&self, pick: impl FnOnce(&'static Strings) -> R) -> R {
        pick(self.0.get().strings())
    }
    /// A refused command, in the user's language (read untracked: called
    /// when the refusal happens).
    pub fn refusal(&self, e: &linli_shared::domain::DomainError) -> String {
        refusal::message(self.0.get_untracked().strings().refusal, e)
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

const LANG_KEY: &str = "linli.lang";

/// The language chosen on this phone before, if any.
pub fn saved_lang() -> Option<Lang> {
    let storage = window().local_storage().ok()??;
    Lang::from_code(&storage.get_item(LANG_KEY).ok()??)
}

pub fn save_lang(lang: Lang) {
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = storage.set_item(LANG_KEY, lang.code());
    }
}
