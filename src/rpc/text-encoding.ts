import { configureTextEncoding, getTextEncoding } from "@bufbuild/protobuf/wire";

/**
 * protobuf-es decodes binary strings with a default TextDecoder, which drops a
 * leading U+FEFF. JSON keeps it, so one request would read differently by wire
 * (a username refused over Connect JSON accepted over gRPC). Decoding with
 * `ignoreBOM: true` makes every wire see the same string. Idempotent.
 */
export function keepByteOrderMarks(): void {
  const current = getTextEncoding();
  const lenient = new TextDecoder("utf-8", { ignoreBOM: true });
  const strict = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });
  configureTextEncoding({
    ...current,
    decodeUtf8: (bytes, isStrict) => (isStrict ? strict : lenient).decode(bytes),
  });
}
