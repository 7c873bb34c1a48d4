import { dictionary } from "@zxcvbn-ts/language-common";
import type { CommonPasswordCheck } from "../../core/domain/password-policy.js";
import { PASSWORD_MIN_LENGTH } from "../../core/domain/password-policy.js";

/**
 * The common-password list maintained by zxcvbn-ts (~49k leaked passwords).
 * Only entries long enough to pass the length rule matter; matching ignores case.
 */
export function commonPasswordCheck(): CommonPasswordCheck {
  const common = new Set(
    dictionary["passwords-common"]
      .filter((p) => p.length >= PASSWORD_MIN_LENGTH.floor)
      .map((p) => p.toLowerCase()),
  );
  return (password) => common.has(password.toLowerCase());
}
