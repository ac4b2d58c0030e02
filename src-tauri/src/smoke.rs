//! `COURRIEL_SMOKE=1`: the app quits by itself, exit code 0, as soon as its main window
//! exists and its page has loaded: the smoke start of ci.yml on Windows and macOS (and of
//! `tests/smoke/run` here, under Xvfb). A page that has not loaded within 60 seconds
//! ends the app with exit code 1, so a broken start fails the check instead of hanging it.

use std::time::Duration;

use tauri::webview::{PageLoadEvent, PageLoadPayload};
use tauri::{Manager, Runtime, Webview};

/// The variable that asks for it.
pub const ENV: &str = "COURRIEL_SMOKE";

/// How long the page may take to load.
const DEADLINE: Duration = Duration::from_secs(60);

fn enabled() -> bool {
    std::env::var_os(ENV).is_some_and(|v| v == "1")
}

/// Every webview's page loads go through here: the main one's first finished load of the
/// app's own page (not a dev server's, not an error page's) ends a smoke start.
pub fn on_page_load<R: Runtime>(webview: &Webview<R>, payload: &PageLoadPayload<'_>) {
    if !enabled() || webview.label() != "main" || payload.event() != PageLoadEvent::Finished {
        return;
    }
    if !is_bundled_page(payload.url()) {
        eprintln!("smoke: {} is not the app's own page", payload.url());
        return;
    }
    println!("smoke: the main window loaded {}", payload.url());
    webview.app_handle().exit(0);
}

/// The UI embedded in the binary: `tauri://localhost` (Linux, macOS) or
/// `http://tauri.localhost` (WebView2 on Windows).
fn is_bundled_page(url: &tauri::Url) -> bool {
    matches!(
        (url.scheme(), url.host_str()),
        ("tauri", Some("localhost")) | ("http" | "https", Some("tauri.localhost"))
    )
}

/// From the app's setup: the deadline, in a smoke start only.
pub fn start_deadline() {
    if !enabled() {
        return;
    }
    std::thread::spawn(|| {
        std::thread::sleep(DEADLINE);
        eprintln!(
            "smoke: the main window did not load within {} s",
            DEADLINE.as_secs()
        );
        std::process::exit(1);
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_embedded_page_counts() {
        let is = |u: &str| super::is_bundled_page(&u.parse().expect("url"));
        assert!(is("tauri://localhost"));
        assert!(is("tauri://localhost/index.html"));
        assert!(is("http://tauri.localhost/"));
        assert!(!is("http://localhost:5173/"), "the dev server");
        assert!(!is("about:blank"));
        assert!(!is("courriel-msg://localhost/1"));
    }
}
