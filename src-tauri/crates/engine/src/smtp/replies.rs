//! SMTP replies as data, and in plain words.
//!
//! Every reply keeps its code, its enhanced status code (RFC 3463, "5.1.1") when the
//! server sent one, and the server's own text. [`explain`] turns the common ones into a
//! cause and a next step, in English or French; the server's text is always shown too,
//! because it is the only thing that knows the specifics.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An RFC 3463 enhanced status code: class.subject.detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Enhanced {
    pub class: u8,
    pub subject: u16,
    pub detail: u16,
}

impl std::fmt::Display for Enhanced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// The enhanced status code at the start of a reply text ("5.1.1 <bob@x>: unknown"),
/// if it is one whose class agrees with the reply code's first digit.
pub fn enhanced_status(code: u16, text: &str) -> Option<Enhanced> {
    let word = text.split_whitespace().next()?;
    let mut parts = word.split('.');
    let class: u8 = parts.next()?.parse().ok()?;
    let subject: u16 = parts.next()?.parse().ok()?;
    let detail: u16 = parts.next()?.parse().ok()?;
    let consistent = parts.next().is_none()
        && matches!(class, 2 | 4 | 5)
        && u16::from(class) == code / 100
        && subject < 1000
        && detail < 1000;
    consistent.then_some(Enhanced {
        class,
        subject,
        detail,
    })
}

pub use crate::lang::Lang;

/// What a reply means for the user, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub cause: String,
    pub next_step: String,
    /// Whether Courriel will try again by itself.
    pub will_retry: bool,
}

struct Entry {
    code: Option<u16>,
    enhanced: Option<(u8, u16, Option<u16>)>,
    en: (&'static str, &'static str),
    fr: (&'static str, &'static str),
}

