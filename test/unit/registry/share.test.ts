/** Share registrations: what is accepted, defaults, and 400-style issues that name the field. */
import { SHARE_ID_PATTERN } from "../../../src/core/ports/node-index";
import { SHARE_KEY } from "../../../src/core/repository/codec-manifest";
import { DEFAULT_RETENTION, isValidShareId, parseRegistration, type FieldIssue } from "../../../src/core/registry/share";
import { findSecretField } from "../../../src/core/registry/secrets";

const CREATED = "2026-03-01T00:00:00.000Z";
const valid = { id: "finance-docs", account: "contosofiles", shareName: "docs", auth: { mode: "managedidentity" }, schedule: "0 2 * * *" };

function issues(input: unknown): FieldIssue[] {
  const r = parseRegistration(input, CREATED);
  if (r.ok) throw new Error("expected the registration to be refused");
  return [...r.issues];
}

describe("share registrations", () => {
  test("a minimal registration gets defaults and the creation time", () => {
    const r = parseRegistration(valid, CREATED);
    expect(r).toEqual({ ok: true, value: { ...valid, retention: DEFAULT_RETENTION, include: [], exclude: [], enabled: true, createdAt: CREATED } });
  });

  test("a full registration keeps every field", () => {
    const full = {
      ...valid,
      account: "https://contosofiles.file.core.windows.net/",
      auth: { mode: "connectionstring-setting", setting: "AFB_SHARE_FINANCE" },
      retention: { keepDaily: 14, keepWeekly: 8, keepMonthly: 24, keepYearly: 7 },
      include: ["reports/**"],
      exclude: ["*.tmp", "**/cache/*"],
      enabled: false,
    };
    expect(parseRegistration(full, CREATED)).toEqual({ ok: true, value: { ...full, createdAt: CREATED } });
    expect(parseRegistration({ ...valid, account: "http://127.0.0.1:10004/devstoreaccount1", auth: { mode: "connectionstring-setting", setting: "AFB_FILES" } }, CREATED).ok).toBe(true);
  });

  test.each([
    [{ ...valid, id: "Finance" }, "id", /lowercase/],
    [{ ...valid, id: "a..b" }, "id", /'\.\.'/],
    [{ ...valid, id: "-a" }, "id", /start and end/],
    [{ ...valid, id: "x".repeat(65) }, "id", /1-64/],
    [{ ...valid, account: "Not An Account" }, "account", /storage account name/],
    [{ ...valid, account: "http://contoso.file.core.windows.net" }, "account", /must use https/],
    [{ ...valid, account: "https://contoso.file.core.windows.net/docs/file.txt" }, "account", /not a share or file URL/],
    [{ ...valid, account: "https://user:pw@contoso.file.core.windows.net" }, "account", /user name or password/],
    [{ ...valid, shareName: "Docs" }, "shareName", /share name/],
    [{ ...valid, shareName: "a--b" }, "shareName", /single hyphens/],
    [{ ...valid, auth: { mode: "key" } }, "auth.mode", /managedidentity/],
    [{ ...valid, auth: { mode: "connectionstring-setting" } }, "auth.setting", /is required/],
    [{ ...valid, auth: { mode: "connectionstring-setting", setting: "AzureWebJobsStorage" } }, "auth.setting", /AFB_SHARE_/],
    [{ ...valid, auth: { mode: "managedidentity", clientId: "nope" } }, "auth.clientId", /GUID/],
    [{ ...valid, schedule: "0 2 * *" }, "schedule", /needs 5 fields/],
    [{ ...valid, schedule: "0 */5 * * * *" }, "schedule", /5-field/],
    [{ ...valid, retention: { keepDaily: -1 } }, "retention.keepDaily", /whole number/],
    [{ ...valid, retention: { keepHourly: 3 } }, "retention.keepHourly", /not a known field/],
    [{ ...valid, include: ["ok/*", "../up"] }, "include[1]", /'\.\.' segments/],
    [{ ...valid, exclude: "*.tmp" }, "exclude", /array/],
    [{ ...valid, enabled: "yes" }, "enabled", /true or false/],
    [{ ...valid, color: "blue" }, "color", /not a known field/],
    [{ id: "x1" }, "account", /is required/],
    ["text", "(body)", /expected object/],
  ])("refuses %j naming the field", (input, field, reason) => {
    const found = issues(input);
    const hit = found.find((i) => i.field === field);
    expect(hit).toBeDefined();
    expect(hit?.reason).toMatch(reason);
  });

  test("a key, SAS or connection string anywhere is refused naming the field, never echoing it", () => {
    const key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    const cases: Array<[unknown, string]> = [
      [{ ...valid, account: `DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${key}` }, "account"],
      [{ ...valid, account: "https://x.file.core.windows.net/?sv=2022-11-02&ss=f&sig=abcdef" }, "account"],
      [{ ...valid, auth: { mode: "connectionstring-setting", setting: `AccountKey=${key}` } }, "auth.setting"],
      [{ ...valid, exclude: ["ok", `sig=${key}`] }, "exclude[1]"],
    ];
    for (const [input, field] of cases) {
      const found = issues(input);
      expect(found).toHaveLength(1);
      expect(found[0].field).toBe(field);
      expect(found[0].reason).toMatch(/looks like it holds a secret/);
      expect(JSON.stringify(found)).not.toContain(key.slice(0, 12));
      expect(JSON.stringify(found)).not.toContain("abcdef");
    }
    expect(findSecretField({ a: [{ b: "x" }, { c: "SharedAccessSignature=sv=1&sig=2" }] })).toBe("a[1].c");
    expect(findSecretField({ ...valid })).toBeUndefined();
  });

  test("a valid share id is valid both as a node-index share id and as a repository share key", () => {
    const candidates = ["a", "a1", "finance-docs", "x.y", "a.b-c.d", "0", "a..b", "A", "a_b", "-a", "a-", ".a", "x".repeat(64), "x".repeat(65), "a b", "é"];
    for (const id of candidates) {
      if (isValidShareId(id)) {
        expect(SHARE_ID_PATTERN.test(id)).toBe(true);
        expect(SHARE_KEY.test(id) && !id.includes("..")).toBe(true);
      }
    }
    expect(candidates.filter(isValidShareId)).toEqual(["a", "a1", "finance-docs", "x.y", "a.b-c.d", "0", "x".repeat(64)]);
  });
});
