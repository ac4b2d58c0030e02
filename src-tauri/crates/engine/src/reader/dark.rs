//! The reader's page in the dark theme. Decision: mail is shown dark by inverting the
//! page's lightness (`filter: invert(1) hue-rotate(180deg)` on the body: white becomes
//! near-black, black text light, hues kept), and inverting pictures back (images, video,
//! inline background images), so photos and logos keep their real colours. Rewriting the
//! colours in the sanitizer was the alternative: it misses colours set by classes, by
//! `bgcolor` on tables and by images of text, and it would change what is cached; the
//! filter treats every message alike and leaves its HTML untouched. The reader offers
//! "Show original colours" for the messages it does not suit (a designed newsletter);
//! that page is served without this style.
//!
//! The window asks for it with the frame's address (`look=dark`, the shell), since only
//! the window knows the theme the user chose: nothing about security depends on it.

use super::ReaderPage;

/// The style added for the dark theme: the body, inverted, covers the frame; what shows a
/// picture is inverted back (an image inside an element with a background image is that
/// element's, inverted once already). Screen only: paper gets the message as sent.
const DARK_STYLE: &str = "<style id=\"courriel-dark\">@media screen{\
    :root{background:#16171c}\
    body{filter:invert(1) hue-rotate(180deg);background:#e9e8e3;color:#000;margin:0;\
    padding:16px;min-height:100vh;box-sizing:border-box}\
    img,video,[background],[style*=\"background-image\" i],[style*=\"url(\" i]{filter:invert(1) hue-rotate(180deg)}\
    [background] img,[style*=\"background-image\" i] img,[style*=\"url(\" i] img{filter:none}}\
    </style>";

impl ReaderPage {
    /// This page as shown in the dark theme (module doc).
    pub fn dark(mut self) -> ReaderPage {
        // The head is the reader's own (the message is in the body): its first `</head>`.
        if let Some(at) = self.html.find("</head>") {
            self.html.insert_str(at, DARK_STYLE);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::super::page;

    const BASE: &str = "courriel-msg://localhost/7/cid/";

    #[test]
    fn the_dark_page_inverts_the_body_and_inverts_pictures_back() {
        let html = r#"<p style="color:#333">Hello</p><img src="cid:logo"><table background="cid:bg"><tr><td>x</td></tr></table>"#;
        let light = page(Some(html), "", false, BASE);
        assert!(!light.html.contains("invert("), "light pages stay as sent");
        let dark = light.clone().dark();
        let head = &dark.html[..dark.html.find("<body>").expect("body")];
        assert!(
            head.contains("body{filter:invert(1) hue-rotate(180deg)"),
            "{head}"
        );
        assert!(head.contains("img,video,[background]"), "{head}");
        // The message itself is untouched; only the style was added, and to the head.
        assert_eq!(dark.html.replace(super::DARK_STYLE, ""), light.html);
        assert_eq!(
            dark.csp, light.csp,
            "the same policy: inline style was allowed already"
        );
    }

    #[test]
    fn plain_text_is_shown_dark_too() {
        let dark = page(None, "just text", false, BASE).dark();
        assert!(dark.html.contains("id=\"courriel-dark\""));
        assert!(dark.html.contains("<pre class=\"plain\">just text</pre>"));
    }

    #[test]
    fn a_head_in_the_message_cannot_take_the_style() {
        // The sanitizer drops a message's own head; even a literal "</head>" in its text
        // comes after the reader's head, so the style lands in the reader's.
        let dark = page(None, "</head> in text", false, BASE).dark();
        let style = dark.html.find("courriel-dark").expect("style");
        let text = dark.html.find("&lt;/head&gt; in text").expect("text");
        assert!(style < text);
    }
}
