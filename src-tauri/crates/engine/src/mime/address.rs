//! The addresses of a draft. lettre parses each one (RFC 5322 mailbox: `Name <addr>`,
//! `"Last, First" <addr>` or a bare address, checked to the end of the string), one at a
//! time so that an error names the field and the position.

use lettre::message::Mailbox;
use lettre::Address;

use super::check::one_line;
use crate::api::Account;
use crate::error::{Error, ErrorKind, Result};

/// One recipient; `field` is what the error names ("to[1]").
pub(super) fn mailbox(field: &str, input: &str) -> Result<Mailbox> {
    one_line(field, input)?;
    input.trim().parse::<Mailbox>().map_err(|e| {
        Error::new(
            ErrorKind::Config,
            format!("{field} {input:?} is not a valid address ({e})"),
        )
    })
}

/// Every entry of one recipient list (`to`, `cc` or `bcc`).
pub(super) fn list(field: &str, inputs: &[String]) -> Result<Vec<Mailbox>> {
    inputs
        .iter()
        .enumerate()
        .map(|(i, input)| mailbox(&format!("{field}[{i}]"), input))
        .collect()
}

/// The From mailbox: the draft's identity, which must be the account's own address or one
/// of its identities (aliases): the wrong-account guard, so mail never leaves through an
/// account that does not own its From. The stored spelling of the address is kept (the
/// one the server knows); a display name given with `from` wins over the stored one.
pub(super) fn sender(account: &Account, from: Option<&str>) -> Result<Mailbox> {
    one_line("the account's display name", &account.display_name)?;
    let own = parse_own(&account.email)?;
    let Some(from) = from else {
        return Ok(Mailbox::new(non_empty(&account.display_name), own));
    };
    let given = mailbox("from", from)?;
    let wanted = given.email.to_string().to_lowercase();
    let (address, stored_name) = if own.to_string().to_lowercase() == wanted {
        (own, account.display_name.as_str())
    } else {
        let identity = account
            .identities
            .iter()
            .find(|i| i.email.trim().to_lowercase() == wanted)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Config,
                    format!(
                        "{} is not an identity of {}: add it to this account, or send from the account that owns it",
                        given.email, account.email
                    ),
                )
            })?;
        one_line("the identity's name", &identity.name)?;
        (parse_own(&identity.email)?, identity.name.as_str())
    };
    let name = given
        .name
        .as_deref()
        .and_then(non_empty)
        .or(non_empty(stored_name));
    Ok(Mailbox::new(name, address))
}

/// An identity as it may be saved: one valid address, a one-line name.
pub fn check_identity(identity: &crate::api::Identity) -> Result<crate::api::Identity> {
    one_line("the identity's name", &identity.name)?;
    let address = mailbox("identity", identity.email.trim())?;
    if address.name.is_some() {
        return Err(Error::new(
            ErrorKind::Config,
            "give the identity's name apart from its address",
        ));
    }
    Ok(crate::api::Identity {
        email: address.email.to_string(),
        name: identity.name.trim().to_owned(),
        signature: identity.signature.clone(),
    })
}

fn parse_own(email: &str) -> Result<Address> {
    email.trim().parse().map_err(|e| {
        Error::new(
            ErrorKind::Config,
            format!("the address {email:?} is not valid ({e})"),
        )
    })
}

/// Whether sending this address needs the SMTPUTF8 extension (RFC 6531). A non-ASCII local
/// part always does. So does a non-ASCII domain here, because it is written as given
/// (U-labels), not converted to A-labels ("xn--"): that needs the `idna` crate.
pub(super) fn needs_smtputf8(address: &Address) -> bool {
    !address.user().is_ascii() || !address.domain().is_ascii()
}

/// A display name that is all spaces is no name: lettre would write `"" <addr>`.
fn non_empty(name: &str) -> Option<String> {
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mime::tests::account;

    #[test]
    fn accepts_the_usual_forms() {
        let m = mailbox("to[0]", "bob@example.test").expect("valid");
        assert_eq!(
            (m.name, m.email.to_string()),
            (None, "bob@example.test".into())
        );
        let m = mailbox("to[0]", "Bob Martin <bob@example.test>").expect("valid");
        assert_eq!(m.name.as_deref(), Some("Bob Martin"));
        let m = mailbox("to[0]", "\"Martin, Bob\" <bob@example.test>").expect("valid");
        assert_eq!(m.name.as_deref(), Some("Martin, Bob"));
    }

    #[test]
    fn refuses_what_is_not_one_address() {
        for bad in [
            "",
            "bob",
            "bob@",
            "@example.test",
            "bob@example.test, carol@example.test",
            "Martin, Bob <bob@example.test>",
            "bob@example.test junk",
        ] {
            let err = mailbox("cc[2]", bad).expect_err(bad);
            assert_eq!(err.kind, ErrorKind::Config, "{bad:?}");
            assert!(err.message.starts_with("cc[2] "), "{}", err.message);
        }
    }

    #[test]
    fn the_sender_is_the_account_unless_an_identity_is_named() {
        let a = account();
        let m = sender(&a, None).expect("valid");
        assert_eq!(m.to_string(), "Alice Liddell <alice@example.test>");
        let m = sender(&a, Some("ALICE@Example.TEST")).expect("valid");
        assert_eq!(
            m.email.to_string(),
            "alice@example.test",
            "the account's spelling"
        );
        let m = sender(&a, Some("Al <alice@example.test>")).expect("valid");
        assert_eq!(m.name.as_deref(), Some("Al"));
        let alias = sender(&a, Some("Alice@Wonderland.example")).expect("an identity");
        assert_eq!(
            alias.to_string(),
            "Alice in Wonderland <alice@wonderland.example>"
        );
        let err = sender(&a, Some("mallory@example.test")).expect_err("not ours");
        assert_eq!(err.kind, ErrorKind::Config);
        assert_eq!(
            err.message,
            "mallory@example.test is not an identity of alice@example.test: add it to this \
             account, or send from the account that owns it"
        );
    }

    #[test]
    fn smtputf8_is_needed_for_non_ascii_local_parts() {
        let ascii: Address = "bob@example.test".parse().expect("valid");
        let utf8: Address = "zoé@example.test".parse().expect("valid");
        assert!(!needs_smtputf8(&ascii));
        assert!(needs_smtputf8(&utf8));
    }
}
