import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  type DeliveryDeps,
  defaultPace,
  drainOutbox,
} from "../../src/adapters/email/outbox-worker.js";
import { MemoryStore } from "../../src/adapters/storage/memory/memory-store.js";
import type { MailMessage } from "../../src/core/domain/mail.js";
import { MailSeal } from "../../src/core/domain/mail-seal.js";
import { newId } from "../../src/core/domain/tokens.js";
import type { AuditEvent } from "../../src/core/ports/audit-log.js";
import { DeliveryError, type EmailSender } from "../../src/core/ports/email-sender.js";
import { ManualClock } from "../support/manual-clock.js";

/** `random` defaults to 0: every retry waits its full backoff. */
function setup(send: EmailSender["send"], random: () => number = () => 0) {
  const store = new MemoryStore();
  const clock = new ManualClock(() => Date.UTC(2030, 0, 1)); // frozen: only advance() moves it
  const seal = new MailSeal(randomBytes(32));
  const events: AuditEvent[] = [];
  const deps: DeliveryDeps = {
    store: store.outbox,
    sender: { send },
    seal,
    clock,
    audit: { emit: (e) => events.push(e) },
    retry: { maxAttempts: 3, backoffMs: 1_000 },
    pace: defaultPace,
    random,
  };
  const post = async (message: MailMessage) => {
    const id = newId();
    const now = clock.now();
    await store.outbox.add({
      id,
      kind: message.kind,
      payload: seal.seal(message, id),
      attempts: 0,
      nextAttemptAt: now,
      leaseUntil: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 86_400_000),
    });
  };
  return { store, clock, deps, events, post };
}

const mail: MailMessage = { kind: "password_changed", to: "jane@example.com", username: "jane" };

describe("outbox delivery", () => {
  it("delivers and forgets a mail", async () => {
    const sent: MailMessage[] = [];
    const { store, deps, events, post } = setup(async (m) => void sent.push(m));
    await post(mail);
    expect(await drainOutbox(deps)).toBe(1);
    expect(sent).toEqual([mail]);
    expect(await store.outbox.count()).toEqual({ pending: 0, deadLettered: 0 });
    expect(events).toEqual([{ type: "mail.delivered", kind: "password_changed", attempts: 1 }]);
  });

  it("retries a transient failure with doubling backoff, then delivers exactly once", async () => {
    let calls = 0;
    const { store, clock, deps, events, post } = setup(async () => {
      if (++calls <= 2) throw new DeliveryError("temporary", "421");
    });
    await post(mail);
    await drainOutbox(deps); // attempt 1 fails: next in 1 s
    await drainOutbox(deps); // not due yet
    expect(calls).toBe(1);
    clock.advance(1_000);
    await drainOutbox(deps); // attempt 2 fails: next in 2 s
    clock.advance(1_999);
    await drainOutbox(deps);
    expect(calls).toBe(2);
    clock.advance(1);
    await drainOutbox(deps); // attempt 3 succeeds
    expect(calls).toBe(3);
    expect(await store.outbox.count()).toEqual({ pending: 0, deadLettered: 0 });
    expect(events.map((e) => e.type)).toEqual([
      "mail.retry_scheduled",
      "mail.retry_scheduled",
      "mail.delivered",
    ]);
    expect(events[0]).toMatchObject({ error: "TemporaryDeliveryError 421" });
  });

  it("dead-letters after maxAttempts, and at once on a permanent failure", async () => {
    let calls = 0;
    const { store, clock, deps, events, post } = setup(async (m) => {
      calls++;
      if (m.kind === "registration_attempt") throw new DeliveryError("permanent", "550");
      throw new Error("connection refused");
    });
    await post(mail);
    await post({ kind: "registration_attempt", to: "x@example.com", username: "x" });
    for (let i = 0; i < 5; i++) {
      await drainOutbox(deps);
      clock.advance(60_000);
    }
    expect(calls).toBe(3 + 1);
    expect(await store.outbox.count()).toEqual({ pending: 0, deadLettered: 2 });
    expect(events.filter((e) => e.type === "mail.dead_lettered")).toEqual([
      {
        type: "mail.dead_lettered",
        kind: "registration_attempt",
        attempts: 1,
        error: "PermanentDeliveryError 550",
      },
      { type: "mail.dead_lettered", kind: "password_changed", attempts: 3, error: "Error" },
    ]);
  });

  it("dead-letters a payload it cannot open instead of retrying it", async () => {
    const { store, deps, events, post } = setup(async () => {});
    await post(mail);
    const other = { ...deps, seal: new MailSeal(randomBytes(32)) };
    await drainOutbox(other);
    expect(await store.outbox.count()).toEqual({ pending: 0, deadLettered: 1 });
    expect(events).toEqual([
      {
        type: "mail.dead_lettered",
        kind: "password_changed",
        attempts: 1,
        error: "UnreadableMailError",
      },
    ]);
  });

  it("retries an unclassified error as temporary, naming only its class", async () => {
    let calls = 0;
    const { store, deps, events, post } = setup(async () => {
      calls++;
      throw new TypeError("jane@example.com made the sender trip"); // never logged
    });
    await post(mail);
    await drainOutbox(deps);
    expect(calls).toBe(1);
    expect(await store.outbox.count()).toEqual({ pending: 1, deadLettered: 0 });
    expect(events).toEqual([
      { type: "mail.retry_scheduled", kind: "password_changed", attempts: 1, error: "TypeError" },
    ]);
  });

  it("spreads the retries of mails that failed together by the injected random source", async () => {
    const draws = [0, 0.5, 0.998];
    let calls = 0;
    const { clock, deps, post } = setup(
      async () => {
        if (++calls <= 3) throw new DeliveryError("temporary", "ECONNECTION");
      },
      () => draws.shift() ?? 0,
    );
    for (let i = 0; i < 3; i++) await post(mail);
    await drainOutbox({ ...deps, pace: { ...defaultPace, concurrency: 1 } }); // three failures, one draw each
    expect(calls).toBe(3);
    // Backoff 1 s shortened by 0 %, 25 % and 49.9 %: due at +1000, +750 and +501 ms.
    clock.advance(500);
    expect(await drainOutbox(deps)).toBe(0);
    clock.advance(1);
    expect(await drainOutbox(deps)).toBe(1);
    clock.advance(249);
    expect(await drainOutbox(deps)).toBe(1);
    clock.advance(249);
    expect(await drainOutbox(deps)).toBe(0);
    clock.advance(1);
    expect(await drainOutbox(deps)).toBe(1);
    expect(calls).toBe(6);
  });
});
