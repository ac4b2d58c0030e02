import { describe, expect, it } from "vitest";
import type { DomainFinding, DomainReport } from "./bindings";
import { groupFindings, groupStatus, overallStatus } from "./domaincheck";

const f = (topic: string, status: DomainFinding["status"], en: string, fix?: string): DomainFinding => ({
  topic,
  status,
  words: { en, fr: `fr: ${en}` },
  fix: fix ? { en: fix, fr: `fr: ${fix}` } : null,
  record: null,
});

const report = (findings: DomainFinding[]): DomainReport => ({
  domain: "example.org",
  userControlled: true,
  findings,
  dkimSelectors: [],
  spfLookups: 1,
});

describe("domain check findings", () => {
  it("are grouped in the order MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT, DNSBL whatever order they came in", () => {
    const groups = groupFindings(
      report([
        f("tls-rpt", "info", "no TLS-RPT"),
        f("dmarc", "error", "no DMARC", "publish one"),
        f("spf", "ok", "SPF found"),
        f("mx", "ok", "MX found"),
        f("spf", "ok", "covers smtp"),
        f("mta-sts", "info", "no MTA-STS"),
        f("blocklists", "error", "Listed: 192.0.2.30 on Spamhaus", "request removal"),
        f("dkim", "warning", "revoked key"),
      ]),
      "en",
    );
    expect(groups.map((g) => g.label)).toEqual(["MX", "SPF", "DKIM", "DMARC", "MTA-STS", "TLS-RPT", "DNSBL"]);
    expect(groups.find((g) => g.topic === "spf")?.findings.map((x) => x.text)).toEqual(["SPF found", "covers smtp"]);
    expect(groups.find((g) => g.topic === "dmarc")).toMatchObject({
      status: "fail",
      findings: [{ text: "no DMARC", fix: "publish one" }],
    });
  });

  it("speak the user's language, fixes included", () => {
    const [dmarc] = groupFindings(report([f("dmarc", "error", "no DMARC", "publish one")]), "fr");
    expect(dmarc.findings[0]).toMatchObject({ text: "fr: no DMARC", fix: "fr: publish one" });
  });

  it("take the worst status of a group: an error fails it even beside a pass", () => {
    expect(groupStatus([{ status: "ok" }, { status: "error" }, { status: "warning" }])).toBe("fail");
    expect(groupStatus([{ status: "ok" }, { status: "warning" }])).toBe("warn");
    expect(groupStatus([{ status: "info" }, { status: "ok" }])).toBe("pass");
    expect(groupStatus([{ status: "info" }])).toBe("info");
  });

  it("put an unknown topic last, and sum up the domain by its worst group", () => {
    const groups = groupFindings(report([f("domain", "info", "a provider's"), f("mx", "ok", "MX")]), "en");
    expect(groups.map((g) => g.topic)).toEqual(["mx", "domain"]);
    expect(overallStatus(groups)).toBe("pass");
    expect(overallStatus(groupFindings(report([f("mx", "ok", "MX"), f("spf", "warning", "~all")]), "en"))).toBe("warn");
    expect(overallStatus([])).toBe("info");
  });
});
