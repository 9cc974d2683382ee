//! The open conversation: its messages (newest page live from the cache, older pages on
//! demand), proposals as cards among them, the "read" mark, who is typing, and the composer.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nova_contract::{Conversation, Message, MessagePage, NoticeKind, Proposal, Role};

use super::proposals::{ProposalCard, ProposeForm};
use crate::api::query::{use_query, use_query_client, UseQueryOptions};
use crate::api::{endpoints, queries, use_api};
use crate::format;
use crate::state::auth::use_auth;
use crate::state::live_events::LiveEvent;
use crate::state::prefs::use_prefs;
use crate::state::realtime::use_realtime;
use crate::state::toasts::use_toasts;

/// Messages per page.
const PAGE: u32 = 30;
/// At most one "is typing" sent this often (the server relays one per 2 s anyway).
const TYPING_EVERY_MS: f64 = 2_000.0;
/// An "is typing" not followed by a message or a stop fades after this long.
const TYPING_SHOWN_MS: u64 = 5_000;

/// One line of the thread, in time order.
#[derive(Clone)]
enum Item {
    Message(Message),
    Proposal(Proposal),
}

/// The conversation `id`, its messages and composer; `conversation` is its entry in the live
/// list (read positions, names).
#[component]
pub fn Thread(
    id: String,
    conversation: Signal<Option<Conversation>, LocalStorage>,
) -> impl IntoView {
    let auth = use_auth();
    let prefs = use_prefs();
    let rt = use_realtime();
    let toasts = use_toasts();
    let client = use_query_client();
    let api = use_api();
    let me = auth.user_id().unwrap_or_default();
    let staff = auth
        .user()
        .is_some_and(|u| matches!(u.role, Role::Practitioner | Role::Admin));

    let (a, conv) = (api.clone(), id.clone());
    let newest = use_query(
        move || Some((queries::messages(&conv), conv.clone())),
        move |conv, signal| {
            let api = a.clone();
            async move { endpoints::messages(&api, &conv, None, PAGE, signal).await }
        },
        UseQueryOptions {
            live: true,
            ..Default::default()
        },
    );
    let (a, conv) = (api.clone(), id.clone());
    let proposals = use_query(
        move || Some((queries::proposals(&conv), conv.clone())),
        move |conv, signal| {
            let api = a.clone();
            async move { endpoints::proposals(&api, &conv, signal).await }
        },
        UseQueryOptions {
            live: true,
            ..Default::default()
        },
    );
    // Older pages, fetched with the "older" button; `None` until one was.
    let older = RwSignal::new(Vec::<Message>::new());
    let older_more = RwSignal::new(None::<bool>);
    let messages = Memo::new(move |_| {
        let mut all = older.get();
        if let Some(p) = newest.data.get() {
            all.extend(p.items.into_iter().filter(|m| all_lacks(&older, m)));
        }
        all
    });
    let has_older = move || {
        older_more
            .get()
            .unwrap_or_else(|| newest.data.with(|d| d.as_ref().is_some_and(|p| p.has_more)))
    };
    let api = StoredValue::new_local(api);
    let load_older = {
        let id = id.clone();
        move |_| {
            let before = messages.with_untracked(|m| m.first().map(|m| m.seq));
            let (api, id) = (api.get_value(), id.clone());
            spawn_local(async move {
                match endpoints::messages(&api, &id, before, PAGE, None).await {
                    Ok(MessagePage { items, has_more }) => {
                        older.update(|o| o.splice(0..0, items).for_each(drop));
                        older_more.set(Some(has_more));
                    }
                    Err(e) => toasts.push(NoticeKind::Error, prefs.t().error(e.code), None),
                }
            });
        }
    };

    // Shown means read: move the read position up to the newest message from the other side.
    let read_sent = StoredValue::new(0u64);
    {
        let (id, me, client) = (id.clone(), me.clone(), client.clone());
        Effect::new(move |_| {
            let Some(last) =
                messages.with(|m| m.iter().rev().find(|m| m.sender_id != me).map(|m| m.seq))
            else {
                return;
            };
            let mine = conversation.with_untracked(|c| {
                c.as_ref()
                    .and_then(|c| c.participants.iter().find(|p| p.id == me))
                    .map_or(0, |p| p.last_read_seq)
            });
            if last <= mine.max(read_sent.get_value()) {
                return;
            }
            read_sent.set_value(last);
            let (api, id, client) = (api.get_value(), id.clone(), client.clone());
            spawn_local(async move {
                if let Ok(r) = endpoints::mark_read(&api, &id, last).await {
                    client.update::<Vec<Conversation>>(&queries::conversation_list(), |list| {
                        let changed = queries::apply_receipt(list, &r);
                        match list.iter_mut().find(|c| c.id == r.conversation_id) {
                            Some(c) if c.unread_count > 0 => {
                                c.unread_count = 0;
                                true
                            }
                            _ => changed,
                        }
                    });
                }
            });
        });
    }

    // Who is typing on the other side, cleared by their message or after a while.
    let typist = RwSignal::new(None::<String>);
    let typing_gen = StoredValue::new(0u32);
    {
        let (id, me) = (id.clone(), me.clone());
        Effect::new(move |_| {
            let who = rt.latest.with(|e| match e {
                Some(LiveEvent::Typing(t)) if t.conversation_id == id => {
                    let user = t.user_id.clone().filter(|u| *u != me)?;
                    Some((user, t.is_typing))
                }
                Some(LiveEvent::Message(m)) if m.conversation_id == id && m.sender_id != me => {
                    Some((m.sender_id.clone(), false))
                }
                _ => None,
            });
            let Some((user, typing)) = who else { return };
            let name = conversation.with_untracked(|c| {
                c.as_ref()
                    .and_then(|c| c.participants.iter().find(|p| p.id == user))
                    .map(|p| format!("{} {}", p.first_name, p.last_name))
            });
            typing_gen.update_value(|g| *g += 1);
            typist.set(name.filter(|_| typing));
            let gen = typing_gen.get_value();
            set_timeout(
                move || {
                    if typing_gen.try_get_value() == Some(gen) {
                        typist.set(None);
                    }
                },
                std::time::Duration::from_millis(TYPING_SHOWN_MS),
            );
        });
    }

    // The other side's read position, for the "read" mark on my latest message they have seen.
    let their_read = move || {
        conversation.with(|c| {
            c.as_ref().map_or(0, |c| {
                c.participants
                    .iter()
                    .filter(|p| p.id != auth.user_id().unwrap_or_default())
                    .map(|p| p.last_read_seq)
                    .max()
                    .unwrap_or(0)
            })
        })
    };
    let seen_seq = {
        let me = me.clone();
        move || {
            let read = their_read();
            messages.with(|m| {
                m.iter()
                    .rev()
                    .find(|m| m.sender_id == me && m.seq <= read)
                    .map(|m| m.seq)
            })
        }
    };

    let timeline = move || {
        let mut items: Vec<(chrono::DateTime<chrono::Utc>, Item)> = messages
            .get()
            .into_iter()
            .map(|m| (m.created_at, Item::Message(m)))
            .collect();
        let from = if has_older() {
            items.first().map(|i| i.0)
        } else {
            None
        };
        for p in proposals.data.get().unwrap_or_default() {
            if from.is_none_or(|f| p.created_at >= f) {
                items.push((p.created_at, Item::Proposal(p)));
            }
        }
        items.sort_by_key(|i| i.0);
        items
    };

    let title = move || {
        conversation.with(|c| {
            c.as_ref()
                .map(|c| super::others(c, &auth.user_id().unwrap_or_default()))
                .unwrap_or_default()
        })
    };
    // Whether the other side has the app open: a patient knows an answer may come now.
    let online = move || {
        conversation.with(|c| {
            c.as_ref()
                .is_some_and(|c| super::others_online(c, &auth.user_id().unwrap_or_default()))
        })
    };
    let practitioner = move || {
        conversation.with(|c| {
            c.as_ref()
                .and_then(|c| c.participants.iter().find(|p| p.role == Role::Practitioner))
                .map(|p| p.id.clone())
                .or_else(|| auth.user_id())
                .unwrap_or_default()
        })
    };
    let me_view = me.clone();
    view! {
        <section class="card thread" aria-labelledby="thread-title">
            <div class="thread-head">
                <h2 id="thread-title">{title}</h2>
                <p class="presence" class:online=online>
                    <span class="presence-dot" class:online=online aria-hidden="true"></span>
                    {move || if online() { prefs.t().online } else { prefs.t().offline }}
                </p>
            </div>
            <div class="thread-scroll">
                <ol class="thread-items">
                    <Show when=has_older>
                        <li class="thread-older">
                            <button class="link" on:click=load_older.clone()>
                                {prefs.tr(|t| t.older_messages)}
                            </button>
                        </li>
                    </Show>
                    {move || {
                        let items = timeline();
                        if items.is_empty() && newest.data.with(|d| d.is_some()) {
                            return view! { <li class="empty">{prefs.t().no_messages}</li> }.into_any();
                        }
                        let seen = seen_seq();
                        items
                            .into_iter()
                            .map(|(_, item)| match item {
                                Item::Message(m) => {
                                    let mine = m.sender_id == me_view;
                                    view! { <MessageBubble m=m mine=mine seen=seen /> }.into_any()
                                }
                                Item::Proposal(p) => {
                                    view! { <li class="thread-proposal"><ProposalCard p=p can_decide=!staff /></li> }
                                        .into_any()
                                }
                            })
                            .collect_view()
                            .into_any()
                    }}
                </ol>
            </div>
            <p class="typing" aria-live="polite">
                {move || typist.get().map(|n| format!("{n} {}", prefs.t().is_typing))}
            </p>
            <Composer id=id.clone() />
            {staff.then(|| view! { <ProposeForm conversation=id.clone() practitioner=Signal::derive_local(practitioner) /> })}
        </section>
    }
}

