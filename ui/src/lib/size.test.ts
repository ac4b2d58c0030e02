import { describe, expect, it } from "vitest";
import type { Attachment } from "./bindings";
import { estimateSize, megabytes, sizeWarning } from "./size";

function file(bytes: number): Attachment {
  // The base64 of `bytes` bytes, as the picker stores it.
  return { path: null, filename: "f.bin", contentType: null, contentId: null, dataBase64: "A".repeat(Math.ceil(bytes / 3) * 4) };
}

describe("estimateSize", () => {
  it("counts attachments encoded, as the server does", () => {
    // 800 KB under a 1 MB limit as a file, over it once encoded (the Exim case).
    const size = estimateSize("hello", null, [file(800 * 1024)]);
    expect(size).toBeGreaterThan(1_048_576);
    expect(size).toBeLessThan(1_150_000);
  });
  it("is small for a plain message", () => {
    expect(estimateSize("hello", null, [])).toBeLessThan(4096);
  });
});

describe("sizeWarning", () => {
  it("names both sizes when the message is over the limit", () => {
    const w = sizeWarning(41 * 1_048_576, 26_214_400);
    expect(w).toContain("about 41 MB");
    expect(w).toContain("at most 25 MB");
  });
  it("says nothing under the limit or when it is unknown", () => {
    expect(sizeWarning(1000, 26_214_400)).toBeNull();
    expect(sizeWarning(50 * 1_048_576, null)).toBeNull();
  });
  it("words sizes like the engine", () => {
    expect(megabytes(10_240_000)).toBe("9.8 MB");
    expect(megabytes(2048)).toBe("2 KB");
  });
});
