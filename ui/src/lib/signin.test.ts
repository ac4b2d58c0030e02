import { describe, expect, it } from "vitest";
import type { DiscoveredSettings } from "./bindings";
import { translate } from "./i18n";
import { accountFor, appPasswordSteps, signInPath } from "./signin";

function found(provider: string | null, oauthConfigured: boolean): DiscoveredSettings {
  return {
    provider: provider === "google" ? "gmail" : provider === "microsoft" ? "outlook" : null,
    source: "preset",
    oauthConfigured,
    account: {
      email: "zoe@example.org",
      displayName: "",
      username: "zoe@example.org",
      protocol: "imap",
      incoming: { host: "imap.example.org", port: 993, security: "tls" },
      smtp: { host: "smtp.example.org", port: 465, security: "tls" },
      caFile: null,
      sentCopy: null,
      smtpPlaintextNoAuth: false,
      auth: provider ? { kind: "oAuth2", provider } : { kind: "password" },
    },
  };
}

describe("sign-in path", () => {
  it("signs in through the browser only when this build has the provider's client", () => {
    expect(signInPath(found("google", true), false)).toEqual({ kind: "oauth", provider: "google" });
    expect(signInPath(found("google", false), false)).toEqual({ kind: "appPassword", provider: "google", noClient: true });
    expect(signInPath(found("microsoft", false), false)).toEqual({
      kind: "appPassword",
      provider: "microsoft",
      noClient: true,
    });
  });

  it("lets the user pick an app password, and leaves password accounts alone", () => {
    expect(signInPath(found("google", true), true)).toEqual({ kind: "appPassword", provider: "google", noClient: false });
    expect(signInPath(found(null, false), false)).toEqual({ kind: "password" });
    expect(signInPath(found(null, false), true)).toEqual({ kind: "password" });
  });

  it("creates a password account on the app-password path", () => {
    const gmail = found("google", false);
    const account = accountFor(gmail, signInPath(gmail, false), "Zoe");
    expect(account.auth).toEqual({ kind: "password" });
    expect(account.displayName).toBe("Zoe");
    const oauth = found("google", true);
    expect(accountFor(oauth, signInPath(oauth, false), "Zoe").auth).toEqual({ kind: "oAuth2", provider: "google" });
  });

  it("gives each provider its own steps, in English and French", () => {
    for (const lang of ["en", "fr"] as const) {
      const g = appPasswordSteps("google");
      expect(g.ordered).toBe(true);
      const google = [...g.steps, g.note!].map((k) => translate(lang, k)).join("\n");
      expect(google).toContain("myaccount.google.com/apppasswords");
      expect(google).toContain("myaccount.google.com/signinoptions/twosv");
      const ms = appPasswordSteps("microsoft");
      expect(ms.ordered).toBe(false);
      const microsoft = [ms.intro!, ...ms.steps].map((k) => translate(lang, k)).join("\n");
      expect(microsoft).toContain("2024");
      expect(microsoft).toContain("365");
      expect(translate(lang, "noOAuthClient", { provider: "Google" })).toContain("Google");
    }
    expect(appPasswordSteps("fastmail").steps).toEqual([]);
  });
});