/// Most specific first: the first entry that matches wins.
const TABLE: &[Entry] = &[
    Entry {
        code: Some(550),
        enhanced: Some((5, 4, Some(5))),
        en: ("Your provider's daily sending limit is reached (Gmail's 5.4.5 quota).",
             "Wait up to 24 hours before sending more, or send from another account."),
        fr: ("La limite d'envoi quotidienne de votre fournisseur est atteinte (quota 5.4.5 de Gmail).",
             "Attendez jusqu'à 24 heures avant d'envoyer davantage, ou utilisez un autre compte."),
    },
    Entry {
        code: None,
        enhanced: Some((5, 1, Some(1))),
        en: ("This address does not exist on the recipient's server.",
             "Check the address for typos, or ask the person for their current address."),
        fr: ("Cette adresse n'existe pas sur le serveur du destinataire.",
             "Vérifiez l'orthographe de l'adresse, ou demandez son adresse actuelle à la personne."),
    },
    Entry {
        code: None,
        enhanced: Some((5, 7, Some(1))),
        en: ("The server refused this message by policy: the sender is not allowed, or it looked like spam.",
             "Read the server's text below; check that you send from your own address and that your domain's SPF/DKIM are right."),
        fr: ("Le serveur a refusé ce message par politique : expéditeur non autorisé, ou message jugé indésirable.",
             "Lisez le texte du serveur ci-dessous ; vérifiez que vous envoyez depuis votre adresse et que SPF/DKIM de votre domaine sont corrects."),
    },
    Entry {
        code: None,
        enhanced: Some((5, 3, Some(4))),
        en: ("The message is larger than the server accepts.",
             "Remove or shrink attachments (share large files by link), then send again."),
        fr: ("Le message dépasse la taille que le serveur accepte.",
             "Retirez ou réduisez les pièces jointes (partagez les gros fichiers par lien), puis renvoyez."),
    },
    Entry {
        code: None,
        enhanced: Some((5, 2, Some(2))),
        en: ("The recipient's mailbox is full.",
             "The recipient must free space; try again later or reach them another way."),
        fr: ("La boîte aux lettres du destinataire est pleine.",
             "Le destinataire doit libérer de la place ; réessayez plus tard ou joignez-le autrement."),
    },
    Entry {
        code: Some(454),
        enhanced: Some((4, 7, Some(0))),
        en: ("The provider's sign-in service is having trouble (a temporary authentication failure).",
             "Nothing to do: Courriel will retry; your password is not in question."),
        fr: ("Le service de connexion du fournisseur a un problème (échec temporaire d'authentification).",
             "Rien à faire : Courriel réessaiera ; votre mot de passe n'est pas en cause."),
    },
    Entry {
        code: None,
        enhanced: Some((4, 7, None)),
        en: ("The server asks you to slow down or try later (rate limiting or greylisting).",
             "Nothing to do: Courriel will retry later, more slowly."),
        fr: ("Le serveur demande de ralentir ou de réessayer plus tard (limitation de débit ou liste grise).",
             "Rien à faire : Courriel réessaiera plus tard, plus lentement."),
    },
    Entry {
        code: Some(421),
        enhanced: None,
        en: ("The server is closing the connection: it is busy or shutting down.",
             "Nothing to do: Courriel will retry later."),
        fr: ("Le serveur ferme la connexion : il est surchargé ou s'arrête.",
             "Rien à faire : Courriel réessaiera plus tard."),
    },
    Entry {
        code: Some(450),
        enhanced: None,
        en: ("The mailbox is temporarily unavailable.",
             "Nothing to do: Courriel will retry later."),
        fr: ("La boîte aux lettres est momentanément indisponible.",
             "Rien à faire : Courriel réessaiera plus tard."),
    },
    Entry {
        code: Some(451),
        enhanced: None,
        en: ("The server hit a temporary problem (often greylisting of new senders).",
             "Nothing to do: Courriel will retry later."),
        fr: ("Le serveur a rencontré un problème temporaire (souvent une liste grise pour les nouveaux expéditeurs).",
             "Rien à faire : Courriel réessaiera plus tard."),
    },
    Entry {
        code: Some(452),
        enhanced: None,
        en: ("The server is short of storage, or too many recipients were given at once.",
             "Nothing to do: Courriel will retry later; with very many recipients it sends in smaller batches."),
        fr: ("Le serveur manque d'espace, ou trop de destinataires ont été donnés d'un coup.",
             "Rien à faire : Courriel réessaiera plus tard, par lots plus petits si besoin."),
    },
    Entry {
        code: Some(454),
        enhanced: None,
        en: ("The server could not start TLS or authenticate right now.",
             "Nothing to do: Courriel will retry later. If it persists, contact your provider."),
        fr: ("Le serveur n'a pas pu démarrer TLS ou vous authentifier pour le moment.",
             "Rien à faire : Courriel réessaiera plus tard. Si cela persiste, contactez votre fournisseur."),
    },
    Entry {
        code: Some(530),
        enhanced: None,
        en: ("The server requires you to sign in (or to use encryption) before sending.",
             "Check the account's outgoing server settings: authentication must be on."),
        fr: ("Le serveur exige une connexion (ou le chiffrement) avant l'envoi.",
             "Vérifiez les réglages du serveur sortant du compte : l'authentification doit être activée."),
    },
    Entry {
        code: Some(534),
        enhanced: None,
        en: ("The server wants a stronger sign-in method (Gmail: an app password or OAuth).",
             "Sign in again with your provider's account, or create an app password."),
        fr: ("Le serveur exige une méthode de connexion plus forte (Gmail : mot de passe d'application ou OAuth).",
             "Reconnectez-vous avec le compte de votre fournisseur, ou créez un mot de passe d'application."),
    },
    Entry {
        code: Some(535),
        enhanced: None,
        en: ("The server rejected your user name or password.",
             "Check the password (or sign in again); some providers need an app password."),
        fr: ("Le serveur a refusé votre identifiant ou votre mot de passe.",
             "Vérifiez le mot de passe (ou reconnectez-vous) ; certains fournisseurs exigent un mot de passe d'application."),
    },
    Entry {
        code: Some(552),
        enhanced: None,
        en: ("The message is too large for the server, or the mailbox is full (storage exceeded).",
             "Remove or shrink attachments (share large files by link) and send again."),
        fr: ("Le message est trop gros pour le serveur, ou la boîte est pleine.",
             "Retirez ou réduisez les pièces jointes (partagez les gros fichiers par lien) et renvoyez."),
    },
    Entry {
        code: Some(554),
        enhanced: None,
        en: ("The server refused the message outright.",
             "Read the server's text below; the message stays in the outbox for you to edit."),
        fr: ("Le serveur a refusé le message.",
             "Lisez le texte du serveur ci-dessous ; le message reste dans la boîte d'envoi pour être modifié."),
    },
    Entry {
        code: Some(550),
        enhanced: None,
        en: ("The recipient's server refused the message for this address.",
             "Read the server's text below; check the address, then edit and send again."),
        fr: ("Le serveur du destinataire a refusé le message pour cette adresse.",
             "Lisez le texte du serveur ci-dessous ; vérifiez l'adresse, puis modifiez et renvoyez."),
    },
];

