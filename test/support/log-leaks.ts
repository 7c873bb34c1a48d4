/** A raw token as the service mints them: type prefix, then 256 bits of base64url. */
export const RAW_TOKEN = /uh[svrd]_[A-Za-z0-9_-]{43}/;

export interface Secrets {
  passwords: Iterable<string>;
  emails: Iterable<string>;
}

/**
 * Every place a log line shows a raw token, a password the suite sent or a
 * full email address. Lines are parsed, so JSON escaping cannot hide a match;
 * matching ignores case (a lower-cased secret is still a secret).
 */
export function logLeaks(lines: string[], secrets: Secrets): string[] {
  const needles = new Map<string, string>(); // lower-cased secret -> what it is
  for (const [what, values] of [
    ["password", secrets.passwords],
    ["email", secrets.emails],
  ] as const) {
    for (const v of values)
      for (const form of [v, v.normalize("NFKC")]) needles.set(form.toLowerCase(), what);
  }
  const leaks: string[] = [];
  lines.forEach((line, n) => {
    for (const [path, text] of stringsIn(JSON.parse(line), "")) {
      const lower = text.toLowerCase();
      if (RAW_TOKEN.test(text)) leaks.push(`line ${n}: token-shaped text in ${path}`);
      for (const [needle, what] of needles) {
        if (lower.includes(needle))
          leaks.push(`line ${n}: ${what} ${JSON.stringify(needle)} in ${path}`);
      }
    }
  });
  return leaks;
}

function* stringsIn(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === "string") yield [path, value];
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) yield* stringsIn(inner, `${path}.${key}`);
  }
}
