/**
 * Names and request paths that break naive code: spaces, `%`, `#`, unicode, emoji, 255 characters,
 * trailing dots, characters XML cannot carry. The emulator's tests prove each one round-trips through
 * the SDK and that none of the escape attempts reaches outside a share; scanner and restore tests reuse
 * the same set so every layer is held to the same inputs.
 */

/** File or directory names Azure Files accepts (trailing-dot names need `allowTrailingDot: true`). */
export const HOSTILE_NAMES: readonly string[] = [
  "name with spaces",
  " leading space",
  "100% literal percent",
  "percent-encoded-looking %2e%2e %2F %41",
  "#hash and #more",
  "semi;colon,comma=equals&ampersand+plus",
  "[brackets] {braces} (parens) 'quotes' `tick` ~tilde ^caret $dollar @at !bang",
  "ünïcödé-ß-Ωmega",
  "日本語のファイル名",
  "עברית-العربية",
  "emoji-🦄-🚀-👩‍👩‍👧",
  "combining-e\u0301-vs-\u00e9",
  "a".repeat(255),
  "..leading-dots",
  "dots.in.the.middle",
  "UPPER-lower-MiXeD",
];

/** Names that differ only by trailing dots; Azure trims the dots unless x-ms-allow-trailing-dot is set. */
export const TRAILING_DOT_NAMES: readonly string[] = ["trailing-dot.", "trailing-dots..."];

/** A name with a character XML 1.0 cannot carry; listings send it percent-encoded (`Encoded="true"`). */
export const XML_UNSAFE_NAMES: readonly string[] = ["noncharacter-\uFFFE-\uFFFF"];

/**
 * Raw request paths (appended to `/<account>/<share>`) that try to name something outside the share:
 * dot segments plain and encoded, encoded separators, backslashes, NUL, absolute and double slashes.
 */
export const PATH_ESCAPE_ATTEMPTS: readonly string[] = [
  "/../outside.txt",
  "/../../outside.txt",
  "/%2e%2e/outside.txt",
  "/%2E%2E/%2e%2e/outside.txt",
  "/.%2e/outside.txt",
  "/..%2foutside.txt",
  "/..%2Foutside.txt",
  "/%2e%2e%2f%2e%2e%2foutside.txt",
  "/..\\..\\outside.txt",
  "/..%5c..%5coutside.txt",
  "/%5c..%5coutside.txt",
  "//outside.txt",
  "/dir//../../outside.txt",
  "/%2fetc%2fpasswd",
  "/%00",
  "/name%00.txt",
  "/./outside.txt",
  "/%c0%ae%c0%ae/outside.txt",
];

/** Request targets that are not origin-form paths below an account at all. */
export const RAW_TARGET_ATTEMPTS: readonly string[] = ["//etc/passwd", "http://evil.example/devstoreaccount1/x", "*", "../../etc/passwd"];
