//! Gmail or Outlook in a build without that provider's OAuth2 client (no client id built
//! in, in oauth.json or in the environment): `account add` takes the password path and
//! says what works there, in the provider's own steps (the app's onboarding says the
//! same): Google's app password after 2-Step Verification; for Microsoft, only a work
//! account whose administrator still allows passwords.

use courriel_engine::lang::Lang;

/// The steps for `provider` ("google", "microsoft"), in `lang`; `None` for another one.
pub fn steps(provider: &str, lang: Lang) -> Option<&'static str> {
    Some(match (provider, lang) {
        ("google", Lang::En) => {
            "This build of Courriel cannot sign in with Google, so it uses an app password:\n\
             1. Turn on 2-Step Verification for your Google account: \
             https://myaccount.google.com/signinoptions/twosv\n\
             2. Create an app password at https://myaccount.google.com/apppasswords \
             (name it Courriel) and copy the 16 letters it shows.\n\
             3. Give them as the password (--password-stdin or COURRIEL_PASSWORD).\n\
             A Google Workspace account may need its administrator to allow app passwords."
        }
        ("google", Lang::Fr) => {
            "Cette version de Courriel ne peut pas se connecter avec Google : elle utilise un mot de passe d'application.\n\
             1. Activez la validation en deux étapes de votre compte Google : \
             https://myaccount.google.com/signinoptions/twosv\n\
             2. Créez un mot de passe d'application sur https://myaccount.google.com/apppasswords \
             (nommez-le Courriel) et copiez les 16 lettres affichées.\n\
             3. Donnez-les comme mot de passe (--password-stdin ou COURRIEL_PASSWORD).\n\
             Un compte Google Workspace peut demander que son administrateur autorise les mots de passe d'application."
        }
        ("microsoft", Lang::En) => {
            "This build of Courriel cannot sign in with Microsoft, and Microsoft no longer \
             accepts passwords from mail apps in most cases:\n\
             - A personal account (outlook.com, hotmail.com, live.com, msn.com): no password, \
             app passwords included, since September 2024. Use a build of Courriel that has a \
             Microsoft client id (the released packages do), or register one (README: Gmail \
             and Outlook in what ships) and set COURRIEL_MICROSOFT_CLIENT_ID.\n\
             - A work or school account (Microsoft 365): a password or an app password works \
             only if your administrator still allows IMAP and SMTP with a password; ask them, \
             then give it as the password (--password-stdin or COURRIEL_PASSWORD)."
        }
        ("microsoft", Lang::Fr) => {
            "Cette version de Courriel ne peut pas se connecter avec Microsoft, et Microsoft \
             n'accepte plus, le plus souvent, les mots de passe des logiciels de messagerie :\n\
             - Compte personnel (outlook.com, hotmail.com, live.com, msn.com) : aucun mot de \
             passe, mots de passe d'application compris, depuis septembre 2024. Utilisez une \
             version de Courriel qui a un identifiant client Microsoft (les paquets publiés en \
             ont un), ou enregistrez-en un (README : Gmail and Outlook in what ships) et \
             définissez COURRIEL_MICROSOFT_CLIENT_ID.\n\
             - Compte professionnel ou scolaire (Microsoft 365) : un mot de passe ou un mot de \
             passe d'application ne marche que si votre administrateur autorise encore l'IMAP et \
             le SMTP par mot de passe ; demandez-le-lui, puis donnez-le comme mot de passe \
             (--password-stdin ou COURRIEL_PASSWORD)."
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_provider_has_its_own_steps_in_both_languages() {
        for lang in [Lang::En, Lang::Fr] {
            let google = steps("google", lang).expect("google");
            assert!(
                google.contains("myaccount.google.com/apppasswords"),
                "{google}"
            );
            assert!(google.contains("2"), "{google}");
            let microsoft = steps("microsoft", lang).expect("microsoft");
            assert!(microsoft.contains("2024"), "{microsoft}");
            assert!(microsoft.contains("365"), "{microsoft}");
            assert!(
                microsoft.contains("COURRIEL_MICROSOFT_CLIENT_ID"),
                "{microsoft}"
            );
        }
        assert!(steps("google", Lang::Fr)
            .expect("fr")
            .contains("deux étapes"));
        assert_eq!(steps("fastmail", Lang::En), None);
    }
}
