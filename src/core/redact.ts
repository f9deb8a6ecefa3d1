/**
 * Removes secrets from any text before it reaches a log, an error or the terminal: account keys,
 * SAS signatures and tokens inside connection strings and URLs. Pure; safe to call on anything.
 */
const PATTERNS: readonly RegExp[] = [
  /(AccountKey=)[^;]+/gi,
  /(SharedAccessSignature=)[^;]+/gi,
  /([?&]sig=)[^&\s"']+/gi,
  /(\bkey["']?\s*[:=]\s*["']?)[A-Za-z0-9+/=]{20,}/gi,
  /(Authorization["']?\s*[:=]\s*["']?)[^"'\n]+/gi,
];

/** Returns `text` with every secret value replaced by `***`. */
export function redact(text: string): string {
  let out = text;
  for (const re of PATTERNS) out = out.replace(re, "$1***");
  return out;
}
