//! Built-in provider settings, from each provider's own documentation. A table rather than
//! a lookup because these providers are most of the addresses people type, their settings
//! rarely change, and some (Gmail, Outlook.com) need OAuth2, which no autoconfig file can
//! set up by itself. Google Workspace and Microsoft 365 have no domain of their own here:
//! they are found by MX ([`super::mx`]) and share Gmail's and Outlook's servers.
//!
//! Implicit TLS wherever the provider offers it; Outlook.com, Microsoft 365 and iCloud
//! offer submission only with STARTTLS on 587.

use super::{AuthKind, Found, Source, UsernameForm};
use crate::api::{Endpoint, Protocol, Security};

pub(super) struct Preset {
    /// The provider's name in [`Found::provider`].
    pub id: &'static str,
    pub domains: &'static [&'static str],
    pub imap: Server,
    pub pop3: Option<Server>,
    pub smtp: Server,
    /// The OAuth2 configuration to sign in with; `None`: a password (often an app
    /// password the provider makes the user create).
    pub oauth2: Option<&'static str>,
}

pub(super) struct Server(pub &'static str, pub u16, pub Security);

use Security::{Starttls, Tls};

const GMAIL_IMAP: Server = Server("imap.gmail.com", 993, Tls);
const GMAIL_POP3: Server = Server("pop.gmail.com", 995, Tls);
const GMAIL_SMTP: Server = Server("smtp.gmail.com", 465, Tls);
const OFFICE_IMAP: Server = Server("outlook.office365.com", 993, Tls);
const OFFICE_POP3: Server = Server("outlook.office365.com", 995, Tls);

pub(super) const PRESETS: &[Preset] = &[
    Preset {
        id: "gmail",
        domains: &["gmail.com", "googlemail.com"],
        imap: GMAIL_IMAP,
        pop3: Some(GMAIL_POP3),
        smtp: GMAIL_SMTP,
        oauth2: Some("google"),
    },
    Preset {
        id: "google-workspace",
        domains: &[],
        imap: GMAIL_IMAP,
        pop3: Some(GMAIL_POP3),
        smtp: GMAIL_SMTP,
        oauth2: Some("google"),
    },
    Preset {
        id: "outlook",
        domains: &[
            "outlook.com",
            "hotmail.com",
            "live.com",
            "msn.com",
            "outlook.fr",
            "hotmail.fr",
            "live.fr",
            "outlook.be",
            "hotmail.be",
            "live.be",
            "hotmail.ch",
            "live.ca",
            "hotmail.ca",
            "outlook.de",
            "hotmail.de",
            "live.de",
            "outlook.es",
            "hotmail.es",
            "outlook.it",
            "hotmail.it",
            "live.it",
            "hotmail.co.uk",
            "live.co.uk",
            "outlook.co.uk",
        ],
        imap: OFFICE_IMAP,
        pop3: Some(OFFICE_POP3),
        smtp: Server("smtp-mail.outlook.com", 587, Starttls),
        oauth2: Some("microsoft"),
    },
    Preset {
        id: "microsoft365",
        domains: &[],
        imap: OFFICE_IMAP,
        pop3: Some(OFFICE_POP3),
        smtp: Server("smtp.office365.com", 587, Starttls),
        oauth2: Some("microsoft"),
    },
    Preset {
        id: "icloud",
        domains: &["icloud.com", "me.com", "mac.com"],
        imap: Server("imap.mail.me.com", 993, Tls),
        pop3: None,
        smtp: Server("smtp.mail.me.com", 587, Starttls),
        oauth2: None,
    },
    Preset {
        id: "yahoo",
        domains: &[
            "yahoo.com",
            "yahoo.fr",
            "yahoo.co.uk",
            "yahoo.de",
            "yahoo.es",
            "yahoo.it",
            "yahoo.ca",
            "ymail.com",
            "rocketmail.com",
        ],
        imap: Server("imap.mail.yahoo.com", 993, Tls),
        pop3: Some(Server("pop.mail.yahoo.com", 995, Tls)),
        smtp: Server("smtp.mail.yahoo.com", 465, Tls),
        oauth2: None,
    },
    Preset {
        id: "aol",
        domains: &["aol.com", "aim.com"],
        imap: Server("imap.aol.com", 993, Tls),
        pop3: Some(Server("pop.aol.com", 995, Tls)),
        smtp: Server("smtp.aol.com", 465, Tls),
        oauth2: None,
    },
    Preset {
        id: "fastmail",
        domains: &["fastmail.com", "fastmail.fm"],
        imap: Server("imap.fastmail.com", 993, Tls),
        pop3: Some(Server("pop.fastmail.com", 995, Tls)),
        smtp: Server("smtp.fastmail.com", 465, Tls),
        oauth2: None,
    },
    Preset {
        id: "gmx",
        domains: &["gmx.net", "gmx.de", "gmx.at", "gmx.ch"],
        imap: Server("imap.gmx.net", 993, Tls),
        pop3: Some(Server("pop.gmx.net", 995, Tls)),
        smtp: Server("mail.gmx.net", 465, Tls),
        oauth2: None,
    },
    Preset {
        id: "mailbox.org",
        domains: &["mailbox.org"],
        imap: Server("imap.mailbox.org", 993, Tls),
        pop3: Some(Server("pop3.mailbox.org", 995, Tls)),
        smtp: Server("smtp.mailbox.org", 465, Tls),
        oauth2: None,
    },
    Preset {
        id: "posteo",
        domains: &["posteo.de", "posteo.net"],
        imap: Server("posteo.de", 993, Tls),
        pop3: Some(Server("posteo.de", 995, Tls)),
        smtp: Server("posteo.de", 465, Tls),
        oauth2: None,
    },
    Preset {
        id: "free",
        domains: &["free.fr"],
        imap: Server("imap.free.fr", 993, Tls),
        pop3: Some(Server("pop.free.fr", 995, Tls)),
        smtp: Server("smtp.free.fr", 465, Tls),
        oauth2: None,
    },
    Preset {
        id: "orange",
        domains: &["orange.fr", "wanadoo.fr"],
        imap: Server("imap.orange.fr", 993, Tls),
        pop3: Some(Server("pop.orange.fr", 995, Tls)),
        smtp: Server("smtp.orange.fr", 465, Tls),
        oauth2: None,
    },
];

/// The preset serving addresses at `domain` (lower-case ASCII).
pub(super) fn by_domain(domain: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.domains.contains(&domain))
}

