//! A manager's announcement to the people of their cabinet connected now.

use nova_contract::{names, NoticeKind, Role};

use super::{rooms, Notifier};

impl Notifier {
    /// Volatile `notification:general` to the cabinet, or to one role of it.
    pub async fn announcement(&self, cabinet: &str, audience: Option<Role>, message: &str) {
        let room = match audience {
            Some(role) => rooms::cabinet_role(cabinet, role),
            None => rooms::cabinet(cabinet),
        };
        self.to_rooms(
            vec![room],
            names::NOTIFICATION_GENERAL,
            NoticeKind::Info,
            message.to_owned(),
            serde_json::json!({ "kind": "announcement", "audience": audience }),
        )
        .await;
    }
}
