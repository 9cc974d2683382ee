//! Nova RDV in the browser: mounts the app.

mod api;
mod app;
mod components;
mod format;
mod i18n;
mod on_demand;
mod pages;
mod router;
mod state;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
