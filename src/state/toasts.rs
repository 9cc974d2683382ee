//! Toasts: at most five on screen, the rest wait their turn; each leaves after five seconds
//! unless it is an error, which stays until dismissed.

use std::collections::VecDeque;

use leptos::prelude::*;
use nova_contract::NoticeKind;

pub const MAX_VISIBLE: usize = 5;
const LIFETIME_MS: u32 = 5_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub id: u64,
    pub kind: NoticeKind,
    pub title: String,
    pub body: Option<String>,
}

impl Toast {
    /// Errors wait for the user; everything else leaves by itself.
    pub fn sticky(&self) -> bool {
        self.kind == NoticeKind::Error
    }
}

/// The queue rules, free of timers and signals so they test natively.
#[derive(Debug, Default, Clone)]
pub struct ToastQueue {
    pub visible: Vec<Toast>,
    pub waiting: VecDeque<Toast>,
    next_id: u64,
}

impl ToastQueue {
    /// Adds a toast; returns it when it is shown at once.
    pub fn push(&mut self, kind: NoticeKind, title: String, body: Option<String>) -> Option<Toast> {
        self.next_id += 1;
        let toast = Toast {
            id: self.next_id,
            kind,
            title,
            body,
        };
        if self.visible.len() < MAX_VISIBLE {
            self.visible.push(toast.clone());
            Some(toast)
        } else {
            self.waiting.push_back(toast);
            None
        }
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
}

#[derive(Clone, Copy)]
pub struct Toasts {
    queue: RwSignal<ToastQueue>,
}

impl Toasts {
    pub fn visible(&self) -> Vec<Toast> {
        self.queue.with(|q| q.visible.clone())
    }

    pub fn push(&self, kind: NoticeKind, title: impl Into<String>, body: Option<String>) {
        let shown = self
            .queue
            .try_update(|q| q.push(kind, title.into(), body))
            .flatten();
        if let Some(t) = shown {
            self.schedule(&t);
        }
    }

    pub fn dismiss(&self, id: u64) {
        let promoted = self.queue.try_update(|q| q.dismiss(id)).flatten();
        if let Some(t) = promoted {
            self.schedule(&t);
        }
    }

    fn schedule(&self, toast: &Toast) {
        if toast.sticky() {
            return;
        }
        let (this, id) = (*self, toast.id);
        set_timeout(
            move || this.dismiss(id),
            std::time::Duration::from_millis(LIFETIME_MS.into()),
        );
    }
}

pub fn provide_toasts() -> Toasts {
    let toasts = Toasts {
        queue: RwSignal::new(ToastQueue::default()),
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

    fn push(q: &mut ToastQueue, n: usize) -> Vec<Option<Toast>> {
        (0..n)
            .map(|i| q.push(NoticeKind::Info, format!("t{i}"), None))
            .collect()
    }

    #[test]
    fn at_most_five_are_visible_and_the_rest_wait_in_order() {
        let mut q = ToastQueue::default();
        let shown = push(&mut q, 7);
        assert_eq!(shown.iter().filter(|s| s.is_some()).count(), 5);
        assert_eq!(q.visible.len(), 5);
        assert_eq!(
            q.waiting
                .iter()
                .map(|t| t.title.as_str())
                .collect::<Vec<_>>(),
            ["t5", "t6"]
        );
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
        assert_eq!(q.dismiss(waiting), None);
        assert!(q.waiting.is_empty());
        assert_eq!(q.dismiss(999), None);
        assert_eq!(q.visible.len(), 5);
    }

    #[test]
    fn only_errors_are_sticky() {
        let mut q = ToastQueue::default();
        let e = q.push(NoticeKind::Error, "e".into(), None).unwrap();
        let s = q.push(NoticeKind::Success, "s".into(), None).unwrap();
        assert!(e.sticky() && !s.sticky());
    }
}
