import { randomBytes } from "node:crypto";
import { type Client, createClient, type Transport } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { AccountService } from "@userharbor/client";
import { AdminService } from "@userharbor/client/userharbor/v1/admin_pb.js";
import { loadConfig } from "../../src/config/index.js";
import type { PasswordHasher } from "../../src/core/ports/password-hasher.js";
import { createLogger } from "../../src/observability/logger.js";
import { type RunningServer, startServer } from "../../src/server.js";
import { CapturingMailbox } from "./capturing-mailbox.js";
import { ManualClock } from "./manual-clock.js";
import { memoryHarness, type StoreHarness, type StoreInstance } from "./stores.js";

export const PROTOCOLS = ["connect", "grpc", "grpc-web"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export type AccountClient = Client<typeof AccountService>;
export type AdminClient = Client<typeof AdminService>;

export interface TestServer {
  server: RunningServer;
  mailbox: CapturingMailbox;
  clock: ManualClock;
  store: StoreInstance;
  /** Every log line the server wrote (JSON). */
  logs: string[];
  client(protocol: Protocol): AccountClient;
  /** An AdminService client (no key: pass `authorization` where API keys are configured). */
  admin(protocol: Protocol): AdminClient;
  /** Waits until the outbox is empty, so store snapshots are stable. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Cheap argon2 so suites run fast; production defaults are covered by the hasher's own test. */
const TEST_ENV = {
  NODE_ENV: "test",
  HOST: "127.0.0.1",
  PORT: "0",
  LOG_LEVEL: "info",
  METRICS_PORT: "0",
  ARGON2_MEMORY_KIB: "1024",
  ARGON2_TIME_COST: "1",
  // Suites call from one IP many times; the limit suites set their own budgets.
  LIMIT_LOGIN_IP: "100000/1m",
  LIMIT_LOGIN_ACCOUNT: "100000/1m",
  LIMIT_REGISTER_IP: "100000/1m",
  LIMIT_MAIL_EMAIL: "100000/1m",
  LIMIT_MAIL_IP: "100000/1m",
  LOCKOUT_FAILURES: "1000",
  LOCKOUT_ACCOUNT_FAILURES: "1000",
  HASH_QUEUE: "1000",
};

export function transportFor(baseUrl: string, protocol: Protocol): Transport {
  switch (protocol) {
    case "connect":
      // HTTP/1.1, as a curl user or browser backend would call it.
      return createConnectTransport({ baseUrl, httpVersion: "1.1" });
    case "grpc":
      return createGrpcTransport({ baseUrl });
    case "grpc-web":
      return createGrpcWebTransport({ baseUrl, httpVersion: "2" });
  }
}

/** A real server on 127.0.0.1 (port 0) over the given store, with a capturing mailbox and a manual clock. */
export interface TestServerOptions {
  /** Which store implementation to create (default: memory). */
  store?: StoreHarness;
  /** An existing store instead, e.g. to restart a server over the same data. */
  storeInstance?: StoreInstance;
  env?: Record<string, string>;
  hasher?: PasswordHasher;
  /** "configured": send mail the way config says (SMTP) instead of capturing it. */
  mail?: "capture" | "configured";
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const store = options.storeInstance ?? (await (options.store ?? memoryHarness).create());
  const mailbox = new CapturingMailbox();
  const clock = new ManualClock();
  const logs: string[] = [];
  const config = loadConfig({
    ...TEST_ENV,
    SECRET_KEY: randomBytes(32).toString("hex"),
    ...options.env,
  });
  const logger = createLogger(config.logLevel, { write: (line: string) => void logs.push(line) });
  const server = await startServer(config, {
    store: store.store,
    ...(options.mail !== "configured" && { sender: mailbox }),
    clock,
    logger,
    ...(options.hasher && { hasher: options.hasher }),
  });
  const clients = new Map<Protocol, AccountClient>();
  return {
    server,
    mailbox,
    clock,
    store,
    logs,
    client(protocol) {
      let client = clients.get(protocol);
      if (!client) {
        client = createClient(AccountService, transportFor(server.url, protocol));
        clients.set(protocol, client);
      }
      return client;
    },
    admin(protocol) {
      return createClient(AdminService, transportFor(server.url, protocol));
    },
    async settle() {
      for (let i = 0; i < 200; i++) {
        if ((await store.store.outbox.count()).pending === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error("outbox did not drain");
    },
    async close() {
      await server.close();
      if (!options.storeInstance) await store.dispose();
    },
  };
}
