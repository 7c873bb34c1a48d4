import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";
import { unique } from "../support/records.js";
import { signUp } from "../support/sign-up.js";
import { storeHarnesses } from "../support/stores.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const PASSWORD = "webhook suite correct horse";
const client = { ip: "203.0.113.9", userAgent: "webhook-test" };
const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

interface Delivery {
  id: string;
  headers: http.IncomingHttpHeaders;
  payload: { type: string; timestamp: string; data: Record<string, string> };
}

/**
 * A real HTTP receiver on 127.0.0.1 that verifies every request with the
 * `standardwebhooks` package (signature, timestamp tolerance) before it looks
 * at it. `answer` decides the status per attempt; verified deliveries and
 * every attempt are recorded.
 */
async function receiver(answer: (id: string, attempt: number) => number = () => 204) {
  const verifier = new Webhook(SECRET);
  const deliveries: Delivery[] = [];
  const attempts = new Map<string, number>();
  const rejected: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      let payload: Delivery["payload"];
      try {
        payload = verifier.verify(
          body,
          req.headers as Record<string, string>,
        ) as Delivery["payload"];
      } catch (error) {
        rejected.push(String(error));
        res.writeHead(400).end();
        return;
      }
      const id = req.headers["webhook-id"] as string;
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const status = answer(id, attempt);
      if (status < 300) deliveries.push({ id, headers: req.headers, payload });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return {
    url,
    deliveries,
    attempts,
    rejected,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Receiver = Awaited<ReturnType<typeof receiver>>;

const webhookEnv = (endpoints: string, extra: Record<string, string> = {}) => ({
  REQUIRE_VERIFIED_EMAIL: "false",
  WEBHOOKS: endpoints,
  WEBHOOK_REQUIRE_HTTPS: "false",
  WEBHOOK_RETRY_BACKOFF: "50ms",
  ...extra,
});

const auditOf = (t: TestServer, type: string) =>
  t.logs.map((line) => JSON.parse(line)).filter((entry) => entry.event === type);

describe("webhooks: signed Standard Webhooks deliveries of the event log", () => {
  let all: Receiver;
  let deletions: Receiver;
  let t: TestServer;
  beforeAll(async () => {
    all = await receiver();
    deletions = await receiver();
    t = await startTestServer({
      env: webhookEnv(`all=${all.url}|${SECRET};gone=${deletions.url}|${SECRET}|account.deleted`),
    });
  });
  afterAll(async () => {
    await t?.close();
    await all?.close();
    await deletions?.close();
  });

  it("delivers every event, in commit order, verified by the standardwebhooks package; a type filter narrows", async () => {
    const username = unique("hook").replace(/-/g, "_");
    const session = await signUp(t.client("grpc"), { username, password: PASSWORD, client });
    await t.client("grpc").logoutAll({ sessionToken: session });
    const again = (await t.client("grpc").login({ username, password: PASSWORD, client }))
      .sessionToken;
    await t.client("grpc").deleteAccount({ sessionToken: again, password: PASSWORD });
    const { events } = await t.events("grpc").listAccountEvents({});
    await eventually(async () => expect(all.deliveries).toHaveLength(events.length));
    expect(all.rejected).toEqual([]);
    expect(all.deliveries.map((d) => d.id)).toEqual(events.map((e) => e.id));
    const [first] = all.deliveries;
    expect(first?.payload).toEqual({
      type: "account.registered",
      timestamp:
        events[0]?.time &&
        new Date(Number(events[0].time.seconds) * 1000 + events[0].time.nanos / 1e6).toISOString(),
      data: {
        id: events[0]?.id,
        account_id: events[0]?.accountId,
        username,
        email: `${username}@example.com`,
        cursor: events[0]?.cursor,
      },
    });
    expect(first?.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(all.deliveries.map((d) => d.payload.type)).toEqual([
      "account.registered",
      "account.sessions_revoked",
      "account.deleted",
    ]);
    await eventually(async () => expect(deletions.deliveries).toHaveLength(1));
    expect(deletions.deliveries[0]?.payload).toMatchObject({
      type: "account.deleted",
      data: { username },
    });
    // The server logs a delivery once the receiver's answer is back: after the receiver saw it.
    await eventually(async () => expect(auditOf(t, "webhook.delivered").length).toBe(4));
  });
});

describe("webhooks: retries", () => {
  const servers: TestServer[] = [];
  const receivers: Receiver[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
    for (const r of receivers.splice(0)) await r.close();
  });

  it("a receiver that fails three times then succeeds gets the event, with the same webhook-id each try", async () => {
    const flaky = await receiver((_, attempt) => (attempt <= 3 ? 503 : 200));
    receivers.push(flaky);
    const t = await startTestServer({ env: webhookEnv(`flaky=${flaky.url}|${SECRET}`) });
    servers.push(t);
    await signUp(t.client("connect"), {
      username: unique("flaky").replace(/-/g, "_"),
      password: PASSWORD,
      client,
    });
    await eventually(async () => expect(flaky.deliveries).toHaveLength(1), 10_000);
    const [delivered] = flaky.deliveries;
    expect(flaky.attempts.get(delivered?.id as string)).toBe(4);
    expect([...flaky.attempts.keys()]).toEqual([delivered?.id]);
    expect(auditOf(t, "webhook.retry_scheduled").map((e) => [e.attempts, e.error])).toEqual([
      [1, "HTTP 503"],
      [2, "HTTP 503"],
      [3, "HTTP 503"],
    ]);
    await eventually(async () =>
      expect(auditOf(t, "webhook.delivered")).toMatchObject([{ endpoint: "flaky", attempts: 4 }]),
    );
  });

  it("an event not delivered within WEBHOOK_RETRY_FOR is given up, with a log line and a metric; the next one goes", async () => {
    let down = true;
    const dead = await receiver(() => (down ? 500 : 200));
    receivers.push(dead);
    const t = await startTestServer({
      env: webhookEnv(`dead=${dead.url}|${SECRET}`, { WEBHOOK_RETRY_FOR: "600ms" }),
    });
    servers.push(t);
    await signUp(t.client("connect"), {
      username: unique("dead").replace(/-/g, "_"),
      password: PASSWORD,
      client,
    });
    await eventually(async () => expect(auditOf(t, "webhook.gave_up")).toHaveLength(1), 10_000);
    const [gaveUp] = auditOf(t, "webhook.gave_up");
    expect(gaveUp).toMatchObject({
      endpoint: "dead",
      eventType: "account.registered",
      error: "past WEBHOOK_RETRY_FOR",
    });
    expect(gaveUp.attempts).toBeGreaterThan(1);
    const metrics = await (await fetch(`http://127.0.0.1:${t.server.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(
      /userharbor_webhook_deliveries_total\{endpoint="dead",outcome="gave_up"\} 1/,
    );
    down = false;
    const { events } = await t.events("connect").listAccountEvents({});
    await t.client("connect").logoutAll({
      sessionToken: (
        await t
          .client("connect")
          .login({ username: events[0]?.username as string, password: PASSWORD, client })
      ).sessionToken,
    });
    await eventually(
      async () =>
        expect(dead.deliveries.map((d) => d.payload.type)).toEqual(["account.sessions_revoked"]),
      10_000,
    );
  });

  it.each(
    storeHarnesses,
  )("a server restart between tries loses nothing ($name store)", async (harness) => {
    let failing = true;
    const slow = await receiver(() => (failing ? 503 : 200));
    receivers.push(slow);
    const store = await harness.create();
    // Long first backoff: the restart certainly falls between the first try and the second.
    const env = webhookEnv(`slow=${slow.url}|${SECRET}`, { WEBHOOK_RETRY_BACKOFF: "3s" });
    const first = await startTestServer({ storeInstance: store, env });
    const username = unique("restart").replace(/-/g, "_");
    await signUp(first.client("grpc"), { username, password: PASSWORD, client });
    await eventually(async () => expect(auditOf(first, "webhook.retry_scheduled")).toHaveLength(1));
    await first.close();
    failing = false;
    const second = await startTestServer({ storeInstance: store, env });
    servers.push(second);
    try {
      await eventually(async () => expect(slow.deliveries).toHaveLength(1), 10_000);
      const id = slow.deliveries[0]?.id as string;
      expect(slow.attempts.get(id)).toBe(2);
      expect(slow.deliveries[0]?.payload).toMatchObject({
        type: "account.registered",
        data: { username },
      });
      // The second server went on from the stored attempt count.
      await eventually(async () =>
        expect(auditOf(second, "webhook.delivered")).toMatchObject([{ attempts: 2 }]),
      );
    } finally {
      await second.close();
      servers.splice(0);
      await store.dispose();
    }
  });
});
