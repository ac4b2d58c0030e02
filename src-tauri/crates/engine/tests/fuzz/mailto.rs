//! `mailto:` links from anywhere (a web page, another program): a draft or a typed
//! error, and never more than RFC 6068 allows: no sender, no attachment, a subject on one
//! line.

use courriel_engine::mailto;
use proptest::prelude::*;

use super::{config, pick};

/// A percent-encoded, or not, piece of a link.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        pick(&[
            "a@example.org",
            "\"Doe, Jane\" <jane@example.org>",
            "x@y;z@w",
            "%0D%0ABcc:%20evil@x",
            "%E9t%E9",
            "%C3%A9",
            "%",
            "%G1",
            "%00",
            "+",
            "<id@x>",
            "&",
            "=",
            "?",
            "#frag",
            "//",
            "\u{202e}",
        ])
        .prop_map(str::to_owned),
        "[ -~]{0,10}",
    ]
}

fn link() -> impl Strategy<Value = String> {
    let key = pick(&[
        "to",
        "cc",
        "bcc",
        "subject",
        "SUBJECT",
        "body",
        "in-reply-to",
        "from",
        "attach",
        "attachment",
        "reply-to",
        "x-evil",
        "",
    ]);
    let field = (key, proptest::collection::vec(piece(), 0..3))
        .prop_map(|(k, v)| format!("{k}={}", v.concat()));
    (
        pick(&["mailto:", "MAILTO:", " mailto:", "mailto://", "mail:"]),
        proptest::collection::vec(piece(), 0..3),
        proptest::collection::vec(field, 0..6),
    )
        .prop_map(|(scheme, path, fields)| {
            format!("{scheme}{}?{}", path.concat(), fields.join("&"))
        })
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn a_link_gives_a_draft_and_nothing_more(url in link()) {
        if let Ok(draft) = mailto::parse(&url) {
            prop_assert!(draft.from.is_none());
            prop_assert!(draft.attachments.is_empty());
            prop_assert!(!draft.subject.chars().any(char::is_control), "{:?}", draft.subject);
            for address in draft.to.iter().chain(&draft.cc).chain(&draft.bcc) {
                prop_assert!(!address.contains(['\r', '\n']), "{address:?}");
            }
        }
    }

    #[test]
    fn any_text_is_a_draft_or_an_error(url in ".{0,120}") {
        let _ = mailto::parse(&url);
    }
}
