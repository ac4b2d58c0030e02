import { describe, expect, it } from "vitest";
import { fileSize, realExtension, runnableQuestion } from "./attachments";

describe("attachments that run", () => {
  it("are named by what they really are, in the user's language", () => {
    expect(runnableQuestion({ kind: "windowsProgram", extension: "exe", byContent: false }, "en")).toBe(
      "This is a Windows program (.exe). Open it anyway?",
    );
    expect(runnableQuestion({ kind: "linuxProgram", extension: "jpg", byContent: true }, "en")).toBe(
      "This is a Linux program, although its name ends in “.jpg”. Open it anyway?",
    );
    expect(runnableQuestion({ kind: "script", extension: "", byContent: true }, "en")).toBe(
      "This is a script (a program written as text). Open it anyway?",
    );
    expect(runnableQuestion({ kind: "windowsScript", extension: "js", byContent: false }, "fr")).toBe(
      "C'est un script Windows (.js). L'ouvrir quand même ?",
    );
  });

  it("show the extension the OS goes by", () => {
    expect(realExtension("invoice.pdf.exe")).toBe("EXE");
    expect(realExtension("notes.txt")).toBe("TXT");
    expect(realExtension("README")).toBe("");
    expect(realExtension("profile")).toBe("");
    expect(realExtension("x.")).toBe("");
  });

  it("say their size briefly", () => {
    expect(fileSize(512)).toBe("512 B");
    expect(fileSize(12_345)).toBe("12 KB");
    expect(fileSize(3_565_158)).toBe("3.4 MB");
  });
});
