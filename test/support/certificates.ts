import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A PEM key pair: the files (for the server's env) and their contents (for clients). */
export interface Pem {
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
}

/**
 * Throwaway PKI made with the `openssl` CLI in a temp dir: a CA, a server
 * certificate for 127.0.0.1 (subjectAltName IP:127.0.0.1) and a client
 * certificate signed by it, plus a second CA with its own client certificate
 * (trusted by nobody). P-256 keys, valid for a day.
 */
export interface TestPki {
  dir: string;
  ca: Pem;
  server: Pem;
  client: Pem;
  otherCa: Pem;
  /** Signed by `otherCa`: well-formed, but not by the CA the server trusts. */
  strangerClient: Pem;
  dispose(): Promise<void>;
}

const KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

async function pem(dir: string, name: string): Promise<Pem> {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  return { certFile, keyFile, cert: await readFile(certFile), key: await readFile(keyFile) };
}

async function authority(dir: string, name: string, subject: string): Promise<Pem> {
  await run("openssl", [
    "req",
    "-x509",
    ...KEY,
    "-keyout",
    join(dir, `${name}.key`),
    "-out",
    join(dir, `${name}.crt`),
    "-days",
    "1",
    "-subj",
    `/CN=${subject}`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  return pem(dir, name);
}

/** A leaf certificate for `subject`, signed by `ca`, with the given X.509v3 extensions. */
async function leaf(dir: string, name: string, ca: Pem, subject: string, extensions: string[]) {
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  await run("openssl", [
    "req",
    "-new",
    ...KEY,
    "-keyout",
    join(dir, `${name}.key`),
    "-out",
    csr,
    "-subj",
    `/CN=${subject}`,
  ]);
  await writeFile(ext, `${extensions.join("\n")}\n`);
  await run("openssl", [
    "x509",
    "-req",
    "-in",
    csr,
    "-CA",
    ca.certFile,
    "-CAkey",
    ca.keyFile,
    "-set_serial",
    `0x${randomBytes(8).toString("hex")}`,
    "-days",
    "1",
    "-extfile",
    ext,
    "-out",
    join(dir, `${name}.crt`),
  ]);
  return pem(dir, name);
}

export async function makeTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), "userharbor-pki-"));
  const base = ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature"];
  const ca = await authority(dir, "ca", "UserHarbor test CA");
  const otherCa = await authority(dir, "other-ca", "Some other CA");
  return {
    dir,
    ca,
    otherCa,
    server: await leaf(dir, "server", ca, "127.0.0.1", [
      ...base,
      "extendedKeyUsage=serverAuth",
      "subjectAltName=IP:127.0.0.1",
    ]),
    client: await leaf(dir, "client", ca, "test-backend", [...base, "extendedKeyUsage=clientAuth"]),
    strangerClient: await leaf(dir, "stranger", otherCa, "stranger", [
      ...base,
      "extendedKeyUsage=clientAuth",
    ]),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
