//! Where the main window may go, and how a link in a message leaves for the system
//! browser.
//!
//! The window never leaves the app: every navigation of it or of a frame inside it to
//! anything but the app's own pages and the reader's scheme is refused (`plugin`), so
//! neither a draft's markup nor a message can take it anywhere.
//!
//! Links leave by one path on every webview. The sanitizer gives each link
//! `target="_blank"` (`engine::html`), the reader's frame allows popups and nothing
//! else, so a click is a new-window request, which the window's handler (`main_window`)
//! refuses after handing the address to the system's opener (tauri-plugin-opener), or
//! first to the user when the link's text names another address (the `confirm-link`
//! event, `grants.rs`). Only http(s) and `mailto:` leave; other schemes go nowhere. A
//! navigation of the frame would not do: the window's CSP (`frame-src`) blocks it before
//! any hook runs, and WebView2 does not report a frame's navigations at all.
//! - WebKitGTK (Linux): `create` signal, through wry. Tested for real: tests/e2e/reader.e2e.mjs
//!   clicks links in the running app and reads what a stand-in `xdg-open` received.
//! - WKWebView (macOS): `createWebViewWithConfiguration`, which WebKit calls for a
//!   `target=_blank` click in any frame; WebView2 (Windows): `NewWindowRequested`, raised
//!   for a frame's `target=_blank` too. By design, through the same wry handler; no test
//!   runs there.

use tauri::webview::NewWindowResponse;
use tauri::{AppHandle, Emitter, Manager, Runtime, Url, WebviewWindowBuilder};
use tauri_plugin_opener::OpenerExt;

use crate::grants::Grants;

/// The event asking the window to show a disguised link's real address.
pub const CONFIRM_LINK: &str = "confirm-link";

/// Refuses every navigation away from the app (see the module doc).
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("courriel-links")
        .on_navigation(|_, url| {
            let stays = stays_in_app(url);
            if !stays {
                tracing::warn!("refused to navigate the window to {url}");
            }
            stays
        })
        .build()
}

/// The main window, from tauri.conf.json (`create: false` there), with the new-window
/// handler through which links leave.
pub fn main_window<R: Runtime>(app: &tauri::App<R>) -> tauri::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    let handle = app.handle().clone();
    WebviewWindowBuilder::from_config(app.handle(), &config)?
        .on_new_window(move |url, _| {
            leave(&handle, &url);
            NewWindowResponse::Deny
        })
        .build()?;
    Ok(())
}

/// A link clicked in a message: to the system browser, or first to the user.
fn leave<R: Runtime>(app: &AppHandle<R>, url: &Url) {
    if !matches!(url.scheme(), "http" | "https" | "mailto") {
        tracing::warn!("a link to {} is not opened", url.scheme());
        return;
    }
    match app.state::<Grants>().confirmation(url.as_str()) {
        Some(ask) => {
            if let Err(e) = app.emit(CONFIRM_LINK, ask) {
                tracing::warn!("could not ask about a link: {e}");
            }
        }
        None => {
            if let Err(e) = open(app, url.as_str()) {
                tracing::warn!("{e}");
            }
        }
    }
}

/// Hands `url` to the system's opener (the default browser, the mail handler).
pub fn open<R: Runtime>(app: &AppHandle<R>, url: &str) -> Result<(), String> {
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| format!("could not open {url}: {e}"))
}

/// The window's own pages (the embedded UI; the dev server in a dev build) and the
/// reader's pages; a fresh frame's `about:blank`.
pub fn stays_in_app(url: &Url) -> bool {
    let host = url.host_str();
    match url.scheme() {
        "tauri" | "courriel-msg" => host == Some("localhost"),
        // Windows serves custom schemes as http://<scheme>.localhost.
        "http" | "https" if matches!(host, Some("tauri.localhost" | "courriel-msg.localhost")) => {
            true
        }
        "http" => cfg!(dev) && host == Some("localhost") && url.port() == Some(1420),
        "about" => matches!(url.as_str(), "about:blank" | "about:srcdoc"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_stays_on_the_app_and_the_reader() {
        let u = |s: &str| Url::parse(s).expect("url");
        for inside in [
            "tauri://localhost/index.html",
            "http://tauri.localhost/",
            "courriel-msg://localhost/12?t=abc",
            "http://courriel-msg.localhost/12",
            "about:blank",
        ] {
            assert!(stays_in_app(&u(inside)), "{inside}");
        }
        for outside in [
            "https://example.org/x",
            "http://127.0.0.1:8080/",
            "mailto:bob@example.org",
            "courriel-msg://evil/1",
            "file:///etc/passwd",
            "data:text/html,x",
            "javascript:alert(1)",
            "about:config",
            "ftp://example.org/",
        ] {
            assert!(!stays_in_app(&u(outside)), "{outside}");
        }
    }
}
