//! The MX heuristic: a domain whose mail exchanger is Google's is a Google Workspace
//! domain, one whose exchanger is `*.mail.protection.outlook.com` is a Microsoft 365 one;
//! both are served by the provider's preset (the same IMAP and SMTP hosts for every
//! customer). Any other exchanger says nothing about where to read mail: the MX host
//! receives mail from other servers and is often not the IMAP host, so it is never used as
//! a guess.

use super::dns::{self, Resolver};
use super::presets;
use super::tried::Miss;
use super::{Address, Found, Source};

/// Exchanger suffixes and the preset they mean.
const PROVIDERS: [(&str, &str); 3] = [
    ("google.com", "google-workspace"),
    ("googlemail.com", "google-workspace"),
    ("mail.protection.outlook.com", "microsoft365"),
];

pub(super) async fn lookup(resolver: &Resolver, address: &Address) -> Result<Vec<Found>, Miss> {
    let exchangers = dns::mx(resolver, &address.domain).await?;
    if exchangers.is_empty() {
        return Err(Miss::absent("none published"));
    }
    if exchangers.iter().all(Option::is_none) {
        return Err(Miss::absent(format!(
            "a null MX: {} receives no mail",
            address.domain
        )));
    }
    let hosts: Vec<&str> = exchangers.iter().flatten().map(String::as_str).collect();
    for host in &hosts {
        if let Some(preset) = provider_of(host).and_then(presets::by_id) {
            return Ok(presets::found(preset, Source::Mx((*host).to_owned())));
        }
    }
    Err(Miss::absent(format!(
        "{} is not Google Workspace or Microsoft 365",
        hosts.join(", ")
    )))
}

/// The preset id an exchanger's host name points to.
fn provider_of(host: &str) -> Option<&'static str> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    PROVIDERS
        .iter()
        .find(|(suffix, _)| host.ends_with(&format!(".{suffix}")))
        .map(|(_, id)| *id)
}

#[cfg(test)]
mod tests {
    use super::provider_of;

    #[test]
    fn google_and_microsoft_exchangers() {
        assert_eq!(provider_of("aspmx.l.google.com"), Some("google-workspace"));
        assert_eq!(
            provider_of("ALT1.ASPMX.L.GOOGLE.COM."),
            Some("google-workspace")
        );
        assert_eq!(provider_of("smtp.google.com"), Some("google-workspace"));
        assert_eq!(
            provider_of("aspmx2.googlemail.com"),
            Some("google-workspace")
        );
        assert_eq!(
            provider_of("contoso-com.mail.protection.outlook.com"),
            Some("microsoft365")
        );
        assert_eq!(provider_of("notgoogle.com"), None);
        assert_eq!(provider_of("google.com.example.test"), None);
        assert_eq!(provider_of("mx.example.test"), None);
        assert_eq!(provider_of("mail.protection.outlook.com.evil.test"), None);
    }
}
