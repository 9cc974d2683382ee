//! Screens, one folder per role, plus sign-in and the messages screen both patients and staff use.

pub mod login;
pub mod manager;
pub mod messages;
pub mod not_found;
pub mod patient;
pub mod practitioner;

use nova_contract::Role;

/// Where each role lands after signing in.
pub fn home_path(role: Role) -> &'static str {
    match role {
        Role::Patient => "/patient",
        Role::Practitioner | Role::Admin => "/practitioner",
        Role::Manager => "/manager",
    }
}
