import { describe, expect, it } from "vitest";
import { canonicalUsername, parseEmail, parseLoginName } from "../../src/core/domain/identity.js";
import { acceptPassword, normalisePassword } from "../../src/core/domain/password-policy.js";
import { AccountError } from "../../src/core/errors.js";

const reasonOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof AccountError ? error.reason : "not an AccountError";
  }
  return "accepted";
};

describe("usernames", () => {
  it.each([
    "jane",
    "Jane.Doe",
    "j-d_9",
    "a".repeat(32),
    "abc",
  ])("accepts %s in lower case", (raw) => {
    expect(canonicalUsername(raw)).toBe(raw.toLowerCase());
  });
  it.each([
    "ab",
    "a".repeat(33),
    ".jane",
    "jane-",
    "ja ne",
    "jäne",
    "\u212Aate",
    "ja\u200bne",
    "",
  ])("refuses %j", (raw) =>
    expect(reasonOf(() => canonicalUsername(raw))).toBe("INVALID_USERNAME"));
});

describe("emails", () => {
  it("keeps the address as typed and matches on its lower-case key", () => {
    expect(parseEmail("Jane.Doe+tag@Example.COM")).toEqual({
      address: "Jane.Doe+tag@Example.COM",
      key: "jane.doe+tag@example.com",
    });
  });
  it.each([
    "",
    "jane",
    "jane@",
    "@example.com",
    "a..b@example.com",
    `${"a".repeat(65)}@example.com`,
    `a@${"b".repeat(250)}.com`,
    "a@example.com\nBcc: x@y.z",
  ])("refuses %j", (raw) => expect(reasonOf(() => parseEmail(raw))).toBe("INVALID_EMAIL"));
  it("tells usernames from emails at login, and null for neither", () => {
    expect(parseLoginName("Jane")).toEqual({ kind: "username", username: "jane" });
    expect(parseLoginName("JANE@example.com")).toMatchObject({
      kind: "email",
      email: { key: "jane@example.com" },
    });
    expect(parseLoginName("no way")).toBeNull();
  });
});

describe("password policy", () => {
  const owner = { username: "jane-doe-smith", emailKey: "jane@example.com" };
  it("returns the NFKC form, so full-width and composed input hash the same", () => {
    expect(acceptPassword("ｐａｓｓｗｏｒｄ１２３４", owner)).toBe("password1234");
    expect(normalisePassword("e\u0301clair-long")).toBe(normalisePassword("\u00e9clair-long"));
  });
  it("counts characters, not UTF-16 units: 12 emoji are long enough", () => {
    expect(acceptPassword("😀".repeat(12), owner)).toBe("😀".repeat(12));
    expect(reasonOf(() => acceptPassword("😀".repeat(11), owner))).toBe("WEAK_PASSWORD");
  });
  it("takes its minimum length from the setting", () => {
    expect(acceptPassword("eight-ch", owner, { minLength: 8 })).toBe("eight-ch");
    expect(reasonOf(() => acceptPassword("eight-ch", owner))).toBe("WEAK_PASSWORD");
    expect(reasonOf(() => acceptPassword("x".repeat(20), owner, { minLength: 21 }))).toBe(
      "WEAK_PASSWORD",
    );
  });
  it.each([
    ["too short", "eleven-char"],
    ["too long", "x".repeat(129)],
    ["huge", "x".repeat(1_000_000)],
    ["control character", "tab\there-long"],
    ["equal to username (any case)", "JANE-DOE-SMITH"],
    ["equal to email", "Jane@Example.com"],
  ])("refuses %s", (_name, raw) =>
    expect(reasonOf(() => acceptPassword(raw, owner))).toBe("WEAK_PASSWORD"));
  it("consults the common-password check and names the field", () => {
    let error: unknown;
    try {
      acceptPassword("letmein-please", owner, {
        field: "new_password",
        isCommon: (p) => p === "letmein-please",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      reason: "WEAK_PASSWORD",
      field: "new_password",
      message: "password is too common",
    });
  });
});
