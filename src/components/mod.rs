//! Reusable views. They get data through props or state, never fetch themselves.

pub mod appointment_item;
pub mod notification_panel;
pub mod offline_banner;
pub mod pager;
pub mod query_view;
pub mod slot_picker;
pub mod stale_note;
pub mod toast_region;
pub mod top_bar;
