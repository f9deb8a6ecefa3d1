/**
 * XML the File service returns, written as strings (fast enough to list 100,000 entries per second).
 * Names that XML 1.0 cannot carry are sent percent-encoded with `Encoded="true"`, as Azure does.
 */
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

// Characters outside the XML 1.0 Char production (control characters, lone surrogates, U+FFFE/FFFF).
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function needsEncoding(text: string): boolean {
  return NOT_XML_CHAR.test(text);
}

/** `<Tag>text</Tag>` or `<Tag Encoded="true">%xx..</Tag>` when the text is not valid XML. */
export function encodedElement(tag: string, text: string): string {
  if (needsEncoding(text)) return `<${tag} Encoded="true">${encodeURIComponent(text)}</${tag}>`;
  return `<${tag}>${escapeXml(text)}</${tag}>`;
}

export function element(tag: string, text: string | number): string {
  return `<${tag}>${escapeXml(String(text))}</${tag}>`;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

export function errorXml(code: string, message: string, extra: Readonly<Record<string, string>>): string {
  const more = Object.entries(extra).map(([k, v]) => element(k, v)).join("");
  return `${XML_DECLARATION}<Error>${element("Code", code)}${element("Message", message)}${more}</Error>`;
}

export function metadataXml(meta: Readonly<Record<string, string>>): string {
  return `<Metadata>${Object.entries(meta).map(([k, v]) => element(k, v)).join("")}</Metadata>`;
}
