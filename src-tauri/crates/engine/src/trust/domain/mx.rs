//! MX: where the domain's mail goes; none, or a null MX, is what receivers hold against it.

use hickory_resolver::TokioResolver;

use super::finding;
use crate::api::{DomainReport, FindingStatus, Words};
use crate::error::Result;
use crate::trust::dns;

pub(super) async fn mx(
    resolver: &TokioResolver,
    domain: &str,
    report: &mut DomainReport,
) -> Result<()> {
    let hosts = dns::mx(resolver, domain).await?;
    let f = if hosts.is_empty() {
        finding(
            "mx",
            FindingStatus::Error,
            Words::new(
                format!("{domain} has no MX record: other servers may refuse mail from it, and replies cannot reach it."),
                format!("{domain} n'a pas d'enregistrement MX : d'autres serveurs peuvent refuser son courrier, et les réponses ne peuvent pas lui parvenir."),
            ),
            Some(Words::new(
                "Add an MX record pointing at your provider's receiving server.",
                "Ajoutez un enregistrement MX qui pointe vers le serveur de réception de votre fournisseur.",
            )),
            None,
        )
    } else if hosts.iter().all(Option::is_none) {
        finding(
            "mx",
            FindingStatus::Warning,
            Words::new(
                format!("{domain} publishes a null MX: it says it receives no mail, and receivers may refuse mail from it."),
                format!("{domain} publie un MX nul : il annonce ne recevoir aucun courrier, et des destinataires peuvent refuser le sien."),
            ),
            Some(Words::new(
                "Replace the null MX with your provider's receiving server if this address should get replies.",
                "Remplacez le MX nul par le serveur de réception de votre fournisseur si cette adresse doit recevoir des réponses.",
            )),
            None,
        )
    } else {
        let list = hosts
            .iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        finding(
            "mx",
            FindingStatus::Ok,
            Words::new(
                format!("Mail for {domain} goes to {list}."),
                format!("Le courrier pour {domain} arrive sur {list}."),
            ),
            None,
            Some(list),
        )
    };
    report.findings.push(f);
    Ok(())
}
