//! Links whose text names another address than the one they open: `<a
//! href="https://evil.example/">www.paypal.com</a>`. The shell asks before opening those
//! (the `confirm-link` event shows the real address); other links open at once. A text
//! "names an address" when, whole, it reads as a URL, a domain or an email address; it
//! names *another* one when its domain and the link's do not belong to one organization
//! (`trust::aligned`, DMARC's relaxed rule: `news.example.com` may stand for
//! `example.com`, `paypal.com.evil.example` may not).

use ammonia::Url;

use crate::api::ConfirmLink;
use crate::html::markup;

/// Every link of sanitized HTML whose text shows another address than its own.
pub fn disguised(sanitized: &str) -> Vec<ConfirmLink> {
    let tags = markup::tags(sanitized);
    let mut found = Vec::new();
    for (i, open) in tags.iter().enumerate() {
        if open.name != "a" || open.closing {
            continue;
        }
        let Some(href) = open.attr("href") else {
            continue;
        };
        let close = tags[i..]
            .iter()
            .find(|t| t.name == "a" && t.closing)
            .map_or(sanitized.len(), |t| t.start);
        let shown = markup::text_between(sanitized, open.end, close);
        let Some(shown_domain) = named_domain(&shown) else {
            continue;
        };
        let Ok(url) = Url::parse(&href) else {
            continue;
        };
        let same =
            link_domain(url.as_str()).is_some_and(|d| crate::trust::aligned(&d, &shown_domain));
        if !same {
            found.push(ConfirmLink {
                url: url.to_string(),
                shown: shown.trim().to_owned(),
            });
        }
    }
    found
}

/// The domain a link leads to: its host, or a `mailto:` address's domain.
pub fn link_domain(url: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    match url.scheme() {
        "mailto" => {
            let to = url.path().split([',', '?']).next()?;
            let domain = to.rsplit_once('@')?.1;
            host_of(&crate::decode::percent(domain))
        }
        _ => url.host_str().map(str::to_ascii_lowercase),
    }
}

/// The domain a link's text names, when the whole text is an address.
fn named_domain(text: &str) -> Option<String> {
    let text = text
        .trim()
        .trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
    if text.is_empty() || text.chars().any(char::is_whitespace) {
        return None;
    }
    let lower = text.to_lowercase();
    let rest = lower.strip_prefix("mailto:").unwrap_or(&lower);
    let rest = rest.split_once("://").map_or(rest, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, d)| d);
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
    let tld = labels.last()?;
    let looks_like_domain = labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty())
        && tld.chars().count() >= 2
        && tld.chars().all(char::is_alphabetic)
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    looks_like_domain.then(|| host_of(host)).flatten()
}

/// A host name as a URL parser writes it (lower case, IDN in punycode), so that the text's
/// "bücher.example" and the link's "xn--bcher-kva.example" compare equal.
fn host_of(name: &str) -> Option<String> {
    Url::parse(&format!("http://{name}/"))
        .ok()?
        .host_str()
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(html: &str) -> Vec<(String, String)> {
        disguised(&crate::html::sanitize(html))
            .into_iter()
            .map(|c| (c.url, c.shown))
            .collect()
    }

    #[test]
    fn a_text_naming_another_domain_is_caught() {
        assert_eq!(
            check(r#"<a href="https://evil.example/login">www.PayPal.com</a>"#),
            [("https://evil.example/login".into(), "www.PayPal.com".into())]
        );
        assert_eq!(
            check(r#"<a href="https://paypal.com.evil.example/">https://paypal.com/x</a>"#).len(),
            1
        );
        assert_eq!(
            check(r#"<a href="mailto:thief@evil.example">support@bank.example</a>"#).len(),
            1
        );
        assert_eq!(
            check(r#"<a href="http://192.0.2.1/">bank.example</a>"#).len(),
            1
        );
    }

    #[test]
    fn honest_links_and_plain_words_are_not() {
        for html in [
            r#"<a href="https://example.com/x">example.com</a>"#,
            r#"<a href="https://click.news.example.com/t?u=1">www.example.com</a>"#,
            r#"<a href="https://xn--bcher-kva.example/">bücher.example</a>"#,
            r#"<a href="https://evil.example/">Click here</a>"#,
            r#"<a href="https://evil.example/">Read the report.</a>"#,
            r#"<a href="mailto:bob@example.org">bob@example.org</a>"#,
            r#"<a href="https://evil.example/">v1.2</a>"#,
        ] {
            assert_eq!(check(html), [], "{html}");
        }
    }
}
