//! Reading back what ammonia wrote. Its output is html5ever's serialization, which is
//! regular enough to scan without a parser: outside a tag every `<` starts one (text
//! escapes `<` as `&lt;`), attribute values are always in double quotes with `"` written
//! `&quot;`, and the only raw-text element the sanitizer keeps is `<style>`, whose text
//! cannot contain `</style`. This is not a reader for arbitrary HTML: only for that
//! output (the `<style>` pass, the reader's link check and the sanitizer's tests).

/// One tag of sanitized HTML: `<a href="x">` or `</a>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag<'a> {
    pub name: &'a str,
    pub closing: bool,
    /// Name and value (entities still encoded) of each attribute, in order.
    pub attrs: Vec<(&'a str, &'a str)>,
    /// Byte offsets of `<` and one past `>`.
    pub start: usize,
    pub end: usize,
}

impl Tag<'_> {
    /// An attribute's value, entities decoded.
    pub fn attr(&self, name: &str) -> Option<String> {
        self.attrs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| decode(v))
    }
}

/// Every tag in order; the text of a `<style>` element is skipped, not scanned.
pub fn tags(html: &str) -> Vec<Tag<'_>> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(open) = html[at..].find('<').map(|i| at + i) {
        let Some(tag) = tag_at(html, open) else {
            break;
        };
        at = tag.end;
        if tag.name == "style" && !tag.closing {
            at = style_text_end(html, at);
        }
        found.push(tag);
    }
    found
}

/// Where the text of a `<style>` element opened just before `from` ends.
pub fn style_text_end(html: &str, from: usize) -> usize {
    html[from..]
        .find("</style")
        .map_or(html.len(), |i| from + i)
}

fn tag_at(html: &str, open: usize) -> Option<Tag<'_>> {
    let bytes = html.as_bytes();
    let mut i = open + 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < bytes.len() && !matches!(bytes[i], b' ' | b'>' | b'/') {
        i += 1;
    }
    let name = &html[name_start..i];
    let mut attrs = Vec::new();
    loop {
        while i < bytes.len() && matches!(bytes[i], b' ' | b'/') {
            i += 1;
        }
        match bytes.get(i) {
            None => return None,
            Some(b'>') => break,
            _ => {}
        }
        let attr_start = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b' ' | b'>') {
            i += 1;
        }
        let attr = &html[attr_start..i];
        let mut value = "";
        if bytes.get(i) == Some(&b'=') && bytes.get(i + 1) == Some(&b'"') {
            let value_start = i + 2;
            let len = html[value_start..].find('"')?;
            value = &html[value_start..value_start + len];
            i = value_start + len + 1;
        }
        attrs.push((attr, value));
    }
    Some(Tag {
        name,
        closing,
        attrs,
        start: open,
        end: i + 1,
    })
}

/// The entities html5ever writes (and numeric ones, for safety's sake) decoded.
pub fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let entity = rest
            .find(';')
            .filter(|end| *end <= 10)
            .and_then(|end| Some((named_or_numeric(&rest[1..end])?, end)));
        match entity {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn named_or_numeric(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// The text between `from` and `to`, tags dropped and entities decoded.
pub fn text_between(html: &str, from: usize, to: usize) -> String {
    let mut text = String::new();
    let mut at = from;
    while at < to {
        match html[at..to].find('<') {
            Some(i) => {
                text.push_str(&html[at..at + i]);
                at = tag_at(html, at + i).map_or(to, |t| t.end);
            }
            None => {
                text.push_str(&html[at..to]);
                at = to;
            }
        }
    }
    decode(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags_attributes_and_text_as_ammonia_writes_them() {
        let html = r#"<p title="a &quot;b&quot; <c>">x &lt;y&gt;</p><style>a{}</style><a href="https://e.example/?a=1&amp;b=2" rel="noopener">go <b>there</b></a>"#;
        let t = tags(html);
        let names: Vec<_> = t.iter().map(|t| (t.name, t.closing)).collect();
        assert_eq!(
            names,
            [
                ("p", false),
                ("p", true),
                ("style", false),
                ("style", true),
                ("a", false),
                ("b", false),
                ("b", true),
                ("a", true)
            ]
        );
        assert_eq!(t[0].attr("title").as_deref(), Some("a \"b\" <c>"));
        assert_eq!(
            t[4].attr("href").as_deref(),
            Some("https://e.example/?a=1&b=2")
        );
        assert_eq!(text_between(html, t[4].end, t[7].start), "go there");
        assert_eq!(decode("&#106;&#x61;&bogus;&"), "ja&bogus;&");
    }
}