/// A preset by its id (for the MX heuristic).
pub(super) fn by_id(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

/// The preset's candidates: IMAP, then POP3 where the provider has it.
pub(super) fn found(preset: &'static Preset, source: Source) -> Vec<Found> {
    let endpoint = |s: &Server| Endpoint {
        host: s.0.to_owned(),
        port: s.1,
        security: s.2,
    };
    let auth = match preset.oauth2 {
        Some(provider) => AuthKind::OAuth2 {
            provider: Some(provider.to_owned()),
        },
        None => AuthKind::Password,
    };
    let incoming = std::iter::once((Protocol::Imap, &preset.imap))
        .chain(preset.pop3.as_ref().map(|s| (Protocol::Pop3, s)));
    incoming
        .map(|(protocol, server)| Found {
            provider: Some(preset.id),
            incoming: endpoint(server),
            protocol,
            smtp: endpoint(&preset.smtp),
            username: UsernameForm::Address,
            auth: auth.clone(),
            source: source.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_domain_has_one_preset_and_every_host_tls() {
        let mut seen = std::collections::BTreeSet::new();
        for preset in PRESETS {
            for domain in preset.domains {
                assert!(seen.insert(*domain), "{domain} is in two presets");
                assert_eq!(*domain, domain.to_ascii_lowercase());
            }
            for server in [&preset.imap, &preset.smtp]
                .into_iter()
                .chain(preset.pop3.as_ref())
            {
                let implicit = matches!(server.1, 993 | 995 | 465);
                assert_eq!(server.2 == Tls, implicit, "{} port {}", server.0, server.1);
            }
        }
        assert!(by_id("google-workspace").is_some() && by_id("microsoft365").is_some());
    }

    #[test]
    fn gmail_is_oauth2_with_implicit_tls() {
        let gmail = by_domain("googlemail.com").expect("preset");
        let found = found(gmail, Source::Preset);
        assert_eq!(found[0].protocol, Protocol::Imap);
        assert_eq!(found[0].incoming.host, "imap.gmail.com");
        assert_eq!(found[0].smtp.port, 465);
        assert_eq!(
            found[0].auth,
            AuthKind::OAuth2 {
                provider: Some("google".into())
            }
        );
        assert_eq!(found[1].protocol, Protocol::Pop3);
        assert!(by_domain("example.com").is_none());
    }
}