fn all_lacks(older: &RwSignal<Vec<Message>>, m: &Message) -> bool {
    older.with_untracked(|o| o.iter().all(|x| x.id != m.id))
}

/// One message: whose, when, and "read" on the latest of mine the other side has seen.
#[component]
fn MessageBubble(m: Message, mine: bool, seen: Option<u64>) -> impl IntoView {
    let prefs = use_prefs();
    let read = mine && seen == Some(m.seq);
    let at = m.created_at;
    view! {
        <li class="bubble" class:mine=mine>
            <p class="bubble-text">{m.content}</p>
            <span class="bubble-meta">
                {move || format::when(prefs.t(), at)}
                {read.then(|| view! { <span class="read-mark">{prefs.tr(|t| t.seen)}</span> })}
            </span>
        </li>
    }
}

/// The text box and Send; tells the other side while the person types.
#[component]
fn Composer(id: String) -> impl IntoView {
    let prefs = use_prefs();
    let rt = use_realtime();
    let toasts = use_toasts();
    let client = use_query_client();
    let api = StoredValue::new_local(use_api());
    let text = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    let last_typing = StoredValue::new(0f64);
    let id = StoredValue::new(id);
    let on_input = move |ev| {
        text.set(event_target_value(&ev));
        let now = js_sys::Date::now();
        if now - last_typing.get_value() > TYPING_EVERY_MS {
            last_typing.set_value(now);
            rt.typing(&id.get_value(), true);
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let content = text.get_untracked().trim().to_owned();
        if content.is_empty() || sending.get_untracked() {
            return;
        }
        sending.set(true);
        let (api, client, id) = (api.get_value(), client.clone(), id.get_value());
        rt.typing(&id, false);
        last_typing.set_value(0.0);
        spawn_local(async move {
            match endpoints::send_message(&api, &id, &content).await {
                Ok(m) => {
                    text.set(String::new());
                    client.update::<MessagePage>(&queries::messages(&id), |p| {
                        queries::add_message(p, &m)
                    });
                    client.invalidate(&queries::conversation_list());
                }
                Err(e) => toasts.push(NoticeKind::Error, prefs.t().error(e.code), None),
            }
            sending.set(false);
        });
    };
    view! {
        <form class="composer" on:submit=submit>
            <label class="visually-hidden" for="composer-text">{prefs.tr(|t| t.your_message)}</label>
            <input
                id="composer-text"
                type="text"
                autocomplete="off"
                maxlength=nova_contract::MAX_MESSAGE_CHARS
                placeholder=prefs.tr(|t| t.your_message)
                prop:value=move || text.get()
                on:input=on_input
            />
            <button type="submit" class="primary" disabled=move || sending.get() || text.with(|t| t.trim().is_empty())>
                {prefs.tr(|t| t.send)}
            </button>
        </form>
    }
}
