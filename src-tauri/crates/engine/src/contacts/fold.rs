//! Accent folding for completion: "Zoë", "ZOE" and "zoe" are one word to search by. The
//! same folding makes the stored terms and the typed query, so they always agree.
//!
//! A table rather than Unicode decomposition: it covers Latin-1 and Latin Extended-A
//! (French, German, Spanish, Portuguese, the Nordic and Central European languages) plus
//! any combining mark, with no new dependency; a letter outside it is kept as it is, so
//! other scripts still complete, accent for accent.

/// How many words of a query are used, and how long a word may be (the rest is noise).
const MAX_WORDS: usize = 6;
const MAX_WORD_CHARS: usize = 64;

/// `text` lower-cased with its accents taken off: "Zoë Ångström" → "zoe angstrom".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match base(c) {
            Some(plain) => out.push_str(plain),
            None if is_combining(c) => {}
            None => out.push(c),
        }
    }
    out
}

/// The folded words of `text`: runs of letters and digits ("jean-luc.dupont@exämple.org"
/// → jean, luc, dupont, example, org), each at most 64 characters.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(MAX_WORD_CHARS).collect())
        .collect()
}

/// The words a query looks for, each a prefix: at most six, duplicates dropped.
pub fn query_words(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in words(query) {
        if !out.contains(&word) && out.len() < MAX_WORDS {
            out.push(word);
        }
    }
    out
}

/// The terms a contact is found by: its name's words and its address's.
pub fn terms(name: &str, address: &str) -> Vec<String> {
    let mut all = words(name);
    all.extend(words(address));
    all.sort();
    all.dedup();
    all
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// The plain letters of an accented lower-case letter.
fn base(c: char) -> Option<&'static str> {
    Some(match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_fold_away() {
        assert_eq!(fold("Zoë ÅNGSTRÖM"), "zoe angstrom");
        assert_eq!(
            fold("François Łukasz Øre Straße Œuvre"),
            "francois lukasz ore strasse oeuvre"
        );
        assert_eq!(fold("Ştefan Dvořák Hősök"), "stefan dvorak hosok");
    }

    #[test]
    fn decomposed_input_folds_like_composed() {
        // "é" as e + U+0301, as macOS keyboards and some mailers write it.
        assert_eq!(fold("Rene\u{301}e"), fold("Renée"));
        assert_eq!(fold("Renée"), "renee");
    }

    #[test]
    fn other_scripts_are_kept() {
        assert_eq!(fold("Ольга 山田"), "ольга 山田");
        assert_eq!(words("Ольга Петрова"), ["ольга", "петрова"]);
    }

    #[test]
    fn an_address_splits_into_its_words() {
        assert_eq!(
            terms("Jean-Luc Dupont", "jean-luc.dupont@Exämple.org"),
            ["dupont", "example", "jean", "luc", "org"]
        );
    }

    #[test]
    fn queries_are_bounded() {
        let long = "a ".repeat(50) + &"b".repeat(500) + " c d e f g h";
        let words = query_words(&long);
        assert!(words.len() <= 6, "{words:?}");
        assert!(words.iter().all(|w| w.chars().count() <= 64));
        assert_eq!(query_words("  ,;  "), Vec::<String>::new());
    }
}
