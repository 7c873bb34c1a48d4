import fc from "fast-check";

/**
 * Pieces that break naive string handling, by family. Generated strings are
 * built from these plus fast-check's own code points, so every family shows up
 * often instead of once in a blue moon.
 */
export const NASTY = {
  loneSurrogate: ["\uD800", "\uDBFF", "\uDC00", "\uDFFF", "a\uD83D", "\uDE00b"],
  bidi: ["\u202E", "\u202D", "\u2066", "\u2069", "\u200F", "\u061C"],
  zeroWidth: ["\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF"],
  combining: ["e\u0301", "a\u0300\u0301\u0302\u0303", "\u0336", "Z\u0351\u0352\u0353\u0354"],
  emoji: ["😀", "👩‍👩‍👧‍👦", "🏳️‍🌈", "🇺🇳", "\u{1F600}\uFE0F"],
  control: ["\u0000", "\u0007", "\b", "\t", "\n", "\r\n", "\u001B[31m", "\u007F", "\u0085"],
  separator: ["\u2028", "\u2029", "\u00A0", "\u3000", " "],
  lookalike: ["\u212A", "ſ", "ﬁ", "Ａ", "１", "İ", "ß", "ǅ"],
  injection: [
    "'; DROP TABLE users;--",
    '{"$gt":""}',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style probe, meant literally
    "${jndi:ldap://x/a}",
    "%s%n%x",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "\\",
    '"',
    "@",
    "@@",
    "uhs_",
    "uhv_",
    "uhr_",
    "Bearer ",
  ],
} as const;

/** Families whose pieces may be placed inside an otherwise valid value. */
export type NastyFamily = keyof typeof NASTY;

const allPieces = Object.values(NASTY).flat();

export const nastyPiece = fc.constantFrom(...allPieces);

/** Short hostile strings: nasty pieces, random code points and graphemes, mixed. */
export const nastyString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { arbitrary: nastyPiece, weight: 4 },
      { arbitrary: fc.string({ unit: "binary", maxLength: 6 }), weight: 2 },
      { arbitrary: fc.string({ unit: "grapheme", maxLength: 4 }), weight: 1 },
      { arbitrary: fc.string({ unit: "binary-ascii", maxLength: 12 }), weight: 2 },
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(""));

/**
 * A huge field as a description (printed compactly by fast-check when a run
 * fails); `hugeText` builds the string. The pieces differ in UTF-8 width, so
 * the same length lands on either side of a 1 MiB request limit.
 */
export interface Huge {
  huge: string;
  length: number;
}

export const huge: fc.Arbitrary<Huge> = fc.record({
  huge: fc.constantFrom("x", "é", "😀", "\u0000", "\u202E", "a\u0301", "\uD800", "uhs_"),
  length: fc.integer({ min: 64 * 1024, max: 1_000_000 }),
});

export function hugeText({ huge: piece, length }: Huge): string {
  // Cut at `length` code units: may split a pair, which is hostile too.
  return piece.repeat(Math.ceil(length / piece.length)).slice(0, length);
}

/** A hostile value: mostly short, sometimes empty or plain random, rarely huge. */
export const hostile: fc.Arbitrary<string | Huge> = fc.oneof(
  { arbitrary: nastyString, weight: 10 },
  { arbitrary: fc.string({ unit: "binary" }), weight: 3 },
  { arbitrary: fc.constant(""), weight: 1 },
  { arbitrary: huge, weight: 1 },
);

/** A valid value spoilt by one nasty piece at some position. */
export const spoil = fc.record({ piece: nastyPiece, at: fc.nat() });
export type Spoil = { piece: string; at: number };

export function spoilt(valid: string, { piece, at }: Spoil): string {
  const i = at % (valid.length + 1);
  return valid.slice(0, i) + piece + valid.slice(i);
}

/**
 * Password material for accounts the suite creates: valid under the policy
 * (no control characters, 8+ characters once the unique tail is added) yet
 * full of the odd code points above. No lone surrogates: Connect JSON refuses
 * them as undecodable (the single-request property covers that).
 */
export const oddPasswordStem: fc.Arbitrary<string> = fc
  .array(
    fc.constantFrom(
      ...NASTY.bidi,
      ...NASTY.zeroWidth,
      ...NASTY.combining,
      ...NASTY.emoji,
      ...NASTY.lookalike,
      ...NASTY.injection,
    ),
    { maxLength: 4 },
  )
  .map((parts) => parts.join(""));
