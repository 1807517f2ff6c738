//! Screens are addressed by the URL fragment (`#/all`, `#/c/<concern id>` …), so
//! the back button works and a reload stays put. Fragments hold ids only —
//! never names or phone numbers.

use crate::scroll::ScrollMemory;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// 我的: what I claimed, what awaits feedback, what reached my level.
    Mine,
    /// 全部: every concern, filtered and searched.
    All,
    /// 记录: record a new concern.
    Record,
    /// One concern: its timeline and actions.
    Concern(String),
    /// 议事: meetings.
    Meetings,
    /// One meeting.
    Meeting(String),
    /// My name, role and unit; the community's org tree and invites.
    Profile,
    /// 扫码反映二维码 (吹哨): the community's report links, reached from 我.
    ReportLinks,
    /// 台账 (committee view, issue 7): `#/ledger`, `#/ledger/visits` …
    Ledger(LedgerPage),
}

/// The screens of the 台账 tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LedgerPage {
    #[default]
    Dashboard,
    Visits,
    Tasks,
    ServiceDay,
    Fund,
    Export,
}

impl LedgerPage {
    pub const ALL: [LedgerPage; 6] = [
        LedgerPage::Dashboard,
        LedgerPage::Visits,
        LedgerPage::Tasks,
        LedgerPage::ServiceDay,
        LedgerPage::Fund,
        LedgerPage::Export,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LedgerPage::Dashboard => "dashboard",
            LedgerPage::Visits => "visits",
            LedgerPage::Tasks => "tasks",
            LedgerPage::ServiceDay => "service",
            LedgerPage::Fund => "fund",
            LedgerPage::Export => "export",
        }
    }

    fn parse(code: Option<&str>) -> LedgerPage {
        LedgerPage::ALL
            .into_iter()
            .find(|p| Some(p.code()) == code)
            .unwrap_or_default()
    }
}

impl Route {
    pub fn from_hash(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let mut parts = path.splitn(2, '/');
        match (parts.next().unwrap_or(""), parts.next()) {
            ("all", _) => Route::All,
            ("new", _) => Route::Record,
            ("c", Some(id)) if !id.is_empty() => Route::Concern(id.to_string()),
            ("meetings", _) => Route::Meetings,
            ("m", Some(id)) if !id.is_empty() => Route::Meeting(id.to_string()),
            ("me", _) => Route::Profile,
            ("qr", _) => Route::ReportLinks,
            ("ledger", page) => Route::Ledger(LedgerPage::parse(page)),
            _ => Route::Mine,
        }
    }

    pub fn to_hash(&self) -> String {
        match self {
            Route::Mine => "#/mine".into(),
            Route::All => "#/all".into(),
            Route::Record => "#/new".into(),
            Route::Concern(id) => format!("#/c/{id}"),
            Route::Meetings => "#/meetings".into(),
            Route::Meeting(id) => format!("#/m/{id}"),
            Route::Profile => "#/me".into(),
            Route::ReportLinks => "#/qr".into(),
            Route::Ledger(LedgerPage::Dashboard) => "#/ledger".into(),
            Route::Ledger(p) => format!("#/ledger/{}", p.code()),
        }
    }
}

/// The current route, provided at the root and kept in step with the fragment,
/// and where each screen was scrolled to.
#[derive(Clone, Copy)]
pub struct Router(pub RwSignal<Route>, pub ScrollMemory);

impl Router {
    pub fn install() -> Router {
        let hash = window().location().hash().unwrap_or_default();
        let route = RwSignal::new(Route::from_hash(&hash));
        let scroll = ScrollMemory::new();
        let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let hash = window().location().hash().unwrap_or_default();
            let to = Route::from_hash(&hash);
            if route.with_untracked(|r| *r != to) {
                scroll.leaving(&route.get_untracked());
                route.set(to);
            }
        });
        let _ = window()
            .add_event_listener_with_callback("hashchange", on_change.as_ref().unchecked_ref());
        on_change.forget();
        Router(route, scroll)
    }

    /// Where each screen was scrolled to.
    pub fn scroll(&self) -> ScrollMemory {
        self.1
    }

    pub fn go(&self, to: Route) {
        let _ = window().location().set_hash(&to.to_hash());
        if self.0.with_untracked(|r| *r != to) {
            self.scroll().leaving(&self.0.get_untracked());
        }
        self.0.set(to);
    }
}

pub fn use_router() -> Router {
    expect_context::<Router>()
}

#[cfg(test)]
mod tests {
    use super::{LedgerPage, Route};

    #[test]
    fn fragments_round_trip() {
        for r in [
            Route::Mine,
            Route::All,
            Route::Record,
            Route::Concern("ab12".into()),
            Route::Meetings,
            Route::Meeting("cd34".into()),
            Route::Profile,
            Route::ReportLinks,
        ] {
            assert_eq!(Route::from_hash(&r.to_hash()), r);
        }
        // 台账 (issue 7).
        for p in LedgerPage::ALL {
            let r = Route::Ledger(p);
            assert_eq!(Route::from_hash(&r.to_hash()), r);
        }
        assert_eq!(
            Route::from_hash("#/ledger"),
            Route::Ledger(LedgerPage::Dashboard)
        );
        assert_eq!(
            Route::from_hash("#/ledger/nonsense"),
            Route::Ledger(LedgerPage::Dashboard)
        );
        assert_eq!(Route::from_hash(""), Route::Mine);
        assert_eq!(Route::from_hash("#/c/"), Route::Mine);
    }
}
