/**
 * The passes scripts/bundle-cli.js runs over esbuild's output. An ASCII bundle (bin/afb.js decodes it
 * as Latin-1): the non-ASCII characters esbuild leaves in regular expression character classes become
 * escapes that match the same strings, one anywhere else stops the build. The SDKs' `typeof FormData`
 * probes become `false` (they load undici), and any other use of FormData stops the build.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { asciiOnly, withoutFormDataProbe } = require("../../../scripts/bundle-cli.js") as { asciiOnly: (text: string) => string; withoutFormDataProbe: (text: string) => string };

const NON_ASCII = /[\u0080-\uffff]/;

describe("the bundle's ASCII pass", () => {
  it("escapes characters of regular expression classes to the same meaning, with and without the u flag", () => {
    const source = ["const q = /['\u2018\u2019]/g;", "const dev = /^(com[1-9\u00b9\u00b2\u00b3])$/i;", "const e = /[\u{1f5c2}]/u;", "const plain = 'untouched';"].join("\n");
    const out = asciiOnly(source);
    expect(NON_ASCII.test(out)).toBe(false);
    expect(out).toContain("\\u2018\\u2019");
    expect(out.split("\n")[3]).toBe("const plain = 'untouched';");
    const [q, dev, e] = new Function(`${out}\nreturn [q, dev, e];`)() as RegExp[];
    expect("it\u2019s".replace(q, "'")).toBe("it's");
    expect(dev.test("COM\u00b9")).toBe(true);
    expect(dev.test("COM4")).toBe(true);
    expect(e.test("\u{1f5c2}")).toBe(true);
  });

  it("refuses a non-ASCII character outside a regular expression class, quoting where it is", () => {
    expect(() => asciiOnly("const s = 'caf\u00e9';")).toThrow(/outside a regular expression character class: .*caf/);
  });

  it("leaves an ASCII text as it is", () => {
    const text = "const a = 1;\nconst r = /[a-z]/;\n";
    expect(asciiOnly(text)).toBe(text);
  });
});

describe("the bundle's FormData pass", () => {
  it("turns the SDKs' typeof probes into false, so a request never touches the FormData global", () => {
    const source = 'function f(body){if(typeof FormData!=="undefined"&&body instanceof FormData){return 1}return 2}';
    const out = withoutFormDataProbe(source);
    expect(out).toBe('function f(body){if(false&&body instanceof FormData){return 1}return 2}');
    let touched = false;
    const f = new Function("FormData", `${out}\nreturn f;`)(new Proxy(class {}, { get: () => ((touched = true), undefined), getPrototypeOf: () => ((touched = true), null) })) as (b: unknown) => number;
    expect(f({})).toBe(2);
    expect(touched).toBe(false);
  });

  it("refuses any other use of FormData, quoting it", () => {
    expect(() => withoutFormDataProbe("const fd = new FormData();")).toThrow(/other than behind a typeof guard: .*new FormData/);
    expect(() => withoutFormDataProbe('if (typeof FormData !== "undefined") x(); y instanceof FormData;')).toThrow(/typeof guard/);
  });

  it("leaves names that merely contain the word alone", () => {
    const text = "function convertBodyToFormDataMap(formData){return formData}";
    expect(withoutFormDataProbe(text)).toBe(text);
  });
});
