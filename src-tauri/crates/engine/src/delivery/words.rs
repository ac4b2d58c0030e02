//! A recipient's fate in plain words: what happened, why, and what to do. The causes are
//! the ones people meet after "accepted": an unknown or full mailbox, a message too large,
//! mail taken for spam, the sending server on a blocklist, SPF/DKIM/DMARC failures,
//! greylisting and other delays, a relay loop, a domain that takes no mail.

use super::{Action, Fate};
use crate::api::Words;

/// Why, and what to do, for one recipient (English and French).
pub fn fate_words(fate: &Fate) -> Words {
    let (en, fr) = reason(fate);
    Words::new(en, fr)
}

/// The one-line headline a bounce gets in the reader.
pub fn headline(subject: Option<&str>, fate: &Fate) -> Words {
    let to = &fate.address;
    let (en_subject, fr_subject) = match subject.filter(|s| !s.trim().is_empty()) {
        Some(s) => (
            format!("Your message \u{201c}{s}\u{201d}"),
            format!("Votre message \u{ab} {s} \u{bb}"),
        ),
        None => ("Your message".to_owned(), "Votre message".to_owned()),
    };
    match fate.action {
        Action::Failed => Words::new(
            format!("{en_subject} to {to} could not be delivered"),
            format!("{fr_subject} \u{e0} {to} n\u{2019}a pas pu \u{ea}tre distribu\u{e9}"),
        ),
        Action::Delayed => Words::new(
            format!("{en_subject} to {to} is delayed: the servers are still trying"),
            format!("{fr_subject} \u{e0} {to} est retard\u{e9} : les serveurs r\u{e9}essaient"),
        ),
        Action::Delivered | Action::Relayed | Action::Expanded => Words::new(
            format!("{en_subject} to {to} was delivered"),
            format!("{fr_subject} \u{e0} {to} a \u{e9}t\u{e9} distribu\u{e9}"),
        ),
    }
}

type Pair = (&'static str, &'static str);

/// The cause, by status code first, then by the words of the remote server.
fn reason(fate: &Fate) -> (String, String) {
    let status = fate.status.as_deref().unwrap_or("");
    let said = fate
        .diagnostic
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    if fate.action == Action::Delayed {
        return own(delayed(&said));
    }
    if matches!(
        fate.action,
        Action::Delivered | Action::Relayed | Action::Expanded
    ) {
        return own(DELIVERED);
    }
    if let Some(list) = blocklist_named(&said) {
        return (
            format!("The recipient's server refused mail from your provider's server because it is on the {list} blocklist. Tell your provider (they must get it delisted); meanwhile, write from another account."),
            format!("Le serveur du destinataire a refus\u{e9} le courrier du serveur de votre fournisseur, inscrit sur la liste de blocage {list}. Pr\u{e9}venez votre fournisseur (il doit en \u{ea}tre retir\u{e9}) ; en attendant, \u{e9}crivez depuis un autre compte."),
        );
    }
    own(by_words(&said)
        .or_else(|| by_status(status))
        .unwrap_or(UNKNOWN))
}

fn own((en, fr): Pair) -> (String, String) {
    (en.to_owned(), fr.to_owned())
}

const BLOCKLISTS: &[(&str, &str)] = &[
    ("spamhaus", "Spamhaus"),
    ("barracuda", "Barracuda"),
    ("spamcop", "SpamCop"),
    ("sorbs", "SORBS"),
    ("uceprotect", "UCEPROTECT"),
    ("psbl", "PSBL"),
    ("abuseat", "CBL"),
];

fn blocklist_named(said: &str) -> Option<&'static str> {
    if let Some((_, name)) = BLOCKLISTS.iter().find(|(key, _)| said.contains(key)) {
        return Some(name);
    }
    [
        "blocklist",
        "blacklist",
        "block list",
        "black list",
        " rbl",
        "dnsbl",
    ]
    .iter()
    .any(|w| said.contains(w))
    .then_some("a")
}

