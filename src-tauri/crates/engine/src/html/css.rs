//! CSS from a message (a `style` attribute or a `<style>` element), unable to point at
//! anything but the web. A relative `url(/5)` in the reader's frame would load another
//! message's page from the app's own scheme, `url(data:...)` or `url(courriel-msg:...)`
//! something the message did not carry; the Content-Security-Policy still decides
//! whether web addresses load (not until the user allows remote content).
//!
//! Rather than parse CSS, the text is made plain first: backslash escapes are removed
//! (`u\72l(` is `url(` to a browser, and escapes have no use in mail worth that risk) and
//! so is `<` (no CSS needs it; a `<style>` must not look like markup). Then every `url(`
//! whose address is not http(s) is emptied, and the two other ways CSS names a resource,
//! `@import "x"` and `image-set("x" 1x)`, are renamed into rules no browser knows.

/// `css` with only http(s) resources left.
pub fn scrub(css: &str) -> String {
    let plain: String = css.chars().filter(|c| !matches!(c, '\\' | '<')).collect();
    // ASCII lowercasing keeps every byte offset: `lower` indexes `plain`.
    let lower = plain.to_ascii_lowercase();
    let mut out = String::with_capacity(plain.len());
    let mut i = 0;
    while i < plain.len() {
        let rest = &lower[i..];
        if rest.starts_with("url(") {
            let end = url_end(&plain, i + 4);
            if is_web(&plain[i + 4..end]) {
                out.push_str(&plain[i..end]);
            } else {
                out.push_str("url()");
            }
            i = end;
        } else if rest.starts_with("@import") {
            out.push_str("@_import");
            i += "@import".len();
        } else if rest.starts_with("image-set(") {
            out.push_str("image_set(");
            i += "image-set(".len();
        } else {
            let c = plain[i..].chars().next().unwrap_or_default();
            out.push(c);
            i += c.len_utf8().max(1);
        }
    }
    out
}

/// One past the `)` closing a `url(` whose argument starts at `from` (quoted or not).
fn url_end(css: &str, from: usize) -> usize {
    let bytes = css.as_bytes();
    let mut i = from;
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    if let Some(&q @ (b'"' | b'\'')) = bytes.get(i) {
        i = css[i + 1..]
            .find(q as char)
            .map_or(css.len(), |j| i + 1 + j + 1);
    }
    css[i.min(css.len())..]
        .find(')')
        .map_or(css.len(), |j| i + j + 1)
}

/// Whether a `url(...)` argument (with its closing parenthesis) is an http(s) address.
fn is_web(arg: &str) -> bool {
    let address = arg
        .trim_end_matches(')')
        .trim()
        .trim_matches(['"', '\''])
        .trim()
        .to_ascii_lowercase();
    address.starts_with("https://") || address.starts_with("http://")
}

/// Every `<style>` element's text in sanitized HTML scrubbed (see the module doc).
pub fn scrub_style_elements(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for tag in super::markup::tags(html) {
        if tag.name == "style" && !tag.closing {
            let end = super::markup::style_text_end(html, tag.end);
            out.push_str(&html[copied..tag.end]);
            out.push_str(&scrub(&html[tag.end..end]));
            copied = end;
        }
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_survive() {
        assert_eq!(
            scrub("background:url(/5) ; color:red"),
            "background:url() ; color:red"
        );
        assert_eq!(
            scrub("background:URL( 'courriel-msg://localhost/1' )"),
            "background:url()"
        );
        assert_eq!(
            scrub("background:url(\"https://e.example/a.png\")"),
            "background:url(\"https://e.example/a.png\")"
        );
        assert_eq!(scrub("background:u\\72l(/5)"), "background:u72l(/5)");
        assert_eq!(
            scrub("@import '/5'; b{background:-webkit-image-set('/5' 1x)}"),
            "@_import '/5'; b{background:-webkit-image_set('/5' 1x)}"
        );
        assert_eq!(scrub("a{b:url(data:image/png,x"), "a{b:url()");
        assert_eq!(scrub("é:url(é)"), "é:url()");
    }

    #[test]
    fn style_elements_are_scrubbed_in_place() {
        let html =
            r#"<p title="<style>">x</p><style>a{background:url(/1)}</style><p style="a">y</p>"#;
        assert_eq!(
            scrub_style_elements(html),
            r#"<p title="<style>">x</p><style>a{background:url()}</style><p style="a">y</p>"#
        );
    }
}
