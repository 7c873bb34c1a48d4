import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorInfoSchema } from "@userharbor/client/google/rpc/error_details_pb.js";

/**
 * How an RPC ended, as its caller knows it: answered OK, answered an error the
 * server made (a status with our ErrorInfo reason), or no answer at all (the
 * connection died: the caller cannot know whether it took effect).
 */
export type Outcome =
  | { kind: "ok" }
  | { kind: "error"; code: string; reason: string }
  | { kind: "no-answer"; code: string; message: string };

export function outcomeOf(error: unknown): Outcome {
  const e = ConnectError.from(error);
  const [info] = e.findDetails(ErrorInfoSchema);
  if (info?.domain === "userharbor.v1")
    return { kind: "error", code: Code[e.code], reason: info.reason };
  return { kind: "no-answer", code: Code[e.code], message: e.rawMessage.slice(0, 120) };
}

/** Runs `call`, timing it and classifying how it ended. */
export async function timed<T>(
  call: () => Promise<T>,
): Promise<{ outcome: Outcome; ms: number; value?: T }> {
  const started = performance.now();
  try {
    const value = await call();
    return { outcome: { kind: "ok" }, ms: performance.now() - started, value };
  } catch (error) {
    return { outcome: outcomeOf(error), ms: performance.now() - started };
  }
}