fn by_words(said: &str) -> Option<Pair> {
    let has = |words: &[&str]| words.iter().any(|w| said.contains(w));
    if has(&["dmarc"]) {
        return Some(DMARC);
    }
    if has(&["spf"]) {
        return Some(SPF);
    }
    if has(&["dkim"]) {
        return Some(DKIM);
    }
    if has(&["greylist", "graylist", "try again later"]) {
        return Some(GREYLIST);
    }
    if has(&[
        "quota",
        "mailbox full",
        "mailbox is full",
        "insufficient storage",
    ]) {
        return Some(FULL);
    }
    if has(&["spam", "junk", "content rejected", "policy"]) {
        return Some(SPAM);
    }
    if has(&[
        "user unknown",
        "no such user",
        "does not exist",
        "unknown user",
        "not found",
        "recipient rejected",
        "invalid recipient",
    ]) {
        return Some(UNKNOWN_USER);
    }
    if has(&["loop"]) {
        return Some(LOOP);
    }
    None
}

fn by_status(status: &str) -> Option<Pair> {
    Some(match status {
        "5.1.1" | "5.1.0" | "5.1.6" | "5.1.10" => UNKNOWN_USER,
        "5.1.2" | "5.4.4" | "5.1.8" => NO_DOMAIN,
        "5.2.2" | "4.2.2" => FULL,
        "5.2.3" | "5.3.4" => TOO_LARGE,
        "5.4.6" | "5.4.14" => LOOP,
        "5.7.26" => DMARC,
        "5.7.23" => SPF,
        "5.7.1" | "5.7.0" | "5.7.27" => REFUSED,
        "5.2.1" => DISABLED,
        "4.4.7" | "5.4.7" => EXPIRED,
        _ => return None,
    })
}

fn delayed(said: &str) -> Pair {
    if ["greylist", "graylist", "try again later"]
        .iter()
        .any(|w| said.contains(w))
    {
        return GREYLIST;
    }
    DELAYED
}

