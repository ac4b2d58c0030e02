//! Look-alike senders: a From domain that imitates a known contact's domain or a
//! well-known brand's, and display names that borrow a contact's name or another address.
//!
//! Domains are compared by their registrable part (`org_domain`), Unicode (punycode
//! decoded), reduced to a *skeleton*: confusable characters (Cyrillic and Greek letters
//! that look Latin, digits that look like letters, `rn` for `m`, `vv` for `w`) mapped to
//! the letter they imitate (after Unicode TR39's idea, with a short table rather than the
//! whole confusables file). A domain imitates another when it differs but has the same
//! skeleton, or its first label is one edit away (two for long names: a letter swapped,
//! doubled, dropped), or it carries a brand's name in a domain that is not the brand's
//! (`paypal-secure.example`, `paypal.com.example`).

use crate::api::{TrustWarning, WarningKind, Words};

/// Brands phishing imitates most, and French services people get mail from.
pub const BRANDS: &[&str] = &[
    "paypal.com",
    "apple.com",
    "icloud.com",
    "google.com",
    "gmail.com",
    "microsoft.com",
    "outlook.com",
    "office.com",
    "live.com",
    "amazon.com",
    "amazon.fr",
    "netflix.com",
    "facebook.com",
    "instagram.com",
    "whatsapp.com",
    "linkedin.com",
    "dropbox.com",
    "docusign.com",
    "adobe.com",
    "github.com",
    "yahoo.com",
    "dhl.com",
    "fedex.com",
    "ups.com",
    "chase.com",
    "wellsfargo.com",
    "bankofamerica.com",
    "coinbase.com",
    "binance.com",
    "impots.gouv.fr",
    "ameli.fr",
    "laposte.fr",
    "laposte.net",
    "orange.fr",
    "free.fr",
    "sfr.fr",
    "bouyguestelecom.fr",
    "credit-agricole.fr",
    "labanquepostale.fr",
    "societegenerale.fr",
    "bnpparibas.com",
    "caf.fr",
    "edf.fr",
    "sncf-connect.com",
];

/// Brand names that are also common words or first names: never looked for inside other
/// domains or display names ("Free shipping", "live-music.example", "Chase Smith"), only
/// compared as whole domains.
const COMMON_WORDS: &[&str] = &["free", "live", "orange", "office", "chase"];

fn distinctive(label: &str) -> bool {
    label.len() >= 4 && !COMMON_WORDS.contains(&label)
}

/// Someone the user writes to: an address and the names seen with it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Contact {
    pub address: String,
    pub names: Vec<String>,
}

/// The warnings for a message from `name <address>`, given the user's contacts.
pub fn warnings(name: Option<&str>, address: &str, contacts: &[Contact]) -> Vec<TrustWarning> {
    let address = address.trim().to_ascii_lowercase();
    let domain = address.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
    let mut out = Vec::new();
    if domain.is_empty() {
        return out;
    }
    let known_domain = contacts.iter().any(|c| domain_of(&c.address) == domain);
    if !known_domain {
        out.extend(lookalike_domain(domain, contacts));
    }
    if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
        let lower = name.to_lowercase();
        out.extend(name_shows_address(&lower, &address));
        out.extend(name_of_contact(name, &lower, &address, contacts));
        // A look-alike warning already says the domain is not the brand's.
        if !out.iter().any(|w| w.kind == WarningKind::LookalikeDomain) {
            out.extend(name_of_brand(name, &lower, domain));
        }
    }
    out
}

/// The From domain against contacts' domains, then brands': one look-alike warning says it.
fn lookalike_domain(domain: &str, contacts: &[Contact]) -> Option<TrustWarning> {
    let mut seen = Vec::new();
    let contact_domains = contacts.iter().map(|c| domain_of(&c.address));
    for (target, brand) in contact_domains
        .map(|d| (d, false))
        .chain(BRANDS.iter().map(|b| (*b, true)))
    {
        if seen.contains(&target) || target.is_empty() {
            continue;
        }
        seen.push(target);
        if imitates(domain, target, brand) {
            return Some(TrustWarning {
                kind: WarningKind::LookalikeDomain,
                imitates: target.to_owned(),
                words: Words::new(
                    format!(
                        "Careful: {} looks like {target} but is a different domain.",
                        display(domain)
                    ),
                    format!(
                        "Attention : {} ressemble à {target} mais c'est un autre domaine.",
                        display(domain)
                    ),
                ),
            });
        }
    }
    None
}

