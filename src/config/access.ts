import { z } from "zod";
import { apiKeysSchema } from "../rpc/api-key-config.js";

/** CORS_ORIGINS: comma-separated exact origins (scheme://host[:port]) or "*". */
const corsOrigins = z
  .string()
  .transform((text) =>
    text
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .refine(
          (o) => o === "*" || (URL.canParse(o) && new URL(o).origin === o),
          "entries must be exact origins like https://app.example.com (scheme, host, optional port; no path or trailing slash), or *",
        ),
    ),
  );

/** Who may call and how: API keys, browser origins (CORS), TLS and client certificates. */
export const ACCESS = z.object({
  API_KEYS: apiKeysSchema.optional().meta({
    description:
      "Callers' keys as `name=key:scope,scope;name2=...`, sent as `authorization: Bearer <key>`; scopes `accounts`, `client-ip` (ClientContext.ip is believed), `admin`; a key may be given as `sha256:<hex>` of it. Logs show the name. Required in production; unset in development = open, every scope (with a warning).",
    secret: true,
  }),
  CORS_ORIGINS: corsOrigins.optional().meta({
    description:
      "Browser pages allowed to call from another origin: comma-separated exact origins (https://app.example.com), or * (not in production). Unset: CORS off.",
  }),
  TLS_CERT_FILE: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "PEM certificate: serve TLS (HTTP/2 and HTTP/1.1 by ALPN)." }),
  TLS_KEY_FILE: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "PEM private key for TLS_CERT_FILE." }),
  TLS_CLIENT_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "PEM CA bundle: require client certificates signed by it (mTLS)." }),
});
