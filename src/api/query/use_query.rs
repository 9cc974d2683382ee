//! `use_query`: a cached, deduplicated, self-refreshing read bound to a component.
//!
//! ## Usage
//! ```ignore
//! let list = use_query(
//!     move || Some((keys::appointment_list(&filter), filter.clone())),
//!     move |filter, signal| async move { endpoints::appointments(&api, &filter, signal).await },
//!     UseQueryOptions { live: true, ..Default::default() },
//! );
//! view! { {move || list.data.get().map(|page| page.items.len())} }
//! ```
//! The first closure is reactive: when what it reads changes, the query moves to the new key
//! (and shows the old key's answer meanwhile with `keep_previous_data`). Returning `None`
//! disables the query.

use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use nova_contract::ErrorDetails;
use send_wrapper::SendWrapper;
use web_sys::AbortSignal;

use super::cache::{AnyData, Fetcher, ObserveOptions, QueryClient};
use super::key::QueryKey;
use super::use_query_client;
use crate::api::http::ApiResult;

#[derive(Clone, Copy, Default)]
pub struct UseQueryOptions {
    pub observe: ObserveOptions,
    /// Refetch this often (ms) while the query is on screen and the page visible.
    pub refetch_interval: Option<Signal<Option<u32>>>,
    /// Kept fresh by realtime events; polls with the client's fallback interval while those
    /// are down.
    pub live: bool,
    /// While a new key loads, keep showing the previous key's answer (paginated lists).
    pub keep_previous_data: bool,
}

/// What a component reads from a query. Copy, so views can capture it freely.
pub struct UseQueryReturn<T: 'static> {
    /// The latest answer; kept while refetching and after a failed refetch.
    pub data: Signal<Option<T>, LocalStorage>,
    /// The last failure, cleared by the next success.
    pub error: Signal<Option<ErrorDetails>, LocalStorage>,
    /// No answer yet and one is on its way.
    pub is_loading: Signal<bool, LocalStorage>,
    /// A request is in flight (first load or background refresh).
    pub is_fetching: Signal<bool, LocalStorage>,
    key: RwSignal<Option<QueryKey>, LocalStorage>,
    client: StoredValue<QueryClient, LocalStorage>,
}

impl<T> Clone for UseQueryReturn<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for UseQueryReturn<T> {}

impl<T> UseQueryReturn<T> {
    /// Fetches again now (the Retry button).
    pub fn refetch(&self) {
        if let Some(k) = self.key.get_untracked() {
            self.client.get_value().refetch(&k);
        }
    }
}

pub fn use_query<P, T, Fut>(
    params: impl Fn() -> Option<(QueryKey, P)> + 'static,
    fetcher: impl Fn(P, Option<AbortSignal>) -> Fut + 'static,
    options: UseQueryOptions,
) -> UseQueryReturn<T>
where
    P: Clone + 'static,
    T: Clone + 'static,
    Fut: Future<Output = ApiResult<T>> + 'static,
{
    let fetcher = Rc::new(fetcher);
    // The typed fetcher becomes an erased one here, so everything below is compiled once.
    let erase = move |p: P| -> Fetcher {
        let fetcher = fetcher.clone();
        Rc::new(move |signal| {
            let fut = fetcher(p.clone(), signal);
            Box::pin(async move { fut.await.map(|t| Rc::new(t) as AnyData) })
        })
    };
    let state = use_query_erased(
        Rc::new(move || params().map(|(k, p)| (k, erase(p)))),
        options,
    );
    let downcast = |d: Option<AnyData>| d.and_then(|d| d.downcast_ref::<T>().cloned());
    UseQueryReturn {
        data: Signal::derive_local(move || downcast(state.data.get())),
        error: state.error,
        is_loading: state.is_loading,
        is_fetching: state.is_fetching,
        key: state.key,
        client: state.client,
    }
}

struct ErasedReturn {
    data: Signal<Option<AnyData>, LocalStorage>,
    error: Signal<Option<ErrorDetails>, LocalStorage>,
    is_loading: Signal<bool, LocalStorage>,
    is_fetching: Signal<bool, LocalStorage>,
    key: RwSignal<Option<QueryKey>, LocalStorage>,
    client: StoredValue<QueryClient, LocalStorage>,
}

type Params = Rc<dyn Fn() -> Option<(QueryKey, Fetcher)>>;

fn use_query_erased(params: Params, options: UseQueryOptions) -> ErasedReturn {
    let client = use_query_client();
    let stored = StoredValue::new_local(client.clone());
    let key = RwSignal::new_local(None::<QueryKey>);
    let placeholder = RwSignal::new_local(None::<AnyData>);

    let sync = {
        let client = client.clone();
        move || {
            let next = params();
            let next_key = next.as_ref().map(|(k, _)| k.clone());
            let prev = key.get_untracked();
            if prev != next_key {
                if let Some(p) = &prev {
                    if options.keep_previous_data {
                        let shown = client.read_untracked(p).data;
                        placeholder.set(shown.or_else(|| placeholder.get_untracked()));
                    }
                    client.unobserve(p);
                }
                if let Some(k) = &next_key {
                    client.observe(k, options.observe);
                }
                key.set(next_key);
            }
            if let Some((k, fetcher)) = next {
                client.ensure(&k, fetcher, options.observe.stale_time);
            }
        }
    };
    // Once now, so an answer already cached shows in the first frame; then on every change.
    untrack(&sync);
    Effect::new(move |_| sync());

    let on_leave = SendWrapper::new(client.clone());
    on_cleanup(move || {
        if let Some(k) = key.get_untracked() {
            on_leave.unobserve(&k);
        }
    });

    poll(&client, key, options);

    let state = {
        let client = client.clone();
        move || {
            key.with(|k| k.as_ref().map(|k| client.read(k)))
                .unwrap_or_default()
        }
    };
    let state = Rc::new(state);
    let s = state.clone();
    let data = Signal::derive_local(move || s().data.or_else(|| placeholder.get()));
    let s = state.clone();
    let error = Signal::derive_local(move || s().error);
    let s = state.clone();
    let is_loading = Signal::derive_local(move || {
        let st = s();
        st.data.is_none() && st.fetching
    });
    let is_fetching = Signal::derive_local(move || state().fetching);
    ErasedReturn {
        data,
        error,
        is_loading,
        is_fetching,
        key,
        client: stored,
    }
}

/// Interval refetches: the query's own `refetch_interval`, or for live queries the client's
/// fallback while realtime is down. Skipped while the page is hidden.
fn poll(
    client: &QueryClient,
    key: RwSignal<Option<QueryKey>, LocalStorage>,
    options: UseQueryOptions,
) {
    let c = client.clone();
    let period = move || {
        options
            .refetch_interval
            .and_then(|s| s.get())
            .or_else(|| options.live.then(|| c.fallback_interval()).flatten())
    };
    #[cfg(target_arch = "wasm32")]
    {
        let timer = StoredValue::new_local(None::<gloo_timers::callback::Interval>);
        let client = client.clone();
        Effect::new(move |_| {
            let period = period();
            timer.set_value(None);
            if let (Some(ms), Some(k)) = (period, key.get()) {
                let client = client.clone();
                timer.set_value(Some(gloo_timers::callback::Interval::new(ms, move || {
                    if !document().hidden() {
                        client.refetch(&k);
                    }
                })));
            }
        });
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (period, key);
}
