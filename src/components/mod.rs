//! Reusable views. They get data through props or state, never fetch themselves.

pub mod appointment_item;
pub mod slot_picker;
pub mod toast_region;
pub mod top_bar;
