//! The sanitizer's promises, by example and over generated hostile documents: no output
//! ever holds a script, a frame, a form, an event handler, a relative address or one of a
//! scheme not allowed where it stands; every link opens a new window without an opener.

use super::markup::{self, Tag};
use super::*;

#[test]
fn scripts_and_handlers_go_layout_stays() {
    let dirty = r#"<p style="color:red" onclick="x()">Hi<script>alert(1)</script></p>
<img src="https://tracker.example/p.gif" onerror="steal()"><a href="javascript:evil()">x</a>
<img src="cid:logo@x"><iframe src="https://e.example"></iframe>"#;
    let clean = sanitize(dirty);
    assert!(!clean.contains("script") && !clean.contains("onerror") && !clean.contains("onclick"));
    assert!(!clean.contains("javascript:") && !clean.contains("iframe"));
    assert!(clean.contains(r#"style="color:red""#));
    assert!(clean.contains("cid:logo@x"));
    assert!(clean.contains("https://tracker.example/p.gif"));
}

#[test]
fn relative_addresses_go_they_would_reach_the_app_s_own_pages() {
    let clean = sanitize(
        r##"<a href="?remote=1"><div style="height:100%">cover</div></a><img src="/1">
<a href="//evil.example/x">a</a><img src="1"><a href="">self</a><a href="#top">top</a>
<div style="background:url(/2)">b</div><style>p{background:url('/3')}</style>"##,
    );
    assert!(!clean.contains("remote=1"), "{clean}");
    assert!(!clean.contains("src="), "{clean}");
    assert!(!clean.contains("href="), "{clean}");
    assert!(!clean.contains("/2") && !clean.contains("/3"), "{clean}");
    assert!(
        clean.contains("cover") && clean.contains("url()"),
        "{clean}"
    );
}

#[test]
fn each_place_takes_only_its_schemes() {
    let clean = sanitize(
        r#"<a href="mailto:bob@example.org">m</a><a href="cid:x">c</a><img src="mailto:x@y">
<img src="data:image/png;base64,AAAA"><a href="data:text/html,x">d</a><a href="blob:https://e.example/1">b</a>
<a href="file:///etc/passwd">f</a><a href="courriel-msg://localhost/1">o</a><a href="tel:1">t</a>
<a href="https://ok.example/">w</a><img src="http://ok.example/i.png">"#,
    );
    for gone in [
        "cid:x",
        "mailto:x@y",
        "data:",
        "blob:",
        "file:",
        "courriel-msg:",
        "tel:",
    ] {
        assert!(!clean.contains(gone), "{gone} in {clean}");
    }
    for kept in [
        "mailto:bob@example.org",
        "https://ok.example/",
        "http://ok.example/i.png",
    ] {
        assert!(clean.contains(kept), "{kept} missing from {clean}");
    }
}

#[test]
fn every_link_asks_for_a_new_window_without_an_opener() {
    let clean =
        sanitize(r#"<a href="https://e.example/" target="_self" rel="opener">x</a><a>y</a>"#);
    let links: Vec<Tag> = markup::tags(&clean)
        .into_iter()
        .filter(|t| t.name == "a" && !t.closing)
        .collect();
    assert_eq!(links.len(), 2, "{clean}");
    for a in links {
        assert_eq!(a.attr("target").as_deref(), Some("_blank"), "{clean}");
        assert_eq!(
            a.attr("rel").as_deref(),
            Some("noopener noreferrer"),
            "{clean}"
        );
    }
}

#[test]
fn drafts_lose_what_would_restyle_or_move_the_app() {
    let draft = r#"<style>body{display:none}</style><p class="primary" style="color:red">Hi</p>
<meta http-equiv="refresh" content="0;url=https://e.example/"><form action="https://e.example/"><button>x</button></form>
<base href="https://e.example/"><link rel="stylesheet" href="https://e.example/s.css">"#;
    let clean = sanitize_for_editor(draft);
    for gone in [
        "style>",
        "display:none",
        "class=",
        "meta",
        "form",
        "button",
        "base",
        "link",
    ] {
        assert!(!clean.contains(gone), "{gone} in {clean}");
    }
    assert!(clean.contains(r#"<p style="color:red">Hi</p>"#), "{clean}");
}

// --- Generated documents: a small deterministic generator (no dependency), thousands of
// documents mixing the constructs that have broken sanitizers: hostile schemes and
// encodings, relative forms, raw-text and foreign elements, broken markup.

pub(super) const TAGS: &[&str] = &[
    "a",
    "img",
    "div",
    "p",
    "style",
    "script",
    "svg",
    "math",
    "iframe",
    "form",
    "meta",
    "base",
    "link",
    "object",
    "embed",
    "table",
    "td",
    "font",
    "span",
    "noscript",
    "template",
    "textarea",
    "title",
    "select",
    "input",
    "button",
    "xmp",
    "center",
    "mglyph",
    "annotation-xml",
    "area",
    "video",
    "image",
    "frame",
];
pub(super) const ATTRS: &[&str] = &[
    "href",
    "src",
    "style",
    "onclick",
    "onerror",
    "OnLoad",
    "background",
    "action",
    "formaction",
    "srcset",
    "poster",
    "xlink:href",
    "cite",
    "target",
    "rel",
    "class",
    "data",
    "content",
    "http-equiv",
    "ping",
    "longdesc",
    "title",
    "id",
    "name",
];
pub(super) const VALUES: &[&str] = &[
    "/1",
    "?remote=1",
    "",
    "#x",
    "//evil.example/x",
    "1",
    "./2",
    "../3",
    "courriel-msg://localhost/1",
    "http://courriel-msg.localhost/1",
    "javascript:alert(1)",
    "JaVaScRiPt:x",
    "java\tscript:x",
    " javascript:x",
    "&#106;avascript:x",
    "&#x6a;avascript:x",
    "data:text/html,<script>x</script>",
    "blob:https://e.example/1",
    "file:///etc/passwd",
    "vbscript:x",
    "unknown:x",
    "cid:logo",
    "mailto:a@b.example",
    "https://ok.example/p",
    "http://ok.example/p",
    "https:x",
    "ftp://e.example/",
    "tel:1",
    "background:url(/1)",
    "background:url('courriel-msg://localhost/1')",
    "b:image-set('/1' 1x)",
    "@import '/1';",
    "x:u\\72l(/1)",
    "color:red",
    "background:url(https://ok.example/a.png)",
    "0;url=https://e.example/",
    "refresh",
    "_self",
    "\"><script>x</script>",
];
pub(super) const TEXTS: &[&str] = &[
    "x",
    "<",
    "&",
    "</style>",
    "<!--",
    "-->",
    "]]>",
    "<script>x()</script>",
    "a{background:url(/9)}",
    "@import url(/9);",
    "<img src=/9>",
    "\u{202e}",
    "é",
    "<a href=/9>",
    "\"",
    "'",
    "=",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: enough to walk the grammar, reproducible from the seed.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
    fn chance(&mut self, one_in: u64) -> bool {
        self.next().is_multiple_of(one_in)
    }
}

fn document(rng: &mut Rng, depth: u32) -> String {
    let mut doc = String::new();
    for _ in 0..(1 + rng.next() % 4) {
        if depth > 4 || rng.chance(3) {
            doc.push_str(rng.pick(TEXTS));
            continue;
        }
        let tag = rng.pick(TAGS);
        doc.push('<');
        doc.push_str(tag);
        for _ in 0..(rng.next() % 4) {
            let quote = rng.pick(&["\"", "'", ""]);
            doc.push_str(&format!(
                " {}={quote}{}{quote}",
                rng.pick(ATTRS),
                rng.pick(VALUES)
            ));
        }
        doc.push('>');
        doc.push_str(&document(rng, depth + 1));
        if !rng.chance(4) {
            doc.push_str(&format!("</{tag}>"));
        }
    }
    doc
}

/// What must hold of any sanitizer output; the reason it does not, if it does not.
pub(crate) fn broken_promise(clean: &str) -> Option<String> {
    let forbidden = [
        "script", "iframe", "frame", "form", "meta", "base", "link", "object", "embed", "svg",
        "math", "input", "button", "textarea", "template", "noscript", "video", "image",
    ];
    for tag in markup::tags(clean) {
        if forbidden.contains(&tag.name) {
            return Some(format!("a <{}> element", tag.name));
        }
        for (name, _) in &tag.attrs {
            let value = tag.attr(name).unwrap_or_default();
            if name.to_ascii_lowercase().starts_with("on") {
                return Some(format!("a handler {name}"));
            }
            if *name == "href" && tag.name != "a" {
                return Some(format!("a link on <{}>", tag.name)); // without target=_blank
            }
            if *name == "style" {
                if let Some(why) = unsafe_css(&value) {
                    return Some(why);
                }
            } else if [
                "href",
                "src",
                "cite",
                "xlink:href",
                "background",
                "action",
                "srcset",
            ]
            .contains(name)
                && !allowed_url(tag.name, name, &value)
            {
                return Some(format!("{name}={value:?} on <{}>", tag.name));
            }
        }
        if tag.name == "a" && !tag.closing && tag.attr("target").as_deref() != Some("_blank") {
            return Some("a link without target=_blank".into());
        }
        if tag.name == "style" && !tag.closing {
            let end = markup::style_text_end(clean, tag.end);
            if let Some(why) = unsafe_css(&clean[tag.end..end]) {
                return Some(why);
            }
        }
    }
    None
}

fn unsafe_css(css: &str) -> Option<String> {
    let lower = css.to_ascii_lowercase();
    if lower.contains('\\') || lower.contains('<') || lower.contains("@import") {
        return Some(format!("CSS {css:?}"));
    }
    if lower.contains("image-set(") {
        return Some(format!("image-set in {css:?}"));
    }
    for (at, _) in lower.match_indices("url(") {
        let arg = lower[at + 4..].trim_start().trim_start_matches(['"', '\'']);
        if !(arg.starts_with(')') || arg.starts_with("http://") || arg.starts_with("https://")) {
            return Some(format!("url() to {arg:?}"));
        }
    }
    None
}

#[test]
fn no_generated_document_breaks_a_promise() {
    for seed in 1..=3000u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let dirty = document(&mut rng, 0);
        for (which, clean) in [
            ("reader", sanitize(&dirty)),
            ("editor", sanitize_for_editor(&dirty)),
        ] {
            if let Some(why) = broken_promise(&clean) {
                panic!("seed {seed} ({which}): {why}\n in: {dirty}\nout: {clean}");
            }
        }
    }
}

#[test]
fn the_checker_sees_what_it_must_refuse() {
    for bad in [
        r#"<a href="/1" target="_blank">x</a>"#,
        r#"<img src="data:image/png,x">"#,
        r#"<a href="https://e.example/">x</a>"#,
        r#"<p style="background:url(/1)">x</p>"#,
        r#"<style>@import "/1";</style>"#,
        r#"<p onclick="x()">x</p>"#,
        r#"<script>x</script>"#,
    ] {
        assert!(broken_promise(bad).is_some(), "{bad}");
    }
    assert!(broken_promise(r#"<a href="https://e.example/" target="_blank">x</a>"#).is_none());
}