const UNKNOWN_USER: Pair = (
    "The address does not exist at the recipient's provider. Check it for a typo, or ask them for their current address.",
    "L\u{2019}adresse n\u{2019}existe pas chez le fournisseur du destinataire. V\u{e9}rifiez-la (faute de frappe ?) ou demandez-lui son adresse actuelle.",
);
const NO_DOMAIN: Pair = (
    "The recipient's domain does not take mail (it has no mail server, or does not exist). Check the part after @.",
    "Le domaine du destinataire ne re\u{e7}oit pas de courrier (pas de serveur de messagerie, ou il n\u{2019}existe pas). V\u{e9}rifiez la partie apr\u{e8}s @.",
);
const FULL: Pair = (
    "The recipient's mailbox is full. They must free space; try again later or reach them another way.",
    "La bo\u{ee}te du destinataire est pleine. Il doit faire de la place ; r\u{e9}essayez plus tard ou joignez-le autrement.",
);
const TOO_LARGE: Pair = (
    "The message is larger than the recipient's server accepts. Send the attachments as a link, or in smaller parts.",
    "Le message d\u{e9}passe la taille accept\u{e9}e par le serveur du destinataire. Envoyez les pi\u{e8}ces jointes sous forme de lien, ou en plusieurs fois.",
);
const SPAM: Pair = (
    "The recipient's server took the message for spam and refused it. Reach them another way and ask them to allow your address; avoid link shorteners and large images.",
    "Le serveur du destinataire a pris le message pour du spam et l\u{2019}a refus\u{e9}. Joignez-le autrement pour qu\u{2019}il autorise votre adresse ; \u{e9}vitez les raccourcisseurs de liens et les grandes images.",
);
const DMARC: Pair = (
    "The recipient's server refused it because your domain's DMARC policy was not met (SPF or DKIM did not align). Run the domain check in Settings and fix what it finds.",
    "Le serveur du destinataire l\u{2019}a refus\u{e9} : la politique DMARC de votre domaine n\u{2019}est pas respect\u{e9}e (SPF ou DKIM non align\u{e9}s). Lancez la v\u{e9}rification du domaine dans les R\u{e9}glages et corrigez ce qu\u{2019}elle trouve.",
);
const SPF: Pair = (
    "The recipient's server refused it because your domain's SPF record does not allow your provider's server. Run the domain check in Settings.",
    "Le serveur du destinataire l\u{2019}a refus\u{e9} : l\u{2019}enregistrement SPF de votre domaine n\u{2019}autorise pas le serveur de votre fournisseur. Lancez la v\u{e9}rification du domaine dans les R\u{e9}glages.",
);
const DKIM: Pair = (
    "The recipient's server refused it because its DKIM signature did not verify. Run the domain check in Settings; ask your provider if it persists.",
    "Le serveur du destinataire l\u{2019}a refus\u{e9} : sa signature DKIM n\u{2019}a pas pu \u{ea}tre v\u{e9}rifi\u{e9}e. Lancez la v\u{e9}rification du domaine dans les R\u{e9}glages ; interrogez votre fournisseur si cela persiste.",
);
const REFUSED: Pair = (
    "The recipient's server refused it by its policy (sender not allowed, or taken for spam). Reach them another way and ask them to allow your address.",
    "Le serveur du destinataire l\u{2019}a refus\u{e9} selon sa politique (exp\u{e9}diteur non autoris\u{e9}, ou pris pour du spam). Joignez-le autrement pour qu\u{2019}il autorise votre adresse.",
);
const DISABLED: Pair = (
    "The recipient's mailbox is disabled and takes no mail. Ask them for another address.",
    "La bo\u{ee}te du destinataire est d\u{e9}sactiv\u{e9}e et ne re\u{e7}oit rien. Demandez-lui une autre adresse.",
);
const LOOP: Pair = (
    "The message went round in circles between servers (a forwarding loop) and was stopped. Tell the recipient: their forwarding is misconfigured.",
    "Le message a tourn\u{e9} en rond entre des serveurs (une boucle de transfert) et a \u{e9}t\u{e9} arr\u{ea}t\u{e9}. Pr\u{e9}venez le destinataire : son transfert est mal r\u{e9}gl\u{e9}.",
);
const EXPIRED: Pair = (
    "The servers kept trying for days and gave up: the recipient's server never answered. Try again later or reach them another way.",
    "Les serveurs ont r\u{e9}essay\u{e9} pendant des jours puis abandonn\u{e9} : le serveur du destinataire n\u{2019}a jamais r\u{e9}pondu. R\u{e9}essayez plus tard ou joignez-le autrement.",
);
const GREYLIST: Pair = (
    "The recipient's server asked to try again later (greylisting, a common anti-spam delay). Nothing to do: it usually goes through within the hour.",
    "Le serveur du destinataire a demand\u{e9} de r\u{e9}essayer plus tard (liste grise, un d\u{e9}lai anti-spam courant). Rien \u{e0} faire : cela passe g\u{e9}n\u{e9}ralement dans l\u{2019}heure.",
);
const DELAYED: Pair = (
    "Not delivered yet: your provider's server is still trying. Nothing to do unless it fails; you will get another report then.",
    "Pas encore distribu\u{e9} : le serveur de votre fournisseur r\u{e9}essaie. Rien \u{e0} faire sauf en cas d\u{2019}\u{e9}chec ; un autre rapport arrivera alors.",
);
const DELIVERED: Pair = (
    "Delivered to the recipient's server.",
    "Remis au serveur du destinataire.",
);
const UNKNOWN: Pair = (
    "The recipient's server refused it; its own words are below. Check the address, or reach them another way.",
    "Le serveur du destinataire l\u{2019}a refus\u{e9} ; ses propres mots figurent ci-dessous. V\u{e9}rifiez l\u{2019}adresse ou joignez-le autrement.",
);
