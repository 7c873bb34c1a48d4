import { type IncomingHttpHeaders, request } from "node:http";
import { parseSetCookie, type SetCookie } from "cookie";

/** An HTTP answer with its Set-Cookie headers kept raw and parsed. */
export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  /** Set-Cookie values in order, raw. */
  setCookies: string[];
  text: string;
  /** The parsed Set-Cookie of `name`, if the answer set it. */
  cookie(name: string): (SetCookie & { raw: string }) | undefined;
  json<T = Record<string, unknown>>(): T;
}

export interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON (with Content-Type application/json). */
  body?: string | object;
  /** The client's own address (e.g. 127.0.0.2, to be a peer other than 127.0.0.1). */
  localAddress?: string;
}

/**
 * One request over node:http: every header as given (Origin, Sec-Fetch-Site,
 * X-Forwarded-For are ordinary headers here), cookies only as the test sends them.
 */
export function send(url: string, init: RequestInit = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (typeof init.body === "object") {
    body = JSON.stringify(init.body);
    headers["content-type"] ??= "application/json";
  } else body = init.body;
  if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: init.method ?? "GET",
        headers,
        agent: false,
        ...(init.localAddress && { localAddress: init.localAddress }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const setCookies = res.headers["set-cookie"] ?? [];
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            setCookies,
            text,
            cookie(name) {
              const raw = setCookies.filter((value) => value.startsWith(`${name}=`)).at(-1);
              return raw === undefined ? undefined : { ...parseSetCookie(raw), raw };
            },
            json: () => JSON.parse(text),
          });
        });
      },
    );
    req.on("error", reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer from ${url} in 15 s`)));
    req.end(body);
  });
}

/** A Cookie header from name → value pairs. */
export function cookieHeader(cookies: Record<string, string | undefined>): string {
  return Object.entries(cookies)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");
}
