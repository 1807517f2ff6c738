//! 邻里: the representative's offline workspace in the browser.

mod app;
mod authors;
mod clock;
mod community;
mod engine;
mod i18n;
mod phone_local;
mod photos;
mod presence;
mod pwa;
mod qr;
mod random;
mod route;
mod scroll;
mod session;
mod standing;
mod storage;
mod sync;
mod text_size;
mod views;
mod workspace;
mod write;

fn main() {
    clock::mark("linli:main");
    console_error_panic_hook::set_once();
    text_size::apply(text_size::saved());
    leptos::mount::mount_to_body(app::App);
}