/// A name that is, or contains, another address (`lower`: the name in lower case).
fn name_shows_address(lower: &str, address: &str) -> Option<TrustWarning> {
    let shown = lower
        .split(|c: char| c.is_whitespace() || "<>()\"'".contains(c))
        .find(|w| w.contains('@') && w.contains('.') && *w != address)?;
    Some(TrustWarning {
        kind: WarningKind::MisleadingName,
        imitates: shown.to_owned(),
        words: Words::new(
            format!("Careful: the name shows {shown}, but the message is from {address}."),
            format!("Attention : le nom affiche {shown}, mais le message vient de {address}."),
        ),
    })
}

/// A contact's name on an address that is not theirs.
fn name_of_contact(
    name: &str,
    lower: &str,
    address: &str,
    contacts: &[Contact],
) -> Option<TrustWarning> {
    if contacts.iter().any(|c| c.address == address) {
        return None;
    }
    let contact = contacts
        .iter()
        .find(|c| c.names.iter().any(|n| n.trim().to_lowercase() == lower))?;
    Some(TrustWarning {
        kind: WarningKind::NameOfContact,
        imitates: contact.address.clone(),
        words: Words::new(
            format!(
                "Careful: {name} is the name of your contact {}, but this comes from \
                 another address, {address}.",
                contact.address
            ),
            format!(
                "Attention : {name} est le nom de votre contact {}, mais ce message \
                 vient d'une autre adresse, {address}.",
                contact.address
            ),
        ),
    })
}

/// A brand's name from a domain that is not the brand's.
fn name_of_brand(name: &str, lower: &str, domain: &str) -> Option<TrustWarning> {
    let org = super::org_domain(domain);
    let brand = BRANDS.iter().find(|b| {
        let label = first_label(b);
        distinctive(label)
            && lower
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == label)
            && super::org_domain(b) != org
            && first_label(&org) != label
    })?;
    Some(TrustWarning {
        kind: WarningKind::MisleadingName,
        imitates: (*brand).to_owned(),
        words: Words::new(
            format!("Careful: the name says {name}, but the message is not from {brand}."),
            format!("Attention : le nom indique {name}, mais le message ne vient pas de {brand}."),
        ),
    })
}

fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map(|(_, d)| d).unwrap_or_default()
}

fn first_label(domain: &str) -> &str {
    domain.split('.').next().unwrap_or_default()
}

/// The domain as a person reads it: punycode labels decoded.
pub fn display(domain: &str) -> String {
    hickory_resolver::Name::from_ascii(domain)
        .map(|n| n.to_utf8().trim_end_matches('.').to_owned())
        .unwrap_or_else(|_| domain.to_owned())
}

/// Whether `domain` imitates `target` (see the module doc). Equal registrable domains
/// never do.
pub fn imitates(domain: &str, target: &str, brand: bool) -> bool {
    let domain = display(&domain.to_lowercase());
    let org = super::org_domain(&domain);
    let target_org = super::org_domain(target);
    if org == target_org {
        return false;
    }
    let (label, target_label) = (first_label(&org), first_label(&target_org));
    if skeleton(&org) == skeleton(&target_org) || skeleton(label) == skeleton(target_label) {
        return !(brand && label == target_label && org.is_ascii()); // paypal.fr is PayPal's too
    }
    let (a, b) = (skeleton(label), skeleton(target_label));
    let limit = if b.chars().count() >= 9 { 2 } else { 1 };
    if b.chars().count() >= 5 && distance(&a, &b) <= limit {
        return true;
    }
    if brand && distinctive(target_label) {
        // The brand's name inside another registrable domain.
        let whole = domain.replace('.', "-");
        return whole
            .split('-')
            .any(|part| part == target_label || skeleton(part) == skeleton(target_label))
            || domain.contains(&format!("{target_org}."));
    }
    false
}

