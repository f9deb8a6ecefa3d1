"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.XML_DECLARATION = void 0;
exports.escapeXml = escapeXml;
exports.needsEncoding = needsEncoding;
exports.encodedElement = encodedElement;
exports.element = element;
exports.errorXml = errorXml;
exports.metadataXml = metadataXml;
/**
 * XML the File service returns, written as strings (fast enough to list 100,000 entries per second).
 * Names that XML 1.0 cannot carry are sent percent-encoded with `Encoded="true"`, as Azure does.
 */
const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
function escapeXml(text) {
    return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
// Characters outside the XML 1.0 Char production (control characters, lone surrogates, U+FFFE/FFFF).
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function needsEncoding(text) {
    return NOT_XML_CHAR.test(text);
}
/** `<Tag>text</Tag>` or `<Tag Encoded="true">%xx..</Tag>` when the text is not valid XML. */
function encodedElement(tag, text) {
    if (needsEncoding(text))
        return `<${tag} Encoded="true">${encodeURIComponent(text)}</${tag}>`;
    return `<${tag}>${escapeXml(text)}</${tag}>`;
}
function element(tag, text) {
    return `<${tag}>${escapeXml(String(text))}</${tag}>`;
}
exports.XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
function errorXml(code, message, extra) {
    const more = Object.entries(extra).map(([k, v]) => element(k, v)).join("");
    return `${exports.XML_DECLARATION}<Error>${element("Code", code)}${element("Message", message)}${more}</Error>`;
}
function metadataXml(meta) {
    return `<Metadata>${Object.entries(meta).map(([k, v]) => element(k, v)).join("")}</Metadata>`;
}
//# sourceMappingURL=xml.js.map