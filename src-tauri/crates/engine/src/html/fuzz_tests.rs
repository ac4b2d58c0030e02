//! Property tests (proptest) of the sanitizer and its budget, over documents built from
//! the constructs that break sanitizers (`tests`' vocabulary of tags, attributes, hostile
//! addresses and texts), nested and repeated, and over arbitrary text. `make test` runs a
//! short pass; `make fuzz` sets PROPTEST_CASES for a long one.

use proptest::prelude::*;

use super::tests::{broken_promise, ATTRS, TAGS, TEXTS, VALUES};
use super::*;

/// `default` cases, or PROPTEST_CASES when set (`make fuzz`).
fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn pick(from: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(from)
}

/// One attribute, quoted any way, with a hostile or ordinary value.
fn attribute() -> impl Strategy<Value = String> {
    (pick(ATTRS), pick(VALUES), pick(&["\"", "'", ""]))
        .prop_map(|(name, value, q)| format!(" {name}={q}{value}{q}"))
}

/// A document: text, or elements holding documents, closed or not, `/>` or not.
fn document() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        pick(TEXTS).prop_map(str::to_owned),
        "[a-z <>&\"'=/!-]{0,12}"
    ];
    leaf.prop_recursive(5, 64, 4, |inner| {
        (
            pick(TAGS),
            proptest::collection::vec(attribute(), 0..4),
            proptest::collection::vec(inner, 0..4),
            0..4u8,
        )
            .prop_map(|(tag, attrs, children, ending)| {
                let open = format!(
                    "<{tag}{}{}>",
                    attrs.concat(),
                    if ending == 3 { "/" } else { "" }
                );
                let close = if ending == 0 {
                    String::new()
                } else {
                    format!("</{tag}>")
                };
                format!("{open}{}{close}", children.concat())
            })
    })
}

proptest! {
    #![proptest_config(config(256))]

    /// No output ever holds a script, a handler, a relative or a foreign address (the
    /// promise `tests` states), in the reader or the composer.
    #[test]
    fn no_document_breaks_a_promise(doc in document()) {
        for (which, clean) in [("reader", sanitize(&doc)), ("editor", sanitize_for_editor(&doc))] {
            if let Some(why) = broken_promise(&clean) {
                panic!("{which}: {why}\n in: {doc}\nout: {clean}");
            }
        }
    }

    /// Arbitrary text: no panic, and the promise holds.
    #[test]
    fn any_text_is_made_safe(doc in ".{0,300}") {
        prop_assert!(broken_promise(&sanitize(&doc)).is_none());
    }
}

/// How deep sanitized HTML nests.
fn nesting(clean: &str) -> usize {
    let void = ["br", "img", "hr", "col", "area", "wbr"];
    let (mut depth, mut deepest) = (0usize, 0usize);
    for tag in markup::tags(clean)
        .iter()
        .filter(|t| !void.contains(&t.name))
    {
        if tag.closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

/// Tags that steer the parser's tree building: blocks, formatting elements it re-opens,
/// table parts, list items, scope boundaries, foreign content and its exits.
const TREE_TAGS: &[&str] = &[
    "div",
    "p",
    "span",
    "b",
    "i",
    "s",
    "u",
    "em",
    "strong",
    "nobr",
    "a",
    "font",
    "table",
    "tbody",
    "tr",
    "td",
    "th",
    "caption",
    "colgroup",
    "col",
    "ul",
    "ol",
    "li",
    "dl",
    "dd",
    "dt",
    "h1",
    "h2",
    "form",
    "button",
    "select",
    "option",
    "applet",
    "marquee",
    "object",
    "template",
    "svg",
    "math",
    "mi",
    "foreignObject",
    "desc",
    "title",
    "style",
    "plaintext",
    "html",
    "body",
    "head",
    "br",
    "img",
    "hr",
    "input",
    "frameset",
    "textarea",
    "xmp",
];

/// A document of tree-building tags, opened and closed in any order.
fn tree_document() -> impl Strategy<Value = String> {
    let tag = (pick(TREE_TAGS), 0..5u8, 0..3u8).prop_map(|(name, how, attr)| {
        let attr = ["", " color=\"1\"", " id=x"][attr as usize];
        match how {
            0 => format!("</{name}>"),
            1 => format!("<{name}{attr}/>"),
            _ => format!("<{name}{attr}>"),
        }
    });
    proptest::collection::vec(prop_oneof![tag, Just("x".to_owned())], 1..8)
        .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(config(64))]

    /// As below, over tree-building tags in any order.
    #[test]
    fn what_the_budget_lets_through_is_not_deep_either(
        unit in tree_document(),
        times in 200..1200usize,
    ) {
        let doc = unit.repeat(times);
        if budget::check(&doc).is_ok() {
            let deepest = nesting(&sanitize(&doc));
            prop_assert!(deepest <= 2 * budget::MAX_DEPTH, "nesting {deepest}: {unit}");
        }
    }


    /// The budget's estimate against the parser itself: a piece of markup repeated
    /// hundreds of times (how deep documents are made) either is refused or comes out of
    /// the sanitizer no deeper than the budget allows. Refusing ordinary markup is the
    /// other failure, caught by `heavy_tests`.
    #[test]
    fn what_the_budget_lets_through_is_not_deep(
        unit in proptest::collection::vec(document(), 1..3),
        times in 200..1200usize,
    ) {
        let doc = unit.concat().repeat(times);
        if budget::check(&doc).is_ok() {
            let deepest = nesting(&sanitize(&doc));
            prop_assert!(deepest <= 2 * budget::MAX_DEPTH, "nesting {deepest}: {}", unit.concat());
        }
    }
}
