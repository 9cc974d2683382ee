//! The query cache: one entry per key, holding the last answer, whether it is stale, the fetch in
//! flight (one per key, however many components read it) and who is watching.
//!
//! Entries are type-erased (`Rc<dyn Any>`) so one non-generic cache serves every query; the
//! typed hooks downcast on the way out. Each entry has a trigger, so a component reading it
//! re-renders when its data, error or fetching state changes, and only then.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use leptos::prelude::{ArcRwSignal, ArcTrigger, Get, GetUntracked, Notify, Set, Track};
use nova_contract::ErrorDetails;
use web_sys::{AbortController, AbortSignal};

use super::key::QueryKey;
use crate::api::http::{is_aborted, ApiResult, LocalBoxFuture};

pub type AnyData = Rc<dyn Any>;
/// Produces a fresh answer; given an `AbortSignal` that fires when nobody wants it any more.
pub type Fetcher = Rc<dyn Fn(Option<AbortSignal>) -> LocalBoxFuture<ApiResult<AnyData>>>;

/// What a query's observer asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ObserveOptions {
    /// How long an answer counts as fresh (ms). Fresh answers are served without a request.
    pub stale_time: f64,
    /// How long an unwatched answer is kept for a quick return (ms).
    pub gc_time: u32,
    pub refetch_on_focus: bool,
    pub refetch_on_reconnect: bool,
}

impl Default for ObserveOptions {
    /// TanStack Query's defaults: stale at once, kept five minutes, refreshed on return.
    fn default() -> Self {
        Self {
            stale_time: 0.0,
            gc_time: 5 * 60 * 1000,
            refetch_on_focus: true,
            refetch_on_reconnect: true,
        }
    }
}

/// A reactive read of one entry.
#[derive(Clone, Default)]
pub struct QueryState {
    pub data: Option<AnyData>,
    /// The last failure; kept alongside older data, cleared by the next success.
    pub error: Option<ErrorDetails>,
    pub fetching: bool,
}

/// Cached answers under a prefix, as they were; see [`QueryClient::restore`].
#[derive(Default)]
pub struct Snapshot(Vec<(QueryKey, Option<AnyData>, f64)>);

#[derive(Clone)]
pub struct QueryClient {
    inner: Rc<Inner>,
}

struct Inner {
    entries: RefCell<BTreeMap<QueryKey, Entry>>,
    now: Box<dyn Fn() -> f64>,
    next_id: Cell<u64>,
    /// Polling period for live lists while the realtime connection is down.
    fallback_interval: ArcRwSignal<Option<u32>>,
}

struct Entry {
    data: Option<AnyData>,
    updated_at: f64,
    error: Option<ErrorDetails>,
    invalidated: bool,
    fetch: Option<InFlight>,
    fetcher: Option<Fetcher>,
    observers: u32,
    options: ObserveOptions,
    /// Bumped by every direct write; a fetch started before one must not overwrite it.
    generation: u64,
    changed: ArcTrigger,
    #[cfg(target_arch = "wasm32")]
    gc: Option<gloo_timers::callback::Timeout>,
}

struct InFlight {
    id: u64,
    generation: u64,
    abort: Option<AbortController>,
}

impl Entry {
    fn new() -> Self {
        Self {
            data: None,
            updated_at: 0.0,
            error: None,
            invalidated: false,
            fetch: None,
            fetcher: None,
            observers: 0,
            options: ObserveOptions::default(),
            generation: 0,
            changed: ArcTrigger::new(),
            #[cfg(target_arch = "wasm32")]
            gc: None,
        }
    }

    fn is_stale(&self, now: f64, stale_time: f64) -> bool {
        self.data.is_none() || self.invalidated || now - self.updated_at >= stale_time
    }
}

impl Default for QueryClient {
    fn default() -> Self {
        Self::with_clock(js_sys::Date::now)
    }
}

impl QueryClient {
    /// A client reading time from `now` (ms); tests pass a clock they move by hand.
    pub fn with_clock(now: impl Fn() -> f64 + 'static) -> Self {
        Self {
            inner: Rc::new(Inner {
                entries: RefCell::default(),
                now: Box::new(now),
                next_id: Cell::new(0),
                fallback_interval: ArcRwSignal::new(None),
            }),
        }
    }

    fn now(&self) -> f64 {
        (self.inner.now)()
    }

    /// Runs `f` on the entry (created if missing), then notifies its readers if `f` says it
    /// changed something. The notification happens after the borrow ends, so readers may
    /// call back into the cache.
    fn with_entry<R>(&self, key: &QueryKey, f: impl FnOnce(&mut Entry) -> (R, bool)) -> R {
        let (out, trigger) = {
            let mut entries = self.inner.entries.borrow_mut();
            let entry = entries.entry(key.clone()).or_insert_with(Entry::new);
            let (out, changed) = f(entry);
            (out, changed.then(|| entry.changed.clone()))
        };
        if let Some(t) = trigger {
            t.notify();
        }
        out
    }

