//! Toasts: what just happened, briefly. At most five on screen, the rest wait their turn by
//! priority; critical ones stay until dismissed, the others leave after five seconds — but not
//! while the pointer or keyboard focus is on them, so nobody loses a toast they are reading or
//! an action they are about to take.

use std::collections::VecDeque;
use std::fmt;
use std::rc::Rc;

use leptos::prelude::*;
use nova_contract::NoticeKind;
use serde::{Deserialize, Serialize};

pub const MAX_VISIBLE: usize = 5;
const LIFETIME_MS: u64 = 5_000;

/// How much a toast matters (seed 000 `RealtimeNotification.priority`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low,
    Medium,
    High,
    Critical,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
            Priority::Critical => "critical",
        }
    }
}

/// A button on a toast, e.g. accept or reject a request. Running it dismisses the toast.
#[derive(Clone)]
pub struct ToastAction {
    pub label: String,
    pub primary: bool,
    pub run: Rc<dyn Fn()>,
}

impl fmt::Debug for ToastAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

#[derive(Debug, Clone)]
pub struct Toast {
    pub id: u64,
    pub kind: NoticeKind,
    pub priority: Priority,
    pub title: String,
    pub body: Option<String>,
    pub actions: Vec<ToastAction>,
    /// Pointer or focus is on it: its timer waits.
    pub held: bool,
    /// The decision its buttons make (`proposal:{id}`, `appointment:{id}`): once made
    /// elsewhere (the proposal card, another tab), the toast goes.
    pub about: Option<String>,
}

impl Toast {
    pub fn new(kind: NoticeKind, title: impl Into<String>) -> Self {
        Self {
            id: 0,
            kind,
            priority: if kind == NoticeKind::Error {
                Priority::High
            } else {
                Priority::Medium
            },
            title: title.into(),
            body: None,
            actions: Vec::new(),
            held: false,
            about: None,
        }
    }

    pub fn about(mut self, key: String) -> Self {
        self.about = Some(key);
        self
    }

    pub fn body(mut self, body: Option<String>) -> Self {
        self.body = body;
        self
    }

    pub fn priority(mut self, priority: Priority) -> Self {
        self.priority = priority;
        self
    }

    pub fn action(mut self, label: &str, primary: bool, run: impl Fn() + 'static) -> Self {
        self.actions.push(ToastAction {
            label: label.to_owned(),
            primary,
            run: Rc::new(run),
        });
        self
    }

    /// Critical toasts wait for the user; everything else leaves by itself.
    pub fn sticky(&self) -> bool {
        self.priority == Priority::Critical
    }
}

/// The queue rules, free of timers and signals so they test natively.
#[derive(Debug, Default, Clone)]
pub struct ToastQueue {
    /// Oldest first.
    pub visible: Vec<Toast>,
    /// Highest priority first, then oldest first.
    pub waiting: VecDeque<Toast>,
    next_id: u64,
}

impl ToastQueue {
    /// Adds a toast and returns its id and the toasts that appeared because of it (to start
    /// their timers). A critical toast never waits: when the screen is full, the oldest
    /// non-critical one makes room (it stays in the notification centre).
    pub fn push(&mut self, mut toast: Toast) -> (u64, Vec<Toast>) {
        self.next_id += 1;
        toast.id = self.next_id;
        let id = toast.id;
        if self.visible.len() >= MAX_VISIBLE && toast.sticky() {
            if let Some(i) = self.visible.iter().position(|t| !t.sticky()) {
                self.visible.remove(i);
            }
        }
        if self.visible.len() < MAX_VISIBLE {
            self.visible.push(toast.clone());
            return (id, vec![toast]);
        }
        let at = self
            .waiting
            .iter()
            .position(|w| w.priority < toast.priority)
            .unwrap_or(self.waiting.len());
        self.waiting.insert(at, toast);
        (id, Vec::new())
    }

