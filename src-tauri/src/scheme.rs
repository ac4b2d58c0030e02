//! `courriel-msg://localhost/<id>[?remote=1]`: the reader frame's page. The engine builds
//! the sanitized document and its Content-Security-Policy (`engine::reader`); this serves
//! it with the policy as a header too, so no script runs and nothing remote loads until
//! the user allows it (`remote=1`, or the sender is allowed always).
//! `/<id>/cid/<content-id>` serves the message's inline images, `/<id>/part/<n>` its
//! attachments.

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
        let response = match engine {
            Some(engine) => respond(&engine, &uri).await,
            None => text(
                StatusCode::SERVICE_UNAVAILABLE,
                "the mail store is not open",
            ),
        };
        match response {
            Ok(r) => responder.respond(r),
            Err(e) => tracing::warn!("could not build the reader response: {e}"),
        }
    });
}

async fn respond(
    engine: &courriel_engine::Engine,
    uri: &tauri::http::Uri,
) -> tauri::http::Result<Response<Vec<u8>>> {
    let segments: Vec<&str> = uri.path().trim_matches('/').split('/').collect();
    let Some(id) = segments.first().and_then(|s| s.parse::<i64>().ok()) else {
        return text(StatusCode::BAD_REQUEST, "no such message");
    };
    match segments.get(1..) {
        Some([]) | None => {
            let remote = uri
                .query()
                .is_some_and(|q| q.split('&').any(|kv| kv == "remote=1"));
            let origin = format!(
                "{}://{}",
                uri.scheme_str().unwrap_or(SCHEME),
                uri.authority().map_or("localhost", |a| a.as_str())
            );
            match engine
                .reader_page(id, remote, &format!("{origin}/{id}/cid/"))
                .await
            {
                Ok(page) => Response::builder()
                    .status(StatusCode::OK)
                    .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
                    .header("Content-Security-Policy", page.csp)
                    .header("Referrer-Policy", "no-referrer")
                    .header("X-Content-Type-Options", "nosniff")
                    .body(page.html.into_bytes()),
                Err(e) => text(StatusCode::NOT_FOUND, &e.message),
            }
        }
        Some([kind @ ("cid" | "part"), rest @ ..]) if !rest.is_empty() => {
            let key = rest.join("/");
            let key = percent_decode(&key);
            let part = if *kind == "cid" {
                format!("cid:{key}")
            } else {
                key
            };
            match engine.attachment(id, &part).await {
                // Served as data: never rendered as a page, never sniffed into one.
                Ok(a) => Response::builder()
                    .status(StatusCode::OK)
                    .header(header::CONTENT_TYPE, safe_type(&a.mime_type))
                    .header("Content-Security-Policy", "default-src 'none'; sandbox")
                    .header("X-Content-Type-Options", "nosniff")
                    .body(a.bytes),
                Err(e) => text(StatusCode::NOT_FOUND, &e.message),
            }
        }
        _ => text(StatusCode::BAD_REQUEST, "no such part"),
    }
}

/// Images keep their type (the reader shows them); anything else is opaque bytes.
fn safe_type(mime: &str) -> &str {
    if mime.starts_with("image/") && mime != "image/svg+xml" {
        mime
    } else {
        "application/octet-stream"
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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

    #[test]
    fn content_ids_are_percent_decoded_and_only_images_keep_their_type() {
        assert_eq!(percent_decode("logo%40x.png"), "logo@x.png");
        assert_eq!(percent_decode("bad%4"), "bad%4");
        assert_eq!(safe_type("image/png"), "image/png");
        assert_eq!(safe_type("image/svg+xml"), "application/octet-stream");
        assert_eq!(safe_type("text/html"), "application/octet-stream");
    }
}
