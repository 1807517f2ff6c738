//! The signed-in frame: the screen for the current route and the tab bar.

use super::all::AllScreen;
use super::concerns::ConcernPage;
use super::mine::MineScreen;
use super::record::RecordScreen;
use crate::community::use_community;
use crate::i18n::use_i18n;
use crate::route::{use_router, Route};
use leptos::prelude::*;

#[component]
pub fn Shell() -> impl IntoView {
    let router = use_router();
    let community = use_community();
    super::ledger::provide_ledger_state();
    let needs_profile =
        move || community.0.with(|c| c.my_record().is_none()) && router.0.get() != Route::Profile;
    view! {
        <div class="shell">
            <JoinedBanner/>
            <SetAsideBanner/>
            <QuotaBanner/>
            <RightsBanner/>
            <Show when=needs_profile>
                <ProfilePrompt/>
            </Show>
            {move || match router.0.get() {
                Route::Mine => view! { <MineScreen/> }.into_any(),
                Route::All => view! { <AllScreen/> }.into_any(),
                Route::Record => view! { <RecordScreen/> }.into_any(),
                Route::Concern(id) => view! { <ConcernPage id=id/> }.into_any(),
                Route::Meetings => super::lazy::meetings_screen().into_any(),
                Route::Meeting(id) => super::lazy::meeting_screen(id).into_any(),
                Route::Profile => super::lazy::profile_screen().into_any(),
                Route::ReportLinks => super::lazy::report_links_screen().into_any(),
                Route::Ledger(page) => super::lazy::ledger_screen(page).into_any(),
            }}
        </div>
        <TabBar/>
    }
}

#[component]
fn TabBar() -> impl IntoView {
    let i18n = use_i18n();
    let router = use_router();
    let tab = move |route: Route,
                    label: fn(&crate::i18n::Strings) -> &'static str,
                    testid: &'static str,
                    icon: &'static str| {
        let target = route.clone();
        let active = Memo::new(move |_| {
            let current = router.0.get();
            match (&current, &target) {
                (Route::Concern(_), Route::All) => true,
                (Route::Meeting(_), Route::Meetings) => true,
                (Route::Ledger(_), Route::Ledger(_)) => true,
                (Route::ReportLinks, Route::Profile) => true,
                _ => current == target,
            }
        });
        let href = route.to_hash();
        let href_now = href.clone();
        view! {
            <a
                href=href
                class=move || if active.get() { "tab tab-active" } else { "tab" }
                aria-current=move || active.get().then_some("page")
                on:click=move |_| {
                    if router.0.get_untracked().to_hash() == href_now {
                        crate::scroll::to_top();
                    }
                }
                data-testid=testid
            >
                <span class="tab-icon" aria-hidden="true">{icon}</span>
                <span class="tab-label">{move || i18n.t(label)}</span>
            </a>
        }
    };
    view! {
        <nav class="tabbar">
            {tab(Route::Mine, |s| s.tab_mine, "tab-mine", "☑")}
            {tab(Route::All, |s| s.tab_all, "tab-all", "☰")}
            {tab(Route::Record, |s| s.tab_record, "tab-record", "✚")}
            {tab(Route::Meetings, |s| s.meetings.tab, "tab-meetings", "◎")}
            {tab(Route::Ledger(Default::default()), |s| s.ledger.tab, "tab-ledger", "▤")}
            {tab(Route::Profile, |s| s.tab_profile, "tab-profile", "☺")}
        </nav>
    }
}

/// Once, after joining with an invite: 已加入 <community>, until dismissed.
#[component]
fn JoinedBanner() -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let joined = crate::session::use_session().just_joined;
    let name = move || community.0.with(|c| c.name.clone());
    view! {
        <Show when=move || joined.get() && !name().is_empty()>
            <div class="banner banner-ok joined-banner" role="status" data-testid="joined-banner">
                <span>{move || i18n.t(|s| s.access.joined).replace("{name}", &name())}</span>
                <button type="button" data-testid="joined-dismiss" on:click=move |_| joined.set(false)>
                    {move || i18n.t(|s| s.access.dismiss)}
                </button>
            </div>
        </Show>
    }
}

/// Records the relay keeps refusing (not this community's): kept on the phone, and said.
#[component]
fn SetAsideBanner() -> impl IntoView {
    let i18n = use_i18n();
    let set_aside = crate::session::use_session().sync.set_aside;
    let any = move || set_aside.get() > 0;
    view! {
        <Show when=any>
            <div class="banner banner-warn set-aside-banner" role="alert" data-testid="set-aside">
                {move || i18n.t(|s| s.set_aside_notice.of(set_aside.get()))}
            </div>
        </Show>
    }
}

/// The relay refused to store a change for one of its limits: what, and whom to ask.
#[component]
fn QuotaBanner() -> impl IntoView {
    let i18n = use_i18n();
    let quota = crate::session::use_session().sync.quota;
    view! {
        {move || quota.get().map(|quota| view! {
            <div class="banner banner-warn quota-banner" role="alert" data-testid="quota">
                {move || i18n.t(|s| s.quota_notice.of(quota))}
            </div>
        })}
    }
}

/// The relay refused one of this phone's changes under the authority rules: which rule.
#[component]
fn RightsBanner() -> impl IntoView {
    let i18n = use_i18n();
    let sync = crate::session::use_session().sync;
    let put_aside = move || {
        let s = i18n.lang().strings();
        sync.put_aside.get().into_iter().map(|e| {
            let parts: Vec<&str> = e.parts.iter().map(|p| (s.history.part)(*p)).collect();
            let data_parts = e.parts.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(" ");
            let when = (e.time_s > 0).then(|| format!("{} ", super::meetings::format_time(e.time_s * 1000)));
            view! { <li data-testid="put-aside" data-parts=data_parts>{when}{parts.join(s.list_separator)}</li> }
        }).collect_view()
    };
    view! {
        {move || sync.rights.get().map(|rule| view! {
            <div class="banner banner-warn rights-banner" role="alert" data-testid="rights-refused" data-rule=rule.as_str()>
                {move || i18n.t(|s| s.rights_notice)}{move || i18n.t(|s| (s.refusal.rule)(rule))}
                <Show when=move || sync.put_aside.with(|p| !p.is_empty())>
                    <p>{move || i18n.t(|s| s.history.refused_heading)}</p>
                    <ul>{put_aside}</ul>
                </Show>
            </div>
        })}
    }
}

/// Until I have said who I am, a one-line reminder (never a blocking form).
#[component]
fn ProfilePrompt() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="banner banner-warn prompt" href=Route::Profile.to_hash() data-testid="profile-prompt">
            {move || i18n.t(|s| s.concern.profile_prompt)}
        </a>
    }
}
