// How onboarding signs in with what discovery found. OAuth2 in the browser needs this
// build to have the provider's client (`oauthConfigured`, from the engine: a client id
// built in, in oauth.json or in the environment); without one, Gmail and Outlook go
// straight to the password path with the provider's own steps, never to a sign-in
// button that cannot work. The user may also pick an app password over OAuth2.
import type { DiscoveredSettings, NewAccount } from "./bindings";

export type SignInPath =
  | { kind: "oauth"; provider: string }
  | { kind: "appPassword"; provider: string; noClient: boolean }
  | { kind: "password" };

export function signInPath(found: DiscoveredSettings, preferPassword: boolean): SignInPath {
  const auth = found.account.auth;
  if (auth.kind !== "oAuth2") return { kind: "password" };
  if (!found.oauthConfigured) return { kind: "appPassword", provider: auth.provider, noClient: true };
  if (preferPassword) return { kind: "appPassword", provider: auth.provider, noClient: false };
  return { kind: "oauth", provider: auth.provider };
}

/** The account to create: on a password path, with a password instead of OAuth2. */
export function accountFor(found: DiscoveredSettings, path: SignInPath, displayName: string): NewAccount {
  const account = { ...found.account, displayName };
  return path.kind === "oauth" ? account : { ...account, auth: { kind: "password" } };
}

/** What to tell about a provider's password path (i18n keys): an introduction, the
 *  steps (numbered when `ordered`, else alternatives), and a closing note. */
export type AppPasswordHelp = { intro: HelpKey | null; steps: HelpKey[]; ordered: boolean; note: HelpKey | null };

export function appPasswordSteps(provider: string): AppPasswordHelp {
  if (provider === "google") {
    return { intro: null, steps: ["googleStep1", "googleStep2", "googleStep3"], ordered: true, note: "googleWorkspace" };
  }
  if (provider === "microsoft") {
    return { intro: "microsoftNoPassword", steps: ["microsoftPersonal", "microsoftWork"], ordered: false, note: null };
  }
  return { intro: null, steps: [], ordered: false, note: null };
}

type HelpKey =
  | "googleStep1"
  | "googleStep2"
  | "googleStep3"
  | "googleWorkspace"
  | "microsoftNoPassword"
  | "microsoftPersonal"
  | "microsoftWork";

export const providerName = (p: string): string => (p === "google" ? "Google" : p === "microsoft" ? "Microsoft" : p);
