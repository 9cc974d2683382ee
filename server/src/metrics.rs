//! What the instance measures about itself, rendered at `/metrics` in the Prometheus text
//! format: open sockets by role, events emitted and failed by name, notification latency
//! (domain event to hand-off to the sockets), HTTP latency by route. It also keeps who is
//! connected to which cabinet, for the managers' live dashboard (`metrics:update`).
//!
//! Hand-written rather than a metrics crate: four families, fixed buckets, and a text format
//! of a dozen lines; a registry crate would bring more code than this file.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt::Write;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use nova_contract::{ConnectedByRole, Role};

/// Upper bounds (seconds) of the notification latency buckets.
const DELIVERY_BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];
/// Upper bounds (seconds) of the HTTP latency buckets.
const HTTP_BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];
/// How many recent notification latencies the dashboard's p50/p99 are taken over.
const RECENT: usize = 2048;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A cumulative histogram with fixed buckets.
struct Histogram {
    bounds: &'static [f64],
    counts: Vec<AtomicU64>,
    sum_micros: AtomicU64,
    count: AtomicU64,
}

impl Histogram {
    fn new(bounds: &'static [f64]) -> Self {
        Self {
            bounds,
            counts: bounds.iter().map(|_| AtomicU64::new(0)).collect(),
            sum_micros: AtomicU64::new(0),
            count: AtomicU64::new(0),
        }
    }

    fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        // Non-cumulative per bucket here; cumulated when rendered.
        if let Some(i) = self.bounds.iter().position(|b| secs <= *b) {
            self.counts[i].fetch_add(1, Ordering::Relaxed);
        }
        self.sum_micros
            .fetch_add(d.as_micros() as u64, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        let mut cumulated = 0;
        for (bound, n) in self.bounds.iter().zip(&self.counts) {
            cumulated += n.load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {cumulated}"
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {count}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let braces = |s: &str| {
            if s.is_empty() {
                String::new()
            } else {
                format!("{{{s}}}")
            }
        };
        let _ = writeln!(out, "{name}_sum{} {sum}", braces(labels));
        let _ = writeln!(out, "{name}_count{} {count}", braces(labels));
    }
}

#[derive(Default, Clone, Copy)]
struct EventCounts {
    emitted: u64,
    failed: u64,
}

/// cabinet → role → user → open sockets.
type Roster = HashMap<String, HashMap<Role, HashMap<String, u32>>>;

/// One instance's measurements; shared by the HTTP layer, the notifier and the handshake.
pub struct Metrics {
    sockets: [AtomicI64; 4],
    events: Mutex<BTreeMap<&'static str, EventCounts>>,
    delivery: Histogram,
    recent: Mutex<VecDeque<f64>>,
    http: Mutex<BTreeMap<(String, String), Histogram>>,
    presence: Mutex<Roster>,
    /// Something a dashboard shows has changed since the last push.
    changed: AtomicBool,
    pub(crate) wake: tokio::sync::Notify,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            sockets: Default::default(),
            events: Mutex::default(),
            delivery: Histogram::new(&DELIVERY_BUCKETS),
            recent: Mutex::new(VecDeque::with_capacity(RECENT)),
            http: Mutex::default(),
            presence: Mutex::default(),
            changed: AtomicBool::new(false),
            wake: tokio::sync::Notify::new(),
        }
    }
}

fn role_index(role: Role) -> usize {
    Role::ALL.iter().position(|r| *r == role).unwrap_or(0)
}

impl Metrics {
    pub fn socket_connected(&self, cabinet: &str, role: Role, user: &str) {
        self.sockets[role_index(role)].fetch_add(1, Ordering::Relaxed);
        *lock(&self.presence)
            .entry(cabinet.to_owned())
            .or_default()
            .entry(role)
            .or_default()
            .entry(user.to_owned())
            .or_default() += 1;
        self.mark_changed();
    }

