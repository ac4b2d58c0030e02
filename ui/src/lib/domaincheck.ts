// Settings → "Your domain": a domain check's findings grouped by what they are about (MX,
// SPF, DKIM, DMARC, MTA-STS, TLS-RPT, in that order, the order a sender fixes them in),
// each group with one status: fail if any finding is an error, warn if any is a warning,
// pass if something was found right, info when there is only information (an optional
// record not published). The words come from the engine in both languages.

import type { DomainFinding, DomainReport, FindingStatus } from "./bindings";
import { pick, type Lang } from "./trust";

export const TOPICS = ["mx", "spf", "dkim", "dmarc", "mta-sts", "tls-rpt", "blocklists"] as const;

export type GroupStatus = "pass" | "warn" | "fail" | "info";

export interface FindingLine {
  status: FindingStatus;
  text: string;
  fix: string | null;
  record: string | null;
}

export interface FindingGroup {
  /** "mx", "spf"...; "domain" for findings about the domain itself. */
  topic: string;
  /** MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT. */
  label: string;
  status: GroupStatus;
  findings: FindingLine[];
}

const LABELS: Record<string, string> = {
  mx: "MX",
  spf: "SPF",
  dkim: "DKIM",
  dmarc: "DMARC",
  "mta-sts": "MTA-STS",
  "tls-rpt": "TLS-RPT",
  // The DNS blocklists (DNSBL) the sending addresses were looked up on.
  blocklists: "DNSBL",
};

export function groupStatus(findings: Pick<DomainFinding, "status">[]): GroupStatus {
  const has = (s: FindingStatus) => findings.some((f) => f.status === s);
  if (has("error")) return "fail";
  if (has("warning")) return "warn";
  if (has("ok")) return "pass";
  return "info";
}

/** The report's findings by topic, known topics first in their fixed order, then any other. */
export function groupFindings(report: DomainReport, lang: Lang): FindingGroup[] {
  const order = (topic: string) => {
    const i = (TOPICS as readonly string[]).indexOf(topic);
    return i === -1 ? TOPICS.length : i;
  };
  const topics = [...new Set(report.findings.map((f) => f.topic))].sort((a, b) => order(a) - order(b));
  return topics.map((topic) => {
    const findings = report.findings.filter((f) => f.topic === topic);
    return {
      topic,
      label: LABELS[topic] ?? topic,
      status: groupStatus(findings),
      findings: findings.map((f) => ({
        status: f.status,
        text: pick(f.words, lang),
        fix: f.fix ? pick(f.fix, lang) : null,
        record: f.record,
      })),
    };
  });
}

/** The whole domain's status: its worst group. */
export function overallStatus(groups: FindingGroup[]): GroupStatus {
  for (const s of ["fail", "warn", "pass"] as const) if (groups.some((g) => g.status === s)) return s;
  return "info";
}
