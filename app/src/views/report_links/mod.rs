//! 扫码反映二维码 (吹哨, issue 17): the community's live report links (place, who made it),
//! making one for a 邻 or 组 the member's role may choose, its QR code and printable poster
//! (`poster.rs`), and turning one off behind a confirm step. Reached from 我. Everything here
//! talks to the relay's access API: offline, the screen says that it needs the network.

mod poster;

use super::choice::Choice;
use super::concerns::{date, member_name};
use super::confirm::Confirm;
use super::invite::failure_text;
use crate::community::{use_community, CommunityView};
use crate::i18n::concern::fill;
use crate::i18n::use_i18n;
use crate::route::Route;
use crate::session::{use_session, Membership};
use crate::standing::{use_standing, Standing};
use crate::sync::api::{self, ApiError, ReportLinkRow};
use crate::sync::Link;
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::{Role, UnitKind};
use linli_shared::sort;
use poster::Poster;

/// The 邻 (and for 组长 and above, and admins, the 组) a member may make a link for, as
/// (id, path), sorted by path: the relay's rule (`PlaceBeyondRole`).
pub fn places_for(c: &CommunityView, who: &Standing) -> Vec<(String, String)> {
    let group_too = who.admin || who.role.is_some_and(|r| r != Role::NeighbourLeader);
    let mut v: Vec<(String, String)> = c
        .units
        .iter()
        .filter(|u| u.kind == UnitKind::Neighbourhood || (group_too && u.kind == UnitKind::Group))
        .map(|u| (u.id.clone(), c.place_path(&u.id)))
        .collect();
    sort::sort_by(&mut v, |a, b| a.1.cmp(&b.1));
    v
}

#[component]
pub fn ReportLinksScreen() -> impl IntoView {
    let i18n = use_i18n();
    let membership = use_session().membership;
    view! {
        <a class="back no-print" href=Route::Profile.to_hash()>"‹ " {move || i18n.t(|s| s.tab_profile)}</a>
        {move || match membership.get() {
            Some(me) => view! { <Links me=me/> }.into_any(),
            // Not yet registered with the relay (made offline): nothing to ask it with.
            None => view! { <NeedsNetwork/> }.into_any(),
        }}
    }
}

#[component]
fn NeedsNetwork() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="banner banner-warn no-print" role="alert" data-testid="report-needs-network">
            {move || i18n.t(|s| s.report.needs_network)}
        </div>
    }
}

#[component]
fn Links(me: Membership) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_session().sync;
    let online = sync.online;
    let rows = RwSignal::new(None::<Vec<ReportLinkRow>>);
    let failed = RwSignal::new(None::<String>);
    // The relay could not be reached on the last call.
    let unreachable = RwSignal::new(false);
    // The link whose poster is open.
    let poster = RwSignal::new(None::<ReportLinkRow>);
    let just_made = RwSignal::new(false);
    let credential = StoredValue::new(me.credential.clone());
    let answer = move |e: ApiError| {
        unreachable.set(e == ApiError::Offline);
        if e != ApiError::Offline {
            failed.set(Some(failure_text(i18n, &e)));
        }
    };
    let reload = move || {
        spawn_local(async move {
            match api::report_links(&credential.get_value()).await {
                Ok(list) => {
                    rows.set(Some(list));
                    unreachable.set(false);
                }
                Err(e) => answer(e),
            }
        });
    };
    // Again whenever the phone comes back online or the socket opens again.
    Effect::new(move |_| {
        if online.get() && sync.link.get() == Link::Joined {
            reload();
        }
    });
    let made = Callback::new(move |row: ReportLinkRow| {
        failed.set(None);
        unreachable.set(false);
        just_made.set(true);
        poster.set(Some(row));
        reload();
    });
    let revoke = Callback::new(move |link_id: String| {
        spawn_local(async move {
            match api::revoke_report_link(&credential.get_value(), &link_id).await {
                Ok(()) => {
                    failed.set(None);
                    reload();
                }
                Err(e) => answer(e),
            }
        });
    });
    let close = Callback::new(move |()| {
        just_made.set(false);
        poster.set(None);
    });
    // No network, no socket to the relay, or the relay did not answer the last call.
    let offline = move || !online.get() || sync.link.get() == Link::Down || unreachable.get();
    let me = StoredValue::new(me);
    view! {
        <Show when=offline>
            <NeedsNetwork/>
        </Show>
        {move || failed.get().map(|why| view! { <p class="banner banner-warn no-print" role="alert">{why}</p> })}
        {move || match poster.get() {
            Some(row) => view! { <Poster row=row just_made=just_made.get_untracked() close=close/> }.into_any(),
            None => view! {
                <section class="card no-print" data-testid="report-links">
                    <h2>{move || i18n.t(|s| s.report.title)}</h2>
                    <p class="muted">{move || i18n.t(|s| s.report.intro)}</p>
                    <MakeLink me=me.get_value() offline=Signal::derive(offline) made=made on_fail=Callback::new(answer)/>
                </section>
                <section class="card no-print" data-testid="live-report-links">
                    <h2>{move || i18n.t(|s| s.report.live_title)}</h2>
                    {move || rows.get().map(|rows| {
                        if rows.is_empty() {
                            return view! { <p class="muted" data-testid="no-report-links">{move || i18n.t(|s| s.report.none_live)}</p> }.into_any();
                        }
                        let me = me.get_value();
                        view! {
                            <ul class="members">
                                {rows.into_iter().map(|row| view! { <LinkRow row=row me=me.clone() poster=poster revoke=revoke/> }).collect_view()}
                            </ul>
                        }.into_any()
                    })}
                </section>
            }.into_any(),
        }}
    }
}