    pub fn socket_disconnected(&self, cabinet: &str, role: Role, user: &str) {
        self.sockets[role_index(role)].fetch_sub(1, Ordering::Relaxed);
        let mut presence = lock(&self.presence);
        if let Some(roles) = presence.get_mut(cabinet) {
            if let Some(users) = roles.get_mut(&role) {
                if let Some(n) = users.get_mut(user) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        users.remove(user);
                    }
                }
                if users.is_empty() {
                    roles.remove(&role);
                }
            }
            if roles.is_empty() {
                presence.remove(cabinet);
            }
        }
        drop(presence);
        self.mark_changed();
    }

    /// People connected to this instance for `cabinet`, by role.
    pub fn connected(&self, cabinet: &str) -> ConnectedByRole {
        let presence = lock(&self.presence);
        let count = |role| {
            presence
                .get(cabinet)
                .and_then(|r| r.get(&role))
                .map_or(0, |u| u.len() as u64)
        };
        ConnectedByRole {
            patients: count(Role::Patient),
            practitioners: count(Role::Practitioner),
            managers: count(Role::Manager),
            admins: count(Role::Admin),
        }
    }

    /// Cabinets with at least one manager connected to this instance.
    pub fn cabinets_with_managers(&self) -> Vec<String> {
        lock(&self.presence)
            .iter()
            .filter(|(_, roles)| roles.contains_key(&Role::Manager))
            .map(|(cabinet, _)| cabinet.clone())
            .collect()
    }

    /// An event was handed to the socket layer (or failed to be), `took` after it was caused.
    pub fn event_sent(&self, event: &'static str, ok: bool, took: Duration) {
        self.event_counted(event, ok);
        if ok {
            self.delivery.observe(took);
            let mut recent = lock(&self.recent);
            if recent.len() == RECENT {
                recent.pop_front();
            }
            recent.push_back(took.as_secs_f64() * 1e3);
        }
    }

    /// An event whose latency says nothing of notifications (the dashboard's own pushes).
    pub fn event_counted(&self, event: &'static str, ok: bool) {
        let mut events = lock(&self.events);
        let counts = events.entry(event).or_default();
        if ok {
            counts.emitted += 1;
        } else {
            counts.failed += 1;
        }
    }

    /// p50 and p99 (milliseconds) of the recent notification latencies.
    pub fn latency_quantiles(&self) -> (Option<f64>, Option<f64>) {
        let mut v: Vec<f64> = lock(&self.recent).iter().copied().collect();
        if v.is_empty() {
            return (None, None);
        }
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        (Some(at(0.5)), Some(at(0.99)))
    }

    pub fn http_request(&self, method: &str, route: &str, took: Duration) {
        lock(&self.http)
            .entry((method.to_owned(), route.to_owned()))
            .or_insert_with(|| Histogram::new(&HTTP_BUCKETS))
            .observe(took);
    }

    /// Something a manager's dashboard shows changed: wake the dashboard pusher.
    pub fn mark_changed(&self) {
        self.changed.store(true, Ordering::Relaxed);
        self.wake.notify_one();
    }

    pub(crate) fn take_changed(&self) -> bool {
        self.changed.swap(false, Ordering::Relaxed)
    }

    /// The Prometheus text exposition (format 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP nova_socket_connections Open Socket.IO connections, by role.\n");
        out.push_str("# TYPE nova_socket_connections gauge\n");
        for role in Role::ALL {
            let n = self.sockets[role_index(role)].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "nova_socket_connections{{role=\"{}\"}} {n}",
                role.room_name()
            );
        }
        let events = lock(&self.events).clone();
        out.push_str("# HELP nova_events_emitted_total Events handed to the socket layer.\n");
        out.push_str("# TYPE nova_events_emitted_total counter\n");
        for (event, c) in &events {
            let _ = writeln!(
                out,
                "nova_events_emitted_total{{event=\"{event}\"}} {}",
                c.emitted
            );
        }
        out.push_str(
            "# HELP nova_events_failed_total Events the socket layer refused (full buffer, \
             adapter error): never silent.\n",
        );
        out.push_str("# TYPE nova_events_failed_total counter\n");
        for (event, c) in &events {
            let _ = writeln!(
                out,
                "nova_events_failed_total{{event=\"{event}\"}} {}",
                c.failed
            );
        }
        out.push_str(
            "# HELP nova_event_delivery_seconds From the domain event to its hand-off to the \
             sockets.\n",
        );
        out.push_str("# TYPE nova_event_delivery_seconds histogram\n");
        self.delivery
            .render(&mut out, "nova_event_delivery_seconds", "");
        out.push_str("# HELP nova_http_request_duration_seconds HTTP latency, by route.\n");
        out.push_str("# TYPE nova_http_request_duration_seconds histogram\n");
        for ((method, route), h) in lock(&self.http).iter() {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            h.render(&mut out, "nova_http_request_duration_seconds", &labels);
        }
        out
    }
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_counts_people_not_tabs_and_forgets_them_when_the_last_tab_closes() {
        let m = Metrics::default();
        m.socket_connected("c1", Role::Patient, "u1");
        m.socket_connected("c1", Role::Patient, "u1");
        m.socket_connected("c1", Role::Manager, "m1");
        m.socket_connected("c2", Role::Patient, "u2");
        assert_eq!(m.connected("c1").patients, 1);
        assert_eq!(m.connected("c1").managers, 1);
        assert_eq!(m.cabinets_with_managers(), vec!["c1".to_string()]);
        m.socket_disconnected("c1", Role::Patient, "u1");
        assert_eq!(m.connected("c1").patients, 1, "one tab still open");
        m.socket_disconnected("c1", Role::Patient, "u1");
        assert_eq!(m.connected("c1").patients, 0);
        assert!(m
            .render()
            .contains("nova_socket_connections{role=\"PATIENT\"} 1"));
    }

    #[test]
    fn histograms_are_cumulative_and_quantiles_come_from_recent_events() {
        let m = Metrics::default();
        for ms in [1, 2, 3, 4, 200] {
            m.event_sent("x:y", true, Duration::from_millis(ms));
        }
        m.event_sent("x:y", false, Duration::ZERO);
        let text = m.render();
        assert!(text.contains("nova_events_emitted_total{event=\"x:y\"} 5"));
        assert!(text.contains("nova_events_failed_total{event=\"x:y\"} 1"));
        assert!(text.contains("nova_event_delivery_seconds_bucket{le=\"0.001\"} 1"));
        assert!(text.contains("nova_event_delivery_seconds_bucket{le=\"0.005\"} 4"));
        assert!(text.contains("nova_event_delivery_seconds_bucket{le=\"+Inf\"} 5"));
        assert!(text.contains("nova_event_delivery_seconds_count 5"));
        let (p50, p99) = m.latency_quantiles();
        assert_eq!(p50, Some(3.0));
        assert_eq!(p99, Some(200.0));
    }
}
