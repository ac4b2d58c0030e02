//! The plain rendering shown in place of HTML too costly to sanitize (`budget`): a line
//! saying why, then the text, escaped, in a `<pre>` that wraps. It is HTML the sanitizer
//! passes unchanged, so the reader's second cleaning of cached HTML keeps it.

use crate::lang::Lang;

use super::budget::{Over, MAX_BYTES};

/// The notice and `text` as a page body.
pub fn page(text: &str, over: Over) -> String {
    let mut end = text.len().min(MAX_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "<p style=\"font-style:italic\">{}</p><pre class=\"plain\">{}</pre>",
        notice(Lang::current(), over),
        escape(&text[..end])
    )
}

/// The text of an HTML document, without its markup (a linear scan).
pub fn text_of(html: &str) -> String {
    let mut end = html.len().min(MAX_BYTES);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    mail_parser::decoders::html::html_to_text(&html[..end])
}

fn notice(lang: Lang, over: Over) -> &'static str {
    match (lang, over) {
        (Lang::En, Over::Bytes) => "This message is too large to show with its formatting; here is its text.",
        (Lang::En, _) => "This message's formatting is too complex to show safely; here is its text.",
        (Lang::Fr, Over::Bytes) => "Ce message est trop volumineux pour être affiché avec sa mise en forme ; voici son texte.",
        (Lang::Fr, _) => "La mise en forme de ce message est trop complexe pour être affichée sans risque ; voici son texte.",
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
