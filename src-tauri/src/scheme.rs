//! `courriel-msg://localhost/<id>?t=<token>`: the reader frame's page. The engine builds
//! the sanitized document and its Content-Security-Policy (`engine::reader`); this serves
//! it with the policy as a header too, so no script runs and nothing remote loads until
//! the user allows it. A page is served only for a token the window asked for
//! (`grants.rs`), once; whether its remote content loads is the window's decision made
//! with the token (or the sender's proven "always"), never something in the address.
//! `/<id>/cid/<content-id>` serves the inline images of the page shown, and nothing else.
//! `&look=dark` asks for the page in the dark theme (`engine::reader::dark`): the window's
//! choice of colours, which decides nothing else.

use courriel_engine::Engine;
use tauri::http::{header, Request, Response, StatusCode, Uri};
use tauri::{AppHandle, Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use crate::grants::Grants;
use crate::state::AppState;

pub const SCHEME: &str = "courriel-msg";

type Served = tauri::http::Result<Response<Vec<u8>>>;

pub fn handle<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app = ctx.app_handle().clone();
    let uri = request.uri().clone();
    tauri::async_runtime::spawn(async move {
        match respond(&app, &uri).await {
            Ok(r) => responder.respond(r),
            Err(e) => tracing::warn!("could not build the reader response: {e}"),
        }
    });
}

async fn respond<R: Runtime>(app: &AppHandle<R>, uri: &Uri) -> Served {
    let state = app.state::<AppState>();
    let Some(engine) = state.shared() else {
        return text(
            StatusCode::SERVICE_UNAVAILABLE,
            "the mail store is not open",
        );
    };
    let grants = app.state::<Grants>();
    let segments: Vec<&str> = uri.path().trim_matches('/').split('/').collect();
    let Some(id) = segments.first().and_then(|s| s.parse::<i64>().ok()) else {
        return text(StatusCode::BAD_REQUEST, "no such message");
    };
    match segments.get(1..) {
        Some([]) | None => {
            let token = uri
                .query()
                .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("t=")))
                .unwrap_or_default();
            let Some(remote) = grants.take(id, token) else {
                return text(
                    StatusCode::FORBIDDEN,
                    "this page was not opened by Courriel",
                );
            };
            let dark = uri
                .query()
                .is_some_and(|q| q.split('&').any(|kv| kv == "look=dark"));
            page(&engine, &grants, &state.trust, uri, id, remote, dark).await
        }
        Some(["cid", rest @ ..]) if !rest.is_empty() => {
            if !grants.may_serve_parts(id) {
                return text(StatusCode::FORBIDDEN, "not a part of the message shown");
            }
            let cid = percent_decode(&rest.join("/"));
            match engine.attachment(id, &format!("cid:{cid}")).await {
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

/// Message `id`'s page, remote content loading when `remote` (or always for its sender).
async fn page(
    engine: &Engine,
    grants: &Grants,
    trust: &courriel_engine::TrustOptions,
    uri: &Uri,
    id: i64,
    remote: bool,
    dark: bool,
) -> Served {
    let origin = format!(
        "{}://{}",
        uri.scheme_str().unwrap_or(SCHEME),
        uri.authority().map_or("localhost", |a| a.as_str())
    );
    let cid_base = format!("{origin}/{id}/cid/");
    match engine.reader_page(id, remote, &cid_base, trust).await {
        Ok(page) => {
            let page = if dark { page.dark() } else { page };
            grants.served(id, page.disguised_links);
            Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
                .header("Content-Security-Policy", page.csp)
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .body(page.html.into_bytes())
        }
        Err(e) => text(StatusCode::NOT_FOUND, &e.message),
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

fn text(status: StatusCode, message: &str) -> Served {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .header("Content-Security-Policy", "default-src 'none'")
        .body(message.as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ids_are_percent_decoded_and_only_images_keep_their_type() {
        assert_eq!(percent_decode("logo%40x.png"), "logo@x.png");
        assert_eq!(percent_decode("bad%4"), "bad%4");
        assert_eq!(safe_type("image/png"), "image/png");
        assert_eq!(safe_type("image/svg+xml"), "application/octet-stream");
        assert_eq!(safe_type("text/html"), "application/octet-stream");
    }
}
