import { describe, expect, it } from "vitest";
import type { ErrorKind } from "./bindings";
import { BackendError, describeErrorKind, isErrorKind } from "./errors";

describe("BackendError.from", () => {
  it("keeps the kind and message of a CommandError", () => {
    const e = BackendError.from({ kind: "auth", message: "535 5.7.8 bad credentials" });
    expect(e).toBeInstanceOf(BackendError);
    expect(e).toBeInstanceOf(Error);
    expect(e.kind).toBe("auth");
    expect(e.message).toBe("535 5.7.8 bad credentials");
  });

  it("treats an unknown kind as a bug rather than trusting it", () => {
    const e = BackendError.from({ kind: "solarFlare", message: "x" });
    expect(e.kind).toBe("bug");
    expect(e.message).toContain("solarFlare");
  });

  it("maps a plain string rejection (e.g. an unknown command) to a bug", () => {
    const e = BackendError.from("command list_inbox not found");
    expect(e.kind).toBe("bug");
    expect(e.message).toBe("command list_inbox not found");
  });

  it("maps a thrown Error to a bug and keeps it as the cause", () => {
    const cause = new TypeError("window.__TAURI_INTERNALS__ is undefined");
    const e = BackendError.from(cause);
    expect(e.kind).toBe("bug");
    expect(e.cause).toBe(cause);
  });

  it("passes a BackendError through unchanged", () => {
    const original = new BackendError("network", "connection refused");
    expect(BackendError.from(original)).toBe(original);
  });

  it("survives values JSON cannot encode", () => {
    expect(BackendError.from(undefined).kind).toBe("bug");
    expect(BackendError.from(10n).kind).toBe("bug");
  });
});

describe("describeErrorKind", () => {
  const kinds: ErrorKind[] = [
    "auth", "tls", "network", "protocol", "rejected",
    "notFound", "storage", "config", "keychain", "bug",
  ];

  it("has a distinct sentence for every kind", () => {
    const sentences = kinds.map(describeErrorKind);
    for (const s of sentences) expect(s).toMatch(/^[A-Z].*\.$/);
    expect(new Set(sentences).size).toBe(kinds.length);
  });

  it("recognises exactly the known kinds", () => {
    for (const k of kinds) expect(isErrorKind(k)).toBe(true);
    expect(isErrorKind("toString")).toBe(false);
    expect(isErrorKind(42)).toBe(false);
  });
});
