//! `courriel-msg://localhost/<id>[?remote=1]`: the reader frame's page. The engine builds
//! the sanitized document and its Content-Security-Policy (`engine::reader`); this serves
//! it with the policy as a header too, so no script runs and nothing remote loads until
//! the user allows it (`remote=1`, or the sender is allowed always).

use tauri::http::{header, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use crate::state::AppState;

pub const SCHEME: &str = "courriel-msg";

pub fn handle<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let engine = ctx.app_handle().state::<AppState>().shared();
    let uri = request.uri().clone();
    tauri::async_runtime::spawn(async move {
        let id = uri.path().trim_matches('/').parse::<i64>().ok();
        let remote = uri
            .query()
            .is_some_and(|q| q.split('&').any(|kv| kv == "remote=1"));
        let response = match (engine, id) {
            (Some(engine), Some(id)) => match engine.reader_page(id, remote).await {
                Ok(page) => Response::builder()
                    .status(StatusCode::OK)
                    .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
                    .header("Content-Security-Policy", page.csp)
                    .header("Referrer-Policy", "no-referrer")
                    .header("X-Content-Type-Options", "nosniff")
                    .body(page.html.into_bytes()),
                Err(e) => text(StatusCode::NOT_FOUND, &e.message),
            },
            _ => text(StatusCode::BAD_REQUEST, "no such message"),
        };
        match response {
            Ok(r) => responder.respond(r),
            Err(e) => tracing::warn!("could not build the reader response: {e}"),
        }
    });
}

fn text(status: StatusCode, message: &str) -> tauri::http::Result<Response<Vec<u8>>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .header("Content-Security-Policy", "default-src 'none'")
        .body(message.as_bytes().to_vec())
}

/// Whether a navigation stays in the app (its own pages, the reader scheme) or is a link
/// to open in the system browser instead.
pub fn stays_in_app(url: &tauri::Url) -> bool {
    match url.scheme() {
        "http" | "https" => matches!(
            url.host_str(),
            Some("localhost" | "tauri.localhost" | "ipc.localhost" | "courriel-msg.localhost")
        ),
        "mailto" => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_links_leave_the_app_its_own_pages_do_not() {
        let u = |s: &str| tauri::Url::parse(s).expect("url");
        assert!(!stays_in_app(&u("https://example.org/x")));
        assert!(!stays_in_app(&u("http://127.0.0.1:8080/")));
        assert!(!stays_in_app(&u("mailto:bob@example.org")));
        assert!(stays_in_app(&u("tauri://localhost/index.html")));
        assert!(stays_in_app(&u("courriel-msg://localhost/12?remote=1")));
        assert!(stays_in_app(&u("http://localhost:1420/")));
        assert!(stays_in_app(&u("about:blank")));
    }
}
