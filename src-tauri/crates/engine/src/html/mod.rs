//! Message HTML made safe to show: ammonia keeps the markup mail needs (tables, inline
//! styles, images) and drops scripts, event handlers, forms, frames and unknown schemes.
//! Remote content (images, CSS url()) is not stripped here: the reader blocks it with its
//! Content-Security-Policy until the user allows it, which a sanitizer cannot undo.
//!
//! Every address left must be absolute and of a kind the reader expects: links to
//! `https:`, `http:` or `mailto:`; images from `https:`, `http:` or the message's own
//! `cid:` parts; CSS only `url(http...)` (`css`). A relative address would resolve
//! against the reader's own scheme (`courriel-msg://localhost/<id>`): `href="?remote=1"`
//! reloaded the frame with remote content on, `src="/5"` showed message 5 inside the
//! attacker's. `data:`, `blob:`, `file:`, `javascript:` and every other scheme go too.
//! Every link gets `target="_blank"` and `rel="noopener noreferrer"`: a click asks for a
//! new window, which the shell turns into the system browser on every webview
//! (src-tauri/src/links.rs), and never navigates the frame.
//!
//! Draft HTML goes into the main window's editor, not into a frame of its own: it is
//! cleaned the same way, and loses its `<style>` elements and classes too
//! ([`sanitize_for_editor`]), which would restyle the app around it.

mod active;
pub(crate) mod budget;
mod css;
#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod heavy_tests;
mod lex;
pub(crate) mod markup;
mod plain;
#[cfg(test)]
pub(crate) mod tests;

use std::borrow::Cow;
use std::sync::OnceLock;

use ammonia::{Builder, Url, UrlRelative};

/// Received HTML for the reader's frame. Past the budget (too big, too many tags, too
/// deep: `budget`), a plain rendering of its text instead, saying so.
pub fn sanitize(html: &str) -> String {
    sanitize_or(html, None)
}

/// As [`sanitize`]; past the budget, `text` (the message's own text/plain part) is shown
/// rather than a rendering of the HTML.
pub fn sanitize_or(html: &str, text: Option<&str>) -> String {
    if let Err(over) = budget::check(html) {
        return plain_instead(html, text, over);
    }
    static READER: OnceLock<Builder<'static>> = OnceLock::new();
    let clean = READER.get_or_init(|| builder(true)).clean(html).to_string();
    css::scrub_style_elements(&clean)
}

/// Draft HTML for the composer in the main window: as [`sanitize`], without `<style>`
/// elements or classes.
pub fn sanitize_for_editor(html: &str) -> String {
    if let Err(over) = budget::check(html) {
        return plain_instead(html, None, over);
    }
    static EDITOR: OnceLock<Builder<'static>> = OnceLock::new();
    EDITOR
        .get_or_init(|| builder(false))
        .clean(html)
        .to_string()
}

fn plain_instead(html: &str, text: Option<&str>, over: budget::Over) -> String {
    tracing::info!("message HTML past the budget ({over:?}): shown as plain text");
    match text {
        Some(text) => plain::page(text, over),
        None => plain::page(&plain::text_of(html), over),
    }
}

fn builder(style_elements: bool) -> Builder<'static> {
    let mut b = Builder::default();
    b.add_generic_attributes([
        "style", "align", "valign", "width", "height", "bgcolor", "dir",
    ])
    .add_tags(["center", "font"])
    .add_tag_attributes("font", ["color", "face", "size"])
    .add_tag_attributes("td", ["colspan", "rowspan", "nowrap"])
    .add_tag_attributes("table", ["border", "cellpadding", "cellspacing"])
    .url_schemes(["http", "https", "mailto", "cid"].into())
    .url_relative(UrlRelative::Deny)
    .attribute_filter(filter)
    // Links open in the system browser, from a new-window request (module doc).
    .set_tag_attribute_value("a", "target", "_blank")
    .link_rel(Some("noopener noreferrer"));
    if style_elements {
        b.add_generic_attributes(["class"])
            .add_tags(["style"])
            .rm_clean_content_tags(["style"]);
    }
    b
}

/// ammonia checks schemes for every URL attribute alike; this says which scheme fits
/// where, and scrubs inline CSS.
fn filter<'a>(element: &str, attribute: &str, value: &'a str) -> Option<Cow<'a, str>> {
    match attribute {
        "style" => Some(Cow::Owned(css::scrub(value))),
        "href" | "src" | "cite" | "xlink:href" | "background" | "poster" | "action"
        | "formaction" | "data" | "ping" | "longdesc" => {
            allowed_url(element, attribute, value).then_some(Cow::Borrowed(value))
        }
        "srcset" => None,
        _ => Some(Cow::Borrowed(value)),
    }
}

/// Whether `value` is an absolute address of a scheme allowed on `element`'s `attribute`.
pub fn allowed_url(element: &str, attribute: &str, value: &str) -> bool {
    let Ok(url) = Url::parse(value) else {
        return false; // relative, or not an address at all
    };
    let schemes: &[&str] = match (element, attribute) {
        ("a", "href") => &["https", "http", "mailto"],
        ("img", "src") => &["https", "http", "cid"],
        _ => &["https", "http"],
    };
    schemes.contains(&url.scheme())
}