/// Confusable characters mapped to what they imitate, then `rn` → `m`, `vv` → `w`.
pub fn skeleton(s: &str) -> String {
    let mapped: String = s
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'а' | 'α' | 'à' | 'á' | 'â' | 'ä' | 'å' | 'ɑ' => 'a',
            'Ь' | 'ь' | 'в' => 'b',
            'с' | 'ϲ' | 'ç' => 'c',
            'ԁ' | 'ɗ' => 'd',
            'е' | 'ё' | 'ε' | 'é' | 'è' | 'ê' | 'ë' | '3' => 'e',
            'ɡ' | 'ġ' => 'g',
            'һ' | 'н' => 'h',
            'і' | 'ι' | 'í' | 'ì' | 'î' | 'ï' | 'ı' => 'i',
            '1' | '!' | '|' | 'ӏ' => 'l',
            'ј' | 'ϳ' => 'j',
            'к' | 'κ' => 'k',
            'м' => 'm',
            'п' | 'η' => 'n',
            'о' | 'ο' | 'ó' | 'ò' | 'ô' | 'ö' | 'ø' | '0' | 'σ' => 'o',
            'р' | 'ρ' => 'p',
            'ԛ' => 'q',
            'г' => 'r',
            'ѕ' | '5' | '$' => 's',
            'т' | 'τ' | '7' => 't',
            'υ' | 'ս' | 'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ν' | 'ѵ' => 'v',
            'ԝ' | 'ω' => 'w',
            'х' | 'χ' => 'x',
            'у' | 'ү' | 'ý' => 'y',
            'ᴢ' => 'z',
            other => other,
        })
        .collect();
    mapped.replace("rn", "m").replace("vv", "w")
}

/// Damerau-Levenshtein (optimal string alignment) distance, in characters.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(address: &str, name: &str) -> Contact {
        Contact {
            address: address.into(),
            names: vec![name.into()],
        }
    }

    #[test]
    fn brand_lookalikes_are_caught() {
        for fake in [
            "paypa1.com",
            "paypal-secure.net",
            "paypal.com.account-check.net",
            "xn--pypal-4ve.com", // Cyrillic а
            "pavpal.com",
            "rnicrosoft.com",
            "arnazon.com",
            "micros0ft-support.com",
        ] {
            assert!(
                BRANDS.iter().any(|b| imitates(fake, b, true)),
                "{fake} should look like a brand"
            );
        }
        for real in [
            "live-music.example",
            "free-software.example",
            "paypal.com",
            "mail.paypal.com",
            "example.org",
            "lemonde.fr",
            "gitlab.com",
            "apple.fr",
        ] {
            let hits: Vec<_> = BRANDS.iter().filter(|b| imitates(real, b, true)).collect();
            assert!(hits.is_empty(), "{real} flagged as {hits:?}");
        }
    }

    #[test]
    fn contacts_domains_and_names_are_protected() {
        let contacts = [contact("marie@cabinet-durand.fr", "Marie Durand")];
        let w = warnings(Some("Marie"), "marie@cabinet-durant.fr", &contacts);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].kind, WarningKind::LookalikeDomain);
        assert_eq!(w[0].imitates, "cabinet-durand.fr");
        let w = warnings(Some("Marie Durand"), "m.durand@freemail.test", &contacts);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].kind, WarningKind::NameOfContact);
        assert!(warnings(Some("Marie Durand"), "marie@cabinet-durand.fr", &contacts).is_empty());
        let w = warnings(Some("service@paypal.com"), "x@evil.test", &[]);
        assert!(
            w.iter().any(|w| w.kind == WarningKind::MisleadingName),
            "{w:?}"
        );
        let w = warnings(Some("PayPal"), "service@intl-billing.test", &[]);
        assert!(w.iter().any(|w| w.imitates == "paypal.com"), "{w:?}");
        assert!(warnings(Some("PayPal"), "service@paypal.com", &[]).is_empty());
        assert!(warnings(Some("Chase Smith"), "chase@example.org", &[]).is_empty());
        assert!(warnings(Some("Free Software Foundation"), "info@fsf.example", &[]).is_empty());
    }

    #[test]
    fn distances_and_skeletons() {
        assert_eq!(distance("paypal", "paypla"), 1);
        assert_eq!(distance("paypal", "pay"), 3);
        assert_eq!(skeleton("рaypa1"), "paypal");
        assert_eq!(skeleton("rnicrosoft"), skeleton("microsoft"));
    }
}
