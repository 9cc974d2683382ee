//! Messages, for patients and for staff: the person's conversations on one side (unread count,
//! last message), the open one on the other. A patient starts a conversation by writing to a
//! practitioner of the practice; staff answer the conversations patients opened.

mod proposals;
mod thread;

use leptos::prelude::*;
use leptos::task::spawn_local;
use nova_contract::{Conversation, NoticeKind, OpenConversationRequest, Role};

use crate::api::query::{use_query, UseQueryOptions, UseQueryReturn};
use crate::api::{endpoints, queries, use_api};
use crate::components::query_view::QueryView;
use crate::state::auth::use_auth;
use crate::state::prefs::use_prefs;
use crate::state::realtime::use_realtime;
use crate::state::toasts::use_toasts;
use thread::Thread;

/// The signed-in person's conversations, live: the screen's list and the nav link's unread
/// badge share one cached query.
pub fn use_conversations() -> UseQueryReturn<Vec<Conversation>> {
    let auth = use_auth();
    let api = use_api();
    use_query(
        move || {
            auth.user_id()?;
            Some((queries::conversation_list(), ()))
        },
        move |(), signal| {
            let api = api.clone();
            async move { endpoints::conversations(&api, signal).await }
        },
        UseQueryOptions {
            live: true,
            ..Default::default()
        },
    )
}

/// The conversation list and the open thread.
#[component]
pub fn MessagesPage() -> impl IntoView {
    let auth = use_auth();
    let prefs = use_prefs();
    let rt = use_realtime();
    let list = use_conversations();
    let open = RwSignal::new(None::<String>);
    // The open conversation's room is joined while it is on screen, and left with it.
    Effect::new(move |_| rt.open_conversation(open.get()));
    on_cleanup(move || rt.open_conversation(None));
    let me = move || auth.user_id().unwrap_or_default();
    let is_patient = move || auth.user().is_some_and(|u| u.role == Role::Patient);
    let current = Signal::derive_local(move || {
        let id = open.get()?;
        list.data
            .with(|l| l.as_ref()?.iter().find(|c| c.id == id).cloned())
    });
    view! {
        <main class="page messages-page">
            <section class="card conversation-list" aria-labelledby="conversations-title">
                <h2 id="conversations-title">{prefs.tr(|t| t.conversations_title)}</h2>
                <Show when=is_patient>
                    <StartConversation open=open />
                </Show>
                <QueryView
                    query=list
                    ready=move |l| {
                        if l.is_empty() {
                            return view! { <p class="empty">{prefs.tr(|t| t.no_conversations)}</p> }.into_any();
                        }
                        view! {
                            <ul class="conversations">
                                {l
                                    .into_iter()
                                    .map(|c| view! { <ConversationRow c=c me=me() open=open /> })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                />
            </section>
            // Keyed on the open id alone: list updates reach the thread through `current`
            // without rebuilding it (older pages and the draft stay).
            {move || match open.get() {
                Some(id) => view! { <Thread id=id conversation=current /> }.into_any(),
                None => {
                    view! {
                        <section class="card thread thread-empty">
                            <p class="muted">{prefs.tr(|t| t.choose_conversation)}</p>
                        </section>
                    }
                        .into_any()
                }
            }}
        </main>
    }
}

/// The names of the other people in a conversation.
pub(crate) fn others(c: &Conversation, me: &str) -> String {
    let names: Vec<String> = c
        .participants
        .iter()
        .filter(|p| p.id != me)
        .map(|p| format!("{} {}", p.first_name, p.last_name))
        .collect();
    names.join(", ")
}

/// Whether anyone else in the conversation has the app open now.
pub(crate) fn others_online(c: &Conversation, me: &str) -> bool {
    c.participants.iter().any(|p| p.id != me && p.online)
}

/// One conversation: who (and whether they are online), the last message, how many are unread.
#[component]
fn ConversationRow(c: Conversation, me: String, open: RwSignal<Option<String>>) -> impl IntoView {
    let prefs = use_prefs();
    let who = others(&c, &me);
    let online = others_online(&c, &me);
    let last = c
        .last_message
        .as_ref()
        .map(|m| m.content.clone())
        .unwrap_or_default();
    let unread = c.unread_count;
    let id = c.id.clone();
    let selected = {
        let id = id.clone();
        move || open.with(|o| o.as_deref() == Some(id.as_str()))
    };
    let label = {
        let who = who.clone();
        move || {
            let t = prefs.t();
            let presence = if online { t.online } else { t.offline };
            match unread {
                0 => format!("{who} · {presence}"),
                n => format!("{who} · {presence} ({n} {})", t.unread_messages),
            }
        }
    };
    view! {
        <li>
            <button
                class="conversation-row"
                class:selected=selected.clone()
                aria-current=move || selected().then_some("true")
                aria-label=label
                on:click=move |_| open.set(Some(id.clone()))
            >
                <span class="conversation-who">
                    <span class="presence-dot" class:online=online aria-hidden="true"></span>
                    {who}
                </span>
                {(unread > 0).then(|| view! { <span class="unread-count" aria-hidden="true">{unread}</span> })}
                <span class="conversation-last">{last}</span>
            </button>
        </li>
    }
}

/// A patient's "Write to the practice": one button per practitioner, opening (or finding) the
/// conversation with them.
#[component]
fn StartConversation(open: RwSignal<Option<String>>) -> impl IntoView {
    let prefs = use_prefs();
    let toasts = use_toasts();
    let api = use_api();
    let practitioners = crate::pages::use_practitioners();
    let api = StoredValue::new_local(api);
    let queries = StoredValue::new_local(crate::api::query::use_query_client());
    let start = move |practitioner_id: String| {
        let (api, queries) = (api.get_value(), queries.get_value());
        spawn_local(async move {
            let req = OpenConversationRequest {
                practitioner_id: Some(practitioner_id),
                patient_id: None,
            };
            match endpoints::open_conversation(&api, &req).await {
                Ok(c) => {
                    queries.invalidate(&queries::conversation_list());
                    open.set(Some(c.id));
                }
                Err(e) => toasts.push(NoticeKind::Error, prefs.t().error(e.code), None),
            }
        });
    };
    view! {
        <div class="start-conversation">
            <span class="muted">{prefs.tr(|t| t.write_to_practice)}</span>
            {move || {
                practitioners
                    .data
                    .get()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| {
                        let id = p.id.clone();
                        view! {
                            <button class="secondary small" on:click=move |_| start(id.clone())>
                                {format!("{} {}", p.first_name, p.last_name)}
                            </button>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}