    /// Reads an entry and subscribes the caller to its changes.
    pub fn read(&self, key: &QueryKey) -> QueryState {
        self.with_entry(key, |e| {
            e.changed.track();
            (
                QueryState {
                    data: e.data.clone(),
                    error: e.error.clone(),
                    fetching: e.fetch.is_some(),
                },
                false,
            )
        })
    }

    /// Reads an entry without subscribing.
    pub fn read_untracked(&self, key: &QueryKey) -> QueryState {
        let entries = self.inner.entries.borrow();
        entries
            .get(key)
            .map(|e| QueryState {
                data: e.data.clone(),
                error: e.error.clone(),
                fetching: e.fetch.is_some(),
            })
            .unwrap_or_default()
    }

    /// Someone now watches `key`: keep it, and refresh it on focus/reconnect as asked.
    pub fn observe(&self, key: &QueryKey, options: ObserveOptions) {
        self.with_entry(key, |e| {
            e.observers += 1;
            e.options = options;
            #[cfg(target_arch = "wasm32")]
            {
                e.gc = None;
            }
            ((), false)
        });
    }

    /// One watcher fewer. When none is left, a fetch only they wanted is aborted and the answer
    /// is dropped after its `gc_time`, unless someone comes back first.
    pub fn unobserve(&self, key: &QueryKey) {
        let orphaned = self.with_entry(key, |e| {
            e.observers = e.observers.saturating_sub(1);
            if e.observers > 0 {
                return (false, false);
            }
            let abandoned = e.fetch.take();
            let changed = abandoned.is_some();
            if let Some(c) = abandoned.and_then(|f| f.abort) {
                c.abort();
            }
            (true, changed)
        });
        if orphaned {
            self.schedule_gc(key);
        }
    }

