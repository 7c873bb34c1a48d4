import { once } from "node:events";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { openServerStream } from "../../../test/support/raw-grpc.js";
import { CallSignal, callTimeout } from "./deadline.js";

describe("callTimeout: grpc-timeout", () => {
  it("parses each unit into milliseconds", () => {
    expect(callTimeout({ "grpc-timeout": "5S" }).timeoutMs).toBe(5_000);
    expect(callTimeout({ "grpc-timeout": "250m" }).timeoutMs).toBe(250);
    expect(callTimeout({ "grpc-timeout": "2M" }).timeoutMs).toBe(120_000);
    expect(callTimeout({ "grpc-timeout": "1H" }).timeoutMs).toBe(3_600_000);
    expect(callTimeout({ "grpc-timeout": "3000u" }).timeoutMs).toBe(3);
  });

  it("means no deadline when absent", () => {
    expect(callTimeout({})).toEqual({ timeoutMs: undefined });
  });

  it("refuses a malformed value as Connect does (INVALID_ARGUMENT)", () => {
    for (const value of ["soon", "5", "123456789S", "-1S"]) {
      const { error } = callTimeout({ "grpc-timeout": value });
      expect(error, value).toBeInstanceOf(ConnectError);
      expect(error?.code).toBe(Code.InvalidArgument);
    }
  });
});

const openStream = () => openServerStream();

describe("CallSignal: the call's AbortSignal", () => {
  let opened: Awaited<ReturnType<typeof openStream>> | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it("counts the deadline down from the timeout it was given", async () => {
    opened = await openStream();
    const none = new CallSignal(new AbortController().signal, undefined, opened.stream);
    expect(none.remainingMs()).toBeUndefined();
    const five = new CallSignal(new AbortController().signal, 5_000, opened.stream);
    expect(five.remainingMs()).toBeGreaterThan(4_000);
    expect(five.remainingMs()).toBeLessThanOrEqual(5_000);
  });

  it("makes one signal, on first read, and listens to nothing before", async () => {
    opened = await openStream();
    const closeListeners = opened.stream.listenerCount("close");
    const call = new CallSignal(new AbortController().signal, 1_000, opened.stream);
    expect(opened.stream.listenerCount("close")).toBe(closeListeners);
    const signal = call.get();
    expect(call.get()).toBe(signal);
    expect(opened.stream.listenerCount("close")).toBe(closeListeners + 1);
    expect(signal.aborted).toBe(false);
  });

  it("aborts with shutdown's reason, also when shutdown began before the read", async () => {
    opened = await openStream();
    const shutdown = new AbortController();
    const early = new CallSignal(shutdown.signal, undefined, opened.stream);
    const signal = early.get();
    shutdown.abort(new ConnectError("shutting down", Code.Unavailable));
    expect(signal.aborted).toBe(true);
    expect(ConnectError.from(signal.reason).code).toBe(Code.Unavailable);
    const late = new CallSignal(shutdown.signal, undefined, opened.stream).get();
    expect(late.aborted).toBe(true);
    expect(ConnectError.from(late.reason).code).toBe(Code.Unavailable);
  });

  it("aborts DEADLINE_EXCEEDED when the deadline passes", async () => {
    opened = await openStream();
    const signal = new CallSignal(new AbortController().signal, 20, opened.stream).get();
    await once(signal, "abort");
    expect(ConnectError.from(signal.reason).code).toBe(Code.DeadlineExceeded);
  });

  it("aborts CANCELED when the client goes away", async () => {
    opened = await openStream();
    const signal = new CallSignal(new AbortController().signal, undefined, opened.stream).get();
    opened.goAway();
    await once(signal, "abort");
    expect(ConnectError.from(signal.reason).code).toBe(Code.Canceled);
  });

  it("reports the call over when disposed, and stops listening", async () => {
    opened = await openStream();
    const shutdown = new AbortController();
    const closeListeners = opened.stream.listenerCount("close");
    const call = new CallSignal(shutdown.signal, 60_000, opened.stream);
    const signal = call.get();
    call.dispose();
    expect(signal.aborted).toBe(true);
    expect(opened.stream.listenerCount("close")).toBe(closeListeners);
    const reason = signal.reason;
    shutdown.abort(new Error("later"));
    expect(signal.reason).toBe(reason);
  });
});
