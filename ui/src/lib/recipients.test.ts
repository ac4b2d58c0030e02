import { describe, expect, it } from "vitest";
import type { Contact } from "./bindings";
import { fold, isValidAddress, mailbox, moveHighlight, parseRecipient, splitRecipients, suggestions, takeComplete } from "./recipients";

const contact = (address: string, name = ""): Contact => ({
  address,
  name,
  sent: 0,
  replied: 0,
  received: 1,
  lastAt: 0,
  score: 1,
});

describe("recipient chips", () => {
  it("reads names and addresses as written", () => {
    expect(parseRecipient("Zoë Durand <Zoe@Example.org>")).toEqual({
      text: "Zoë Durand <Zoe@Example.org>",
      address: "zoe@example.org",
      name: "Zoë Durand",
      valid: true,
    });
    expect(parseRecipient('"Martin, Paul" <paul@example.org>').name).toBe("Martin, Paul");
    expect(parseRecipient("  bob@example.org ")).toMatchObject({ text: "bob@example.org", name: "", valid: true });
  });

  it("marks an invalid address at once", () => {
    for (const bad of ["bob", "bob@", "@example.org", "bob@example", "bob smith@example.org", "bob@exa mple.org", "a..b@example.org", "bob@-x.org", "Bob <bob@>"]) {
      expect(parseRecipient(bad).valid, bad).toBe(false);
    }
    for (const good of ["bob@example.org", "bob.smith+tag@mail.example.co.uk", "élodie@exämple.fr", "Bob <BOB@EXAMPLE.ORG>"]) {
      expect(parseRecipient(good).valid, good).toBe(true);
    }
    expect(isValidAddress(`${"a".repeat(250)}@x.org`)).toBe(false);
  });

  it("cuts a pasted list at commas and semicolons but not inside quotes or brackets", () => {
    expect(splitRecipients('"Martin, Paul" <paul@x.org>, bob@x.org; carol@x.org\ndave@x.org,,')).toEqual([
      '"Martin, Paul" <paul@x.org>',
      "bob@x.org",
      "carol@x.org",
      "dave@x.org",
    ]);
    expect(splitRecipients("   ")).toEqual([]);
  });

  it("turns what a comma or a paste completes into chips, keeping the rest typed", () => {
    expect(takeComplete("bob@x.org")).toEqual({ done: [], rest: "bob@x.org" });
    expect(takeComplete("bob@x.org,")).toEqual({ done: ["bob@x.org"], rest: "" });
    expect(takeComplete("bob@x.org; car")).toEqual({ done: ["bob@x.org"], rest: "car" });
    expect(takeComplete('"Martin,')).toEqual({ done: [], rest: '"Martin,' });
    expect(takeComplete("a@x.org, b@x.org\nc@x")).toEqual({ done: ["a@x.org", "b@x.org"], rest: "c@x" });
    expect(takeComplete("")).toEqual({ done: [], rest: "" });
  });

  it("writes a contact as a field would hold it", () => {
    expect(mailbox(contact("zoe@x.org", "Zoë Durand"))).toBe("Zoë Durand <zoe@x.org>");
    expect(mailbox(contact("paul@x.org", "Martin, Paul"))).toBe('"Martin, Paul" <paul@x.org>');
    expect(mailbox(contact("bob@x.org"))).toBe("bob@x.org");
    expect(parseRecipient(mailbox(contact("paul@x.org", 'Paul "P" Martin'))).address).toBe("paul@x.org");
  });
});

describe("completion", () => {
  it("folds accents like the engine", () => {
    expect(fold("Zoë ÅNGSTRÖM")).toBe("zoe angstrom");
    expect(fold("Straße Œuvre Łukasz")).toBe("strasse oeuvre lukasz");
  });

  it("puts names that start with what was typed first, else keeps the engine's ranking", () => {
    const found = [contact("marie@x.org", "Marie Jolie"), contact("joanna@x.org", "Joanna"), contact("tom@x.org", "Tom Jones"), contact("jo@x.org")];
    expect(suggestions(found, "jo", []).map((c) => c.address)).toEqual(["joanna@x.org", "jo@x.org", "marie@x.org", "tom@x.org"]);
    // Accents aside: "zoe" starts "Zoë".
    const zoe = [contact("a@x.org", "Anna Zoe"), contact("z@x.org", "Zoë")];
    expect(suggestions(zoe, "ZOE", []).map((c) => c.address)).toEqual(["z@x.org", "a@x.org"]);
  });

  it("never suggests a recipient already chosen, and shows a few", () => {
    const found = Array.from({ length: 20 }, (_, i) => contact(`p${i}@x.org`, `Person ${i}`));
    const chosen = [parseRecipient("Person 0 <P0@x.org>")];
    const shown = suggestions(found, "per", chosen);
    expect(shown).toHaveLength(8);
    expect(shown.map((c) => c.address)).not.toContain("p0@x.org");
    expect(shown[0]!.address).toBe("p1@x.org");
  });

  it("arrows wrap around the list", () => {
    expect(moveHighlight(-1, 1, 3)).toBe(0);
    expect(moveHighlight(-1, -1, 3)).toBe(2);
    expect(moveHighlight(2, 1, 3)).toBe(0);
    expect(moveHighlight(0, -1, 3)).toBe(2);
    expect(moveHighlight(1, 1, 0)).toBe(-1);
  });
});
