//! SASLprep (RFC 4013): how SCRAM turns a password into the bytes both sides hash.
//!
//! Mapping (non-ASCII spaces to a space, the "commonly mapped to nothing" characters
//! removed), NFKC, the prohibited characters and the bidirectional rule, as a query
//! string (unassigned code points allowed, RFC 5802 §2.2). The Unicode data is today's
//! rather than stringprep's Unicode 3.2: the two differ only on characters assigned
//! since, which no password typed today is likely to hold.
//!
//! Servers do not all prepare passwords (Dovecot 2.3 and Cyrus SASL hash them as
//! stored), so SCRAM is chosen on its own only for a password SASLprep leaves as it is
//! (`is_stable`): for the others both readings could be the one the server holds, and a
//! login that works with PLAIN must not fail because SCRAM was preferred.

use std::borrow::Cow;

use icu_normalizer::ComposingNormalizerBorrowed;
use icu_properties::props::BidiClass;
use icu_properties::CodePointMapData;

/// Why a string cannot be prepared, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unprepared(pub &'static str);

/// The prepared form of `s`, or why it has none.
pub fn prepare(s: &str) -> Result<Cow<'_, str>, Unprepared> {
    let mapped: Cow<str> = if s.is_ascii() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter_map(map).collect())
    };
    let normal = match ComposingNormalizerBorrowed::new_nfkc().normalize(&mapped) {
        Cow::Borrowed(_) => mapped,
        Cow::Owned(o) => Cow::Owned(o),
    };
    if let Some(why) = normal.chars().find_map(prohibited) {
        return Err(Unprepared(why));
    }
    bidi_rule(&normal)?;
    Ok(normal)
}

/// Whether `s` is its own SASLprep form: any server, preparing or not, hashes the same.
pub fn is_stable(s: &str) -> bool {
    prepare(s).is_ok_and(|p| p == s)
}

/// RFC 4013 §2.1: C.1.2 to SPACE, B.1 to nothing (a zero-width space is in both tables;
/// C.1.2 is applied first, as other implementations do).
fn map(c: char) -> Option<char> {
    match c {
        '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200B}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            Some(' ')
        }
        '\u{AD}'
        | '\u{34F}'
        | '\u{1806}'
        | '\u{180B}'..='\u{180D}'
        | '\u{200C}'
        | '\u{200D}'
        | '\u{2060}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}' => None,
        c => Some(c),
    }
}

/// RFC 4013 §2.3 (stringprep tables C.1.2 to C.9), each named in words.
fn prohibited(c: char) -> Option<&'static str> {
    let n = c as u32;
    let why = match c {
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => "a control character",
        '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200B}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            "an unusual space"
        }
        '\u{6DD}'
        | '\u{70F}'
        | '\u{180E}'
        | '\u{200C}'
        | '\u{200D}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{2060}'..='\u{2063}'
        | '\u{FEFF}'
        | '\u{1D173}'..='\u{1D17A}' => "an invisible formatting character",
        '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}' => {
            "a private-use character"
        }
        '\u{FDD0}'..='\u{FDEF}' => "a noncharacter",
        _ if n & 0xFFFE == 0xFFFE => "a noncharacter",
        '\u{FFF9}'..='\u{FFFD}' | '\u{2FF0}'..='\u{2FFB}' => "a character that is not text",
        '\u{340}'
        | '\u{341}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{206A}'..='\u{206F}' => "a text-direction control",
        '\u{E0001}' | '\u{E0020}'..='\u{E007F}' => "a tag character",
        _ => return None,
    };
    Some(why)
}

/// RFC 3454 §6: right-to-left text must not mix with left-to-right letters, and must
/// begin and end with a right-to-left character.
fn bidi_rule(s: &str) -> Result<(), Unprepared> {
    let classes = CodePointMapData::<BidiClass>::new();
    let rtl = |c: char| {
        matches!(
            classes.get(c),
            BidiClass::RightToLeft | BidiClass::ArabicLetter
        )
    };
    if !s.chars().any(rtl) {
        return Ok(());
    }
    let ltr = s.chars().any(|c| classes.get(c) == BidiClass::LeftToRight);
    let ends = s.chars().next().is_some_and(rtl) && s.chars().last().is_some_and(rtl);
    if ltr || !ends {
        return Err(Unprepared("right-to-left text mixed with other text"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_4013_examples() {
        // §3's table: SOFT HYPHEN mapped to nothing, NFKC, the prohibited and bidi cases.
        assert_eq!(prepare("I\u{AD}X").as_deref(), Ok("IX"));
        assert_eq!(prepare("user").as_deref(), Ok("user"));
        assert_eq!(prepare("USER").as_deref(), Ok("USER"));
        assert_eq!(prepare("\u{AA}").as_deref(), Ok("a"));
        assert_eq!(prepare("\u{2168}").as_deref(), Ok("IX"));
        assert!(prepare("\u{7}").is_err());
        assert!(prepare("\u{627}1").is_err());
        assert_eq!(prepare("\u{627}1\u{628}").as_deref(), Ok("\u{627}1\u{628}"));
    }

    #[test]
    fn spaces_controls_and_stability() {
        assert_eq!(prepare("a\u{A0}b").as_deref(), Ok("a b"));
        assert_eq!(prepare("").as_deref(), Ok(""));
        assert_eq!(prepare("tab\there"), Err(Unprepared("a control character")));
        assert!(prepare("\u{E000}").is_err());
        assert!(prepare("x\u{FFFF}").is_err());
        assert!(prepare("\u{202E}evil").is_err());
        assert!(is_stable("correct horse battery staple!"));
        assert!(is_stable("Mot-de-passe-été"));
        assert!(!is_stable("e\u{301}")); // decomposed é: NFKC composes it
        assert!(!is_stable("a\u{A0}b"));
        assert!(!is_stable("line\nbreak"));
    }
}
