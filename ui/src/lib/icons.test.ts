import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { render } from "svelte/server";
import { describe, expect, it } from "vitest";
import Icon from "./Icon.svelte";
import { ICONS, type IconName } from "./icons";

describe("the icon set", () => {
  it("draws every icon as SVG elements only, in ASCII", () => {
    for (const [name, markup] of Object.entries(ICONS)) {
      expect(markup, name).toMatch(/^(<(path|circle|rect|line|polyline|polygon|ellipse) [^<>]*\/>\s*)+$/);
      expect(/^[\x20-\x7e]*$/.test(markup), name).toBe(true);
    }
  });

  it("renders an svg, hidden from screen readers unless labelled", () => {
    const plain = render(Icon, { props: { name: "paperclip" as IconName } }).body;
    expect(plain).toMatch(/<svg[^>]*data-icon="paperclip"[^>]*aria-hidden="true"/);
    expect(plain).toContain(ICONS.paperclip.split(" />")[0]);
    const labelled = render(Icon, { props: { name: "star" as IconName, label: "Flagged" } }).body;
    expect(labelled).toMatch(/<svg[^>]*role="img"[^>]*aria-label="Flagged"/);
    expect(labelled).toContain("<title>Flagged</title>");
  });
});

/** Symbols and emoji that need a font the system may lack (an empty box without it). */
const GLYPH = /[\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2900-\u297f\u2b00-\u2bff\u{1f000}-\u{1faff}]/u;

describe("the UI's markup", () => {
  it("shows no emoji or symbol glyph: icons come from the set", () => {
    const dirs = ["src", "src/lib", "src/screens"];
    const found: string[] = [];
    for (const dir of dirs) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith(".svelte"))) {
        const source = readFileSync(join(dir, file), "utf8")
          .replace(/<!--[\s\S]*?-->/g, "")
          .replace(/^\s*\/\/.*$/gm, "")
          .replace(/\/\*[\s\S]*?\*\//g, "");
        source.split("\n").forEach((line, i) => {
          if (GLYPH.test(line)) found.push(`${dir}/${file}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    expect(found).toEqual([]);
  });
});