    /// Removes a toast; returns the waiting one that takes its place, if any.
    pub fn dismiss(&mut self, id: u64) -> Option<Toast> {
        let before = self.visible.len();
        self.visible.retain(|t| t.id != id);
        if self.visible.len() == before {
            self.waiting.retain(|t| t.id != id);
            return None;
        }
        let next = self.waiting.pop_front()?;
        self.visible.push(next.clone());
        Some(next)
    }

    /// Ids of the toasts, shown or waiting, about this decision.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub fn about(&self, key: &str) -> Vec<u64> {
        self.visible
            .iter()
            .chain(&self.waiting)
            .filter(|t| t.about.as_deref() == Some(key))
            .map(|t| t.id)
            .collect()
    }

    /// The most recent toast on screen (Escape dismisses it).
    pub fn newest(&self) -> Option<u64> {
        self.visible.iter().map(|t| t.id).max()
    }

    pub fn hold(&mut self, id: u64, held: bool) {
        if let Some(t) = self.visible.iter_mut().find(|t| t.id == id) {
            t.held = held;
        }
    }

    fn is_held(&self, id: u64) -> bool {
        self.visible.iter().any(|t| t.id == id && t.held)
    }
}

#[derive(Clone, Copy)]
pub struct Toasts {
    queue: RwSignal<ToastQueue, LocalStorage>,
}

impl Toasts {
    /// Ids of the visible toasts that pass `filter`, oldest first (a keyed list renders these
    /// and looks each toast up once).
    pub fn ids(&self, filter: impl Fn(&Toast) -> bool) -> Vec<u64> {
        self.queue.with(|q| {
            q.visible
                .iter()
                .filter(|t| filter(t))
                .map(|t| t.id)
                .collect()
        })
    }

    pub fn find(&self, id: u64) -> Option<Toast> {
        self.queue
            .with_untracked(|q| q.visible.iter().find(|t| t.id == id).cloned())
    }

    /// Shows a toast with the default priority for its kind.
    pub fn push(&self, kind: NoticeKind, title: impl Into<String>, body: Option<String>) {
        self.show(Toast::new(kind, title).body(body));
    }

    pub fn show(&self, toast: Toast) -> u64 {
        let (id, shown) = self.queue.try_update(|q| q.push(toast)).unwrap_or_default();
        for t in &shown {
            self.schedule(t);
        }
        id
    }

    pub fn dismiss(&self, id: u64) {
        let promoted = self.queue.try_update(|q| q.dismiss(id)).flatten();
        if let Some(t) = promoted {
            self.schedule(&t);
        }
    }

    /// Takes away the toasts asking for a decision that has been made.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub fn settled(&self, key: &str) {
        for id in self.queue.with_untracked(|q| q.about(key)) {
            self.dismiss(id);
        }
    }

    pub fn dismiss_newest(&self) -> bool {
        match self.queue.with_untracked(ToastQueue::newest) {
            Some(id) => {
                self.dismiss(id);
                true
            }
            None => false,
        }
    }

    /// Nothing on screen depends on it, so it changes without re-rendering (which would
    /// move keyboard focus).
    pub fn hold(&self, id: u64, held: bool) {
        self.queue.update_untracked(|q| q.hold(id, held));
    }

    /// Runs an action's callback and dismisses its toast.
    pub fn act(&self, id: u64, action: &ToastAction) {
        (action.run)();
        self.dismiss(id);
    }

    fn schedule(&self, toast: &Toast) {
        if toast.sticky() {
            return;
        }
        let (this, id) = (*self, toast.id);
        set_timeout(
            move || {
                if this.queue.with_untracked(|q| q.is_held(id)) {
                    this.schedule_again(id);
                } else {
                    this.dismiss(id);
                }
            },
            std::time::Duration::from_millis(LIFETIME_MS),
        );
    }

    fn schedule_again(&self, id: u64) {
        let toast = self
            .queue
            .with_untracked(|q| q.visible.iter().find(|t| t.id == id).cloned());
        if let Some(t) = toast {
            self.schedule(&t);
        }
    }
}

