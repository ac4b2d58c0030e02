//! No message's HTML costs more than a bounded time: documents built to make the parser
//! quadratic fall back to plain text, with the time each takes printed (never asserted:
//! `cargo test -- --nocapture` shows it), and ordinary sloppy mail keeps its HTML.

use std::time::Instant;

use super::markup;
use super::*;

/// How deep the elements of sanitized HTML nest.
fn nesting(clean: &str) -> usize {
    let void = [
        "br", "img", "hr", "col", "area", "wbr", "input", "meta", "link",
    ];
    let (mut depth, mut deepest) = (0usize, 0usize);
    for tag in markup::tags(clean) {
        if void.contains(&tag.name) {
            continue;
        }
        if tag.closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

fn timed(what: &str, html: &str) -> String {
    let started = Instant::now();
    let clean = sanitize(html);
    eprintln!(
        "{what}: {} KB in {:?}, output nesting {}",
        html.len() / 1024,
        started.elapsed(),
        nesting(&clean)
    );
    clean
}

fn is_fallback(clean: &str) -> bool {
    clean.contains("<pre class=\"plain\">") && nesting(clean) <= 1
}

#[test]
fn a_hundred_thousand_unclosed_divs_are_shown_as_text() {
    // Took minutes before the budget (10,000 of them: 6.5 s in a debug build).
    let clean = timed("100,000 unclosed <div>", &"<div>x".repeat(100_000));
    assert!(is_fallback(&clean), "{}", &clean[..200.min(clean.len())]);
    assert!(clean.contains("xxxx"), "the text is kept");
}

/// Ways to keep the parser's stack deep that a naive count of `<` and `</` misses: each
/// must be shown as text (the estimate saw through it) with its nesting bounded.
#[test]
fn documents_crafted_to_stay_deep_fall_back() {
    let crafted = [
        ("closing tags inside values", "<div title=\"</div>\">x"),
        ("closing tags in comments", "<div><!-- </div> -->x"),
        ("a stray inline close", "<span><div></span>x"),
        ("a formatting element around a block", "<b><div></b>x"),
        ("a form left holding its children", "<form><div></form>x"),
        (
            "a formatting element reopened",
            "<p><font color=\"#1\">x</p>",
        ),
        ("nested tables", "<table><tr><td>x"),
        ("elements void only in HTML", "<svg><link>x"),
        ("self-closing in HTML", "<div/>x"),
        ("raw text in SVG", "<svg><style><div>x"),
        // Found by fuzz_tests: a cell outside a table is ignored by the parser, and must
        // not close the font left open in it.
        ("cells outside a table", "<td><font>"),
        // Also found by fuzz_tests: `<s>` leaves SVG for the parser, which then ignores
        // `</svg>`; the estimate closed everything up to the `<svg>`.
        ("an HTML tag breaking out of SVG", "<svg><a><s></svg>"),
        // And: the parser re-opens a formatting element closed by another end tag, each
        // time one level deeper (`active`).
        (
            "a formatting element re-opened each time",
            "<mglyph><font></mglyph>",
        ),
        ("a formatting element re-opened by text", "</dd>x<dd/><b/>"),
        ("a table closing a paragraph", "<p><table></table><font>"),
        ("SVG's own <a>", "<video><svg><a><span>"),
        (
            "end tags of void elements",
            "<base><div></base><base><font><svg></base>",
        ),
    ];
    for (what, unit) in crafted {
        // Few enough tags that the tag limit is not what refuses them.
        let unit = unit.replace("#1", "#{}");
        let html: String = (0..4_000)
            .map(|i| unit.replace("{}", &i.to_string()))
            .collect();
        assert_eq!(budget::check(&html), Err(budget::Over::Depth), "{what}");
        let clean = timed(what, &html);
        assert!(is_fallback(&clean), "{what}: not refused");
    }
}

/// The most a document within every limit costs: as deep as allowed, then as many tags
/// as allowed, each walking the whole stack.
#[test]
fn the_worst_document_within_the_budget_is_sanitized() {
    let depth = budget::MAX_DEPTH - 10;
    let mut html = "<div>".repeat(depth);
    html.push_str(&"<i></i>".repeat(budget::MAX_TAGS - depth - 10));
    let clean = timed("deepest and most tags allowed", &html);
    assert!(!is_fallback(&clean));
    assert!(nesting(&clean) >= depth);
}

/// Before the budget: unclosed divs through ammonia alone, quadratic (10,000 took 15 s
/// in a debug build, 100,000 minutes); run with `cargo test -- --ignored --nocapture`.
#[test]
#[ignore = "takes minutes: the cost the budget prevents"]
fn without_the_budget() {
    for n in [5_000, 10_000, 20_000] {
        let html = "<div>x".repeat(n);
        let started = Instant::now();
        let _ = ammonia::Builder::default().clean(&html).to_string();
        eprintln!(
            "{n} unclosed <div> without the budget: {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn sloppy_but_ordinary_mail_keeps_its_html() {
    let sloppy = [
        ("paragraphs never closed", "<p>x".repeat(5000)),
        (
            "list items never closed",
            format!("<ul>{}</ul>", "<li>x".repeat(5000)),
        ),
        (
            "cells and rows never closed",
            format!("<table>{}</table>", "<tr><td>x<td>y".repeat(3000)),
        ),
        (
            "a block closed over an open paragraph",
            "<div><p>x</div>".repeat(3000),
        ),
        (
            "the same font left open in paragraphs",
            "<p><font face=\"Arial\">x</p>".repeat(3000),
        ),
        (
            "links in an open paragraph",
            "<p><a href=\"https://e.example/\">x</a>".repeat(3000),
        ),
        (
            "a comment-wrapped table",
            "<!--[if mso]><table><tr><td><![endif]-->x<!--[if mso]></td></tr></table><![endif]-->"
                .repeat(2000),
        ),
    ];
    for (what, html) in sloppy {
        let clean = timed(what, &html);
        assert!(!is_fallback(&clean), "{what}: refused");
        assert!(nesting(&clean) < 10, "{what}");
    }
}

#[test]
fn too_big_or_too_many_tags_fall_back() {
    let big = format!("<p>{}</p>", "word ".repeat(budget::MAX_BYTES / 5 + 1));
    assert_eq!(budget::check(&big), Err(budget::Over::Bytes));
    assert!(is_fallback(&timed("over 4 MB", &big)));
    let many = "<i>x</i>".repeat(budget::MAX_TAGS + 1);
    assert_eq!(budget::check(&many), Err(budget::Over::Tags));
    assert!(is_fallback(&timed("too many tags", &many)));
    // Drafts too: the composer takes the same budget.
    assert!(sanitize_for_editor(&"<div>".repeat(100_000)).contains("<pre"));
}