/// Explain a reply in plain words, if it is a common one. 4xx replies are retried.
pub fn explain(code: u16, text: &str, lang: Lang) -> Option<Explanation> {
    let enhanced = enhanced_status(code, text);

    let entry = TABLE.iter().find(|e| {
        e.code.is_none_or(|c| c == code)
            && e.enhanced.is_none_or(|(class, subject, detail)| {
                enhanced.is_some_and(|x| {
                    x.class == class && x.subject == subject && detail.is_none_or(|d| d == x.detail)
                })
            })
    })?;
    let (cause, next_step) = match lang {
        Lang::En => entry.en,
        Lang::Fr => entry.fr,
    };
    Some(Explanation {
        cause: cause.to_owned(),
        next_step: next_step.to_owned(),
        will_retry: (400..500).contains(&code),
    })
}

/// A recipient's last reply explained as things stand now: a temporary refusal that
/// Courriel gave up on (two days old) no longer says "Courriel will retry".
pub fn explain_recipient(r: &crate::api::RecipientResult, lang: Lang) -> Option<Explanation> {
    use crate::api::RecipientState;
    let mut e = explain(r.code, &r.text, lang)?;
    if e.will_retry && r.state != RecipientState::Deferred {
        e.will_retry = false;
        e.next_step = match lang {
            Lang::En => "Courriel stopped retrying: send it again later (resend), or reach them another way.",
            Lang::Fr => "Courriel a cessé de réessayer : renvoyez-le plus tard, ou joignez la personne autrement.",
        }
        .to_owned();
    }
    Some(e)
}

/// A recipient's state in words, with the server's reply when there is one.
impl crate::api::RecipientResult {
    /// What happened to this recipient, in words ("accepted", "not tried yet", the reply).
    pub fn words(&self) -> String {
        recipient_words(self)
    }

    /// What the server's reply for this recipient means and what to do, when known.
    pub fn explanation(&self, lang: Lang) -> Option<Explanation> {
        explain_recipient(self, lang)
    }
}