pub fn provide_toasts() -> Toasts {
    let toasts = Toasts {
        queue: RwSignal::new_local(ToastQueue::default()),
    };
    provide_context(toasts);
    toasts
}

pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push(q: &mut ToastQueue, n: usize) -> Vec<bool> {
        (0..n)
            .map(|i| {
                !q.push(Toast::new(NoticeKind::Info, format!("t{i}")))
                    .1
                    .is_empty()
            })
            .collect()
    }

    fn titles(ts: impl IntoIterator<Item = Toast>) -> Vec<String> {
        ts.into_iter().map(|t| t.title).collect()
    }

    #[test]
    fn at_most_five_are_visible_and_the_rest_wait_in_order() {
        let mut q = ToastQueue::default();
        let shown = push(&mut q, 7);
        assert_eq!(shown.iter().filter(|s| **s).count(), 5);
        assert_eq!(q.visible.len(), 5);
        assert_eq!(titles(q.waiting.clone()), ["t5", "t6"]);
        let first = q.visible[0].id;
        let promoted = q.dismiss(first).unwrap();
        assert_eq!(promoted.title, "t5");
        assert_eq!(q.visible.len(), 5);
    }

    #[test]
    fn dismissing_an_unknown_or_waiting_toast_promotes_nothing() {
        let mut q = ToastQueue::default();
        push(&mut q, 6);
        let waiting = q.waiting[0].id;
        assert!(q.dismiss(waiting).is_none());
        assert!(q.waiting.is_empty());
        assert!(q.dismiss(999).is_none());
        assert_eq!(q.visible.len(), 5);
    }

    #[test]
    fn toasts_about_a_decision_are_found_shown_or_waiting() {
        let mut q = ToastQueue::default();
        push(&mut q, 4);
        let ask = |q: &mut ToastQueue, key: &str| {
            q.push(Toast::new(NoticeKind::Info, "ask").about(key.into()))
                .0
        };
        let shown = ask(&mut q, "proposal:1");
        let other = ask(&mut q, "proposal:2");
        let waiting = ask(&mut q, "proposal:1");
        assert_eq!(q.about("proposal:1"), [shown, waiting]);
        assert_eq!(q.about("proposal:2"), [other]);
        assert!(q.about("proposal:3").is_empty());
    }

    #[test]
    fn only_critical_toasts_are_sticky() {
        let error = Toast::new(NoticeKind::Error, "e");
        assert_eq!(error.priority, Priority::High);
        assert!(!error.sticky());
        assert!(Toast::new(NoticeKind::Info, "c")
            .priority(Priority::Critical)
            .sticky());
    }

    #[test]
    fn waiting_toasts_are_ordered_by_priority_then_age() {
        let mut q = ToastQueue::default();
        push(&mut q, 5);
        q.push(Toast::new(NoticeKind::Info, "low").priority(Priority::Low));
        q.push(Toast::new(NoticeKind::Info, "high1").priority(Priority::High));
        q.push(Toast::new(NoticeKind::Info, "medium"));
        q.push(Toast::new(NoticeKind::Info, "high2").priority(Priority::High));
        assert_eq!(
            titles(q.waiting.clone()),
            ["high1", "high2", "medium", "low"]
        );
    }

    #[test]
    fn a_critical_toast_makes_room_at_once() {
        let mut q = ToastQueue::default();
        push(&mut q, 5);
        let (_, shown) = q.push(Toast::new(NoticeKind::Error, "crit").priority(Priority::Critical));
        assert_eq!(titles(shown), ["crit"]);
        assert_eq!(q.visible.len(), 5);
        assert_eq!(q.visible[0].title, "t1", "the oldest made room");
        assert_eq!(q.newest(), Some(q.visible[4].id));
    }

    #[test]
    fn held_toasts_are_remembered() {
        let mut q = ToastQueue::default();
        push(&mut q, 2);
        let id = q.visible[1].id;
        q.hold(id, true);
        assert!(q.is_held(id));
        q.hold(id, false);
        assert!(!q.is_held(id));
    }
}
