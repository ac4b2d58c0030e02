import { render } from "svelte/server";
import { describe, expect, it } from "vitest";
import Avatar from "./Avatar.svelte";
import { avatarColour, hue, initials } from "./avatar";

describe("initials", () => {
  it("takes the first and last words of the name", () => {
    expect(initials("Alice Test", "alice@example.org")).toBe("AT");
    expect(initials("Jean-Pierre de la Fontaine", "jp@example.org")).toBe("JF");
    expect(initials("bob", "bob@example.org")).toBe("B");
  });
  it("skips emoji, punctuation and an address inside the name", () => {
    expect(initials("🎉 Party Team 🎉", "x@example.org")).toBe("PT");
    expect(initials('"alice@example.org" <alice@example.org>', "alice@example.org")).toBe("A");
    expect(initials("(Support)", "help.desk@example.org")).toBe("HD");
  });
  it("uses the address's local part without a name", () => {
    expect(initials(null, "jane.doe@example.org")).toBe("JD");
    expect(initials("", "no-reply+news@example.org")).toBe("NN");
    expect(initials("   ", "x@example.org")).toBe("X");
  });
  it("keeps letters of any script, upper-cased", () => {
    expect(initials("émile zola", "ez@example.fr")).toBe("ÉZ");
    expect(initials("Дмитрий Иванов", "d@example.ru")).toBe("ДИ");
    expect(initials("山田 太郎", "t@example.jp")).toBe("山太");
  });
  it("falls back to a question mark", () => {
    expect(initials("🙂", "!!!@example.org")).toBe("?");
    expect(initials(undefined, undefined)).toBe("?");
  });
});

/** WCAG contrast of white on hsl(h s% l%). */
function contrastWithWhite(colour: string): number {
  const [h, s, l] = colour.match(/[\d.]+/g)!.map(Number);
  const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const lum = 0.2126 * f(0) + 0.7152 * f(8) + 0.0722 * f(4);
  return 1.05 / (lum + 0.05);
}

describe("avatar colour", () => {
  it("is the same for one address whatever its case, and differs between addresses", () => {
    expect(avatarColour("Alice@Example.org")).toBe(avatarColour("alice@example.org"));
    const hues = new Set(["alice@example.org", "bob@example.org", "carol@example.org", "dave@example.org"].map(hue));
    expect(hues.size).toBeGreaterThan(1);
  });
  it("spreads the people of one domain over the colour wheel", () => {
    const names = ["alice", "bob", "carol", "dana", "erin", "frank", "grace", "heidi", "ivan", "judy"];
    const tenths = new Set(names.map((n) => Math.floor(hue(`${n}@example.test`) / 36)));
    expect(tenths.size).toBeGreaterThanOrEqual(6);
  });
  it("keeps white initials readable (4.5:1) at every hue", () => {
    for (let h = 0; h < 360; h++) {
      const colour = avatarColour("x").replace(/hsl\(\d+/, `hsl(${h}`);
      expect(contrastWithWhite(colour)).toBeGreaterThanOrEqual(4.5);
    }
  });
  it("renders initials on the colour, hidden from screen readers", () => {
    const { body } = render(Avatar, { props: { name: "Bob Test", address: "bob@example.org" } });
    expect(body).toContain(">BT</span>");
    expect(body).toContain('aria-hidden="true"');
    expect(body).toContain(`background: ${avatarColour("bob@example.org")}`);
  });
});