/// The place picker and 生成二维码.
#[component]
fn MakeLink(
    me: Membership,
    offline: Signal<bool>,
    made: Callback<ReportLinkRow>,
    on_fail: Callback<ApiError>,
) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let standing = use_standing();
    let places = Memo::new(move |_| standing.with(|who| community.0.with(|c| places_for(c, who))));
    // My own unit when I may choose it, else the first.
    let mine = community
        .0
        .with_untracked(|c| c.my_record().and_then(|m| m.unit.clone()));
    let place = RwSignal::new(String::new());
    Effect::new(move |_| {
        places.with(|p| {
            let held = place.get_untracked();
            if !p.iter().any(|(id, _)| *id == held) {
                let pick = p
                    .iter()
                    .find(|(id, _)| Some(id) == mine.as_ref())
                    .or(p.first())
                    .map(|(id, _)| id.clone());
                place.set(pick.unwrap_or_default());
            }
        })
    });
    let busy = RwSignal::new(false);
    let credential = StoredValue::new(me.credential);
    let make = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let at = place.get_untracked();
        if at.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::make_report_link(&credential.get_value(), &at).await {
                Ok(row) => made.run(row),
                Err(e) => on_fail.run(e),
            }
            busy.set(false);
        });
    };
    view! {
        <Show
            when=move || places.with(|p| !p.is_empty())
            fallback=move || view! { <p class="muted" data-testid="no-report-places">{move || i18n.t(|s| s.report.no_places)}</p> }
        >
            <form on:submit=make data-testid="make-report-link">
                <label for="report-place">{move || i18n.t(|s| s.report.place_label)}</label>
                <Choice value=place options=places on_pick=move |v| place.set(v) {..} id="report-place"/>
                <button type="submit" class="primary" data-testid="make-report-link-submit"
                    disabled=move || busy.get() || offline.get()>
                    {move || i18n.t(|s| s.report.make)}
                </button>
            </form>
        </Show>
    }
}

#[component]
fn LinkRow(
    row: ReportLinkRow,
    me: Membership,
    poster: RwSignal<Option<ReportLinkRow>>,
    revoke: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let confirming = RwSignal::new(false);
    let may_revoke = row.made_by == me.member_id || me.admin;
    let id = StoredValue::new(row.id.clone());
    let (place, maker, made_at) = (row.place.clone(), row.made_by.clone(), row.made_at);
    let place_name = move || community.0.with(|c| c.place_path(&place));
    let made = move || {
        let s = i18n.lang().strings();
        let who = community.0.with(|c| member_name(c, s, &maker));
        fill(s.report.made_by, &[&who, &date(made_at as i64 * 1000)])
    };
    let shown = StoredValue::new(row.clone());
    view! {
        <li class="member-row" data-testid="report-link" data-link=row.id.clone() data-place=row.place.clone()>
            <span class="member-tags"><strong data-testid="report-link-place">{place_name}</strong></span>
            <span class="muted small" data-testid="report-link-maker">{made}</span>
            <div class="invite-actions">
                <button type="button" data-testid="show-poster" on:click=move |_| poster.set(Some(shown.get_value()))>
                    {move || i18n.t(|s| s.report.show_poster)}
                </button>
                {may_revoke.then(|| view! {
                    <Show when=move || !confirming.get()>
                        <button type="button" data-testid="revoke-report-link" on:click=move |_| confirming.set(true)>
                            {move || i18n.t(|s| s.report.revoke)}
                        </button>
                    </Show>
                })}
            </div>
            <Show when=move || confirming.get()>
                <Confirm
                    testids=["revoke-report-link-confirm", "confirm-revoke-report-link", "keep-report-link"]
                    question=Signal::derive(move || i18n.t(|s| s.report.revoke_confirm))
                    yes=Signal::derive(move || i18n.t(|s| s.report.revoke_yes))
                    yes_class="danger"
                    on_yes=Callback::new(move |()| { confirming.set(false); revoke.run(id.get_value()); })
                    on_cancel=Callback::new(move |()| confirming.set(false))/>
            </Show>
        </li>
    }
}

/// On 我: the way to the report links, for every member.
#[component]
pub fn ReportLinksEntry() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid="report-links-entry">
            <a class="entry-link" href=Route::ReportLinks.to_hash() data-testid="open-report-links">
                <strong>{move || i18n.t(|s| s.report.entry)}" ›"</strong>
            </a>
            <p class="muted small">{move || i18n.t(|s| s.report.entry_hint)}</p>
        </section>
    }
}
