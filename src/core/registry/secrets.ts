/**
 * Finds secrets in untrusted input (a request body, a queue message) so it can be refused before it is
 * stored, logged or echoed: account keys, SAS tokens and connection strings. Only the field's path is
 * reported, never the value. Errs on the side of refusing: a share registration holds names, URLs
 * without query strings and patterns, none of which legitimately contains these markers.
 */

const SECRET_MARKERS: readonly RegExp[] = [
  /AccountKey\s*=/i,
  /SharedAccessSignature\s*=/i,
  /DefaultEndpointsProtocol\s*=/i,
  /SharedAccessKey(Name)?\s*=/i,
  /(^|[?&;\s])sig=/i,
  /\bBearer\s+[A-Za-z0-9._-]{20,}/,
];

/** Whether `text` looks like it carries a key, SAS or connection string. */
export function looksLikeSecret(text: string): boolean {
  return SECRET_MARKERS.some((re) => re.test(text));
}

/** The path (like `auth.setting` or `include[2]`) of the first key or value that looks like a secret. */
export function findSecretField(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return looksLikeSecret(value) ? path || "(the message)" : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findSecretField(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      const at = path === "" ? key : `${path}.${key}`;
      if (looksLikeSecret(key)) return path || "(a property name)";
      const found = findSecretField(v, at);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The message for a refused secret: names the field, never the value. */
export function secretRefusal(): string {
  return `looks like it holds a secret (an account key, SAS or connection string); it was not stored. Use auth.mode "managedidentity", or "connectionstring-setting" with the NAME of an app setting that holds the connection string`;
}
