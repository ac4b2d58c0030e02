import { describe, expect, it } from "vitest";
import { suggestions } from "./operators";

const folders = ["INBOX", "Archive", "Old projects"];
const accounts = ["alice@example.test", "bob@example.test"];

describe("search operators as you type", () => {
  it("complete the word being typed, keeping what came before", () => {
    expect(suggestions("budget is", folders, accounts)).toEqual(["budget is:unread", "budget is:read", "budget is:flagged"]);
    expect(suggestions("ha", folders, accounts)).toEqual(["has:attachment"]);
  });
  it("offer folders, accounts and dates as values, quoting names with spaces", () => {
    expect(suggestions("in:o", folders, accounts)).toEqual(['in:"Old projects"']);
    expect(suggestions("account:b", folders, accounts)).toEqual(["account:bob@example.test"]);
    expect(suggestions("after:y", folders, accounts)).toEqual(["after:yesterday"]);
  });
  it("offer nothing for an ordinary word, a finished operator or an empty box", () => {
    expect(suggestions("budget", folders, accounts)).toEqual([]);
    expect(suggestions("is:unread", folders, accounts)).toEqual([]);
    expect(suggestions("", folders, accounts)).toEqual([]);
    expect(suggestions("budget ", folders, accounts)).toEqual([]);
  });
});