pub fn recipient_words(r: &crate::api::RecipientResult) -> String {
    use crate::api::RecipientState as S;
    let reply = || format!("{} {}", r.code, r.text).trim().to_owned();
    match r.state {
        S::Pending if r.code == 0 => "not tried yet".to_owned(),
        S::Pending => format!("waiting (last reply: {})", reply()),
        S::Accepted => format!("accepted: {}", reply()),
        S::Deferred => format!("refused for now, will retry: {}", reply()),
        S::Refused => format!("refused: {}", reply()),
        S::Uncertain => format!(
            "uncertain, maybe sent (no confirmation){}",
            if r.code == 0 {
                String::new()
            } else {
                format!(": {}", reply())
            }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_enhanced_codes_only_when_consistent() {
        let e = enhanced_status(
            550,
            "5.1.1 <nobody@example.test>: Recipient address rejected",
        );
        assert_eq!(e.map(|e| e.to_string()).as_deref(), Some("5.1.1"));
        assert_eq!(enhanced_status(451, "5.1.1 mismatch"), None);
        assert_eq!(
            enhanced_status(250, "2.0.0 Ok: queued as 4XyZ").map(|e| e.detail),
            Some(0)
        );
        assert_eq!(enhanced_status(550, "mailbox unavailable"), None);
        assert_eq!(enhanced_status(550, "5.1 short"), None);
    }

    #[test]
    fn the_most_specific_explanation_wins() {
        let unknown =
            explain(550, "5.1.1 <nobody@example.test>: User unknown", Lang::En).expect("550 5.1.1");
        assert!(unknown.cause.contains("does not exist"), "{unknown:?}");
        assert!(!unknown.will_retry);
        let quota = explain(550, "5.4.5 Daily user sending limit exceeded.", Lang::En)
            .expect("gmail quota");
        assert!(quota.cause.contains("daily"), "{quota:?}");
        let policy = explain(550, "5.7.1 Relaying denied", Lang::Fr).expect("5.7.1");
        assert!(policy.cause.contains("politique"), "{policy:?}");
        let plain = explain(550, "mailbox unavailable", Lang::En).expect("bare 550");
        assert!(plain.cause.contains("refused"), "{plain:?}");
    }

    #[test]
    fn slow_down_and_greylisting_are_retried() {
        let grey =
            explain(451, "4.7.1 Greylisted, please try again later", Lang::En).expect("4.7.1");
        assert!(grey.cause.contains("slow down"), "{grey:?}");
        assert!(grey.will_retry);
        let plain = explain(451, "4.3.0 local error", Lang::Fr).expect("451");
        assert!(plain.cause.contains("temporaire"));
    }

    #[test]
    fn size_mailbox_full_and_temporary_sign_in_are_told_apart() {
        let big = explain(552, "5.3.4 Message size exceeds fixed limit", Lang::En).expect("5.3.4");
        assert!(
            big.cause.contains("larger than the server accepts"),
            "{big:?}"
        );
        assert!(!big.will_retry);
        let full = explain(552, "5.2.2 Mailbox full", Lang::En).expect("5.2.2");
        assert!(full.cause.contains("mailbox is full"), "{full:?}");
        let temp = explain(454, "4.7.0 Temporary authentication failure", Lang::En).expect("454");
        assert!(temp.cause.contains("sign-in service"), "{temp:?}");
        assert!(temp.will_retry);
    }

    #[test]
    fn a_given_up_refusal_no_longer_promises_a_retry() {
        use crate::api::{RecipientResult, RecipientState};
        let mut r = RecipientResult::pending("bob@example.test");
        assert_eq!(recipient_words(&r), "not tried yet");
        r.code = 451;
        r.text = "gave up after two days of temporary refusals: 4.7.1 later".into();
        r.state = RecipientState::Refused;
        let e = explain_recipient(&r, Lang::En).expect("451");
        assert!(!e.will_retry);
        assert!(!e.next_step.contains("will retry"), "{e:?}");
        r.state = RecipientState::Deferred;
        assert!(explain_recipient(&r, Lang::En).expect("451").will_retry);
        assert!(recipient_words(&r).starts_with("refused for now, will retry: 451"));
    }

    #[test]
    fn every_listed_code_has_words_in_both_languages() {
        for code in [421, 450, 451, 452, 454, 530, 534, 535, 550, 552, 554] {
            for lang in [Lang::En, Lang::Fr] {
                let e = explain(code, "", lang).unwrap_or_else(|| panic!("{code} {lang:?}"));
                assert!(!e.cause.is_empty() && !e.next_step.is_empty());
            }
        }
        assert_eq!(explain(250, "2.0.0 Ok", Lang::En), None);
    }
}