    #[cfg(target_arch = "wasm32")]
    fn schedule_gc(&self, key: &QueryKey) {
        let weak = Rc::downgrade(&self.inner);
        let k = key.clone();
        let mut entries = self.inner.entries.borrow_mut();
        if let Some(e) = entries.get_mut(key) {
            e.gc = Some(gloo_timers::callback::Timeout::new(
                e.options.gc_time,
                move || {
                    if let Some(inner) = weak.upgrade() {
                        QueryClient { inner }.collect(&k);
                    }
                },
            ));
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn schedule_gc(&self, _key: &QueryKey) {}

    /// Drops an unwatched entry (the gc timer's job; public for tests).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub fn collect(&self, key: &QueryKey) {
        let removed = {
            let mut entries = self.inner.entries.borrow_mut();
            match entries.get(key) {
                Some(e) if e.observers == 0 && e.fetch.is_none() => entries.remove(key),
                _ => None,
            }
        };
        drop(removed);
    }

    #[cfg(all(test, target_arch = "wasm32"))]
    pub fn contains(&self, key: &QueryKey) -> bool {
        self.inner.entries.borrow().contains_key(key)
    }

    /// Remembers how to fetch `key` and fetches it if its answer is missing or older than
    /// `stale_time`, unless a fetch is already under way.
    pub fn ensure(&self, key: &QueryKey, fetcher: Fetcher, stale_time: f64) {
        let now = self.now();
        let start = self.with_entry(key, |e| {
            e.fetcher = Some(fetcher);
            (e.fetch.is_none() && e.is_stale(now, stale_time), false)
        });
        if start {
            self.start(key, false);
        }
    }

    /// Fetches `key` now in the background with its remembered fetcher, unless one is running.
    pub fn refetch(&self, key: &QueryKey) {
        self.start(key, false);
    }

    /// Starts a fetch with the entry's fetcher. With `replace`, a fetch already running is
    /// aborted and superseded (its answer may predate what made us refetch).
    fn start(&self, key: &QueryKey, replace: bool) {
        let id = self.inner.next_id.get() + 1;
        self.inner.next_id.set(id);
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        let fetcher = self.with_entry(key, |e| {
            if e.fetch.is_some() && !replace {
                return (None, false);
            }
            let Some(fetcher) = e.fetcher.clone() else {
                return (None, false);
            };
            if let Some(c) = e.fetch.take().and_then(|f| f.abort) {
                c.abort();
            }
            e.fetch = Some(InFlight {
                id,
                generation: e.generation,
                abort: controller,
            });
            (Some(fetcher), true)
        });
        let Some(fetcher) = fetcher else {
            return;
        };
        let future = fetcher(signal);
        let this = self.clone();
        let key = key.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let result = future.await;
            this.finish(&key, id, result);
        });
    }

    fn finish(&self, key: &QueryKey, id: u64, result: ApiResult<AnyData>) {
        let now = self.now();
        let trigger = {
            let mut entries = self.inner.entries.borrow_mut();
            let Some(e) = entries.get_mut(key) else {
                return;
            };
            if e.fetch.as_ref().map(|f| f.id) != Some(id) {
                // Superseded or abandoned: someone else owns the entry's state now.
                return;
            }
            let Some(flight) = e.fetch.take() else {
                return;
            };
            match result {
                Ok(data) if flight.generation == e.generation => {
                    e.data = Some(data);
                    e.updated_at = now;
                    e.invalidated = false;
                    e.error = None;
                }
                // Written directly meanwhile (optimistic update): that write wins.
                Ok(_) => {}
                Err(err) if is_aborted(&err) => {}
                Err(err) => e.error = Some(err),
            }
            e.changed.clone()
        };
        trigger.notify();
    }

    /// Marks every entry under `prefix` stale; those on screen refetch at once (superseding a
    /// fetch in flight), the others when next shown. Returns how many entries matched.
    pub fn invalidate(&self, prefix: &QueryKey) -> usize {
        let keys = self.keys_under(prefix);
        for key in &keys {
            let observed = self.with_entry(key, |e| {
                e.invalidated = true;
                (e.observers > 0, false)
            });
            if observed {
                self.start(key, true);
            }
        }
        keys.len()
    }

    fn keys_under(&self, prefix: &QueryKey) -> Vec<QueryKey> {
        self.inner
            .entries
            .borrow()
            .keys()
            .filter(|k| k.starts_with(prefix))
            .cloned()
            .collect()
    }

    /// Watched entries that want it and are stale refetch: the window came back into view.
    pub fn on_focus(&self) {
        self.refetch_watched(|o| o.refetch_on_focus);
    }

    /// The network came back.
    pub fn on_reconnect(&self) {
        self.refetch_watched(|o| o.refetch_on_reconnect);
    }

    fn refetch_watched(&self, wants: impl Fn(&ObserveOptions) -> bool) {
        let now = self.now();
        let due: Vec<QueryKey> = self
            .inner
            .entries
            .borrow()
            .iter()
            .filter(|(_, e)| {
                e.observers > 0 && wants(&e.options) && e.is_stale(now, e.options.stale_time)
            })
            .map(|(k, _)| k.clone())
            .collect();
        for key in &due {
            self.start(key, false);
        }
    }

    /// The cached answer for `key`, if it holds a `T`.
    pub fn get<T: Clone + 'static>(&self, key: &QueryKey) -> Option<T> {
        let entries = self.inner.entries.borrow();
        entries
            .get(key)?
            .data
            .as_ref()?
            .downcast_ref::<T>()
            .cloned()
    }

    /// Writes an answer directly (an optimistic update, or a mutation's result).
    pub fn set<T: 'static>(&self, key: &QueryKey, value: T) {
        let now = self.now();
        self.with_entry(key, |e| {
            e.data = Some(Rc::new(value));
            e.updated_at = now;
            e.generation += 1;
            ((), true)
        });
    }

    /// Edits in place every cached `T` under `prefix`; `edit` says whether it changed
    /// anything. Returns how many entries changed. Entries of other types are left alone, so
    /// one prefix may hold lists and details side by side.
    pub fn update<T: Clone + 'static>(
        &self,
        prefix: &QueryKey,
        mut edit: impl FnMut(&mut T) -> bool,
    ) -> usize {
        let mut changed = 0;
        for key in self.keys_under(prefix) {
            let Some(mut value) = self.get::<T>(&key) else {
                continue;
            };
            if edit(&mut value) {
                self.set(&key, value);
                changed += 1;
            }
        }
        changed
    }

    /// Copies every answer under `prefix`, to put back with [`Self::restore`] if an optimistic
    /// update turns out wrong.
    pub fn snapshot(&self, prefix: &QueryKey) -> Snapshot {
        let entries = self.inner.entries.borrow();
        Snapshot(
            entries
                .iter()
                .filter(|(k, _)| k.starts_with(prefix))
                .map(|(k, e)| (k.clone(), e.data.clone(), e.updated_at))
                .collect(),
        )
    }

    pub fn restore(&self, snapshot: Snapshot) {
        for (key, data, updated_at) in snapshot.0 {
            self.with_entry(&key, |e| {
                e.data = data;
                e.updated_at = updated_at;
                e.generation += 1;
                ((), true)
            });
        }
    }

    /// Forgets everything (sign-out: the next user must not see the last one's data).
    pub fn clear(&self) {
        let entries = std::mem::take(&mut *self.inner.entries.borrow_mut());
        for (_, e) in entries {
            if let Some(c) = e.fetch.and_then(|f| f.abort) {
                c.abort();
            }
            e.changed.notify();
        }
    }

    /// Sets the polling period live lists fall back to while realtime updates are down.
    pub fn set_fallback_interval(&self, ms: Option<u32>) {
        if self.inner.fallback_interval.get_untracked() != ms {
            self.inner.fallback_interval.set(ms);
        }
    }

    /// The polling period for live lists; reading it subscribes the caller.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub fn fallback_interval(&self) -> Option<u32> {
        self.inner.fallback_interval.get()
    }
}
