//! Message HTML made safe to show: ammonia keeps the markup mail needs (tables, inline
//! styles, images) and drops scripts, event handlers, forms, frames and unknown schemes.
//! Remote content (images, CSS url()) is not stripped here: the reader blocks it with its
//! Content-Security-Policy until the user allows it, which a sanitizer cannot undo.

use std::sync::OnceLock;

use ammonia::Builder;

pub fn sanitize(html: &str) -> String {
    builder().clean(html).to_string()
}

fn builder() -> &'static Builder<'static> {
    static BUILDER: OnceLock<Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = Builder::default();
        b.add_generic_attributes([
            "style", "class", "align", "valign", "width", "height", "bgcolor", "dir",
        ])
        .add_tags(["center", "font", "style"])
        .rm_clean_content_tags(["style"])
        .add_tag_attributes("font", ["color", "face", "size"])
        .add_tag_attributes("td", ["colspan", "rowspan", "nowrap"])
        .add_tag_attributes("table", ["border", "cellpadding", "cellspacing"])
        .add_url_schemes(["cid", "data"])
        // Links open in the system browser; never let them act on the reader.
        .link_rel(Some("noopener noreferrer"));
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_go_layout_stays() {
        let dirty = r#"<p style="color:red" onclick="x()">Hi<script>alert(1)</script></p>
<img src="https://tracker.example/p.gif" onerror="steal()"><a href="javascript:evil()">x</a>
<img src="cid:logo@x"><iframe src="https://e.example"></iframe>"#;
        let clean = sanitize(dirty);
        assert!(
            !clean.contains("script") && !clean.contains("onerror") && !clean.contains("onclick")
        );
        assert!(!clean.contains("javascript:") && !clean.contains("iframe"));
        assert!(clean.contains(r#"style="color:red""#));
        assert!(clean.contains("cid:logo@x"));
        assert!(clean.contains("https://tracker.example/p.gif"));
    }
}
