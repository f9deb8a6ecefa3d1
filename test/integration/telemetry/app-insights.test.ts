/**
 * The Application Insights adapter against a local HTTP server playing the ingestion endpoint
 * (`IngestionEndpoint=https://127.0.0.1:<port>/` in the connection string): the events and metrics that
 * arrive after `flush`, their names, properties and dimensions, and that no secret is sent. The exporter
 * always speaks HTTPS (an http:// endpoint is upgraded), so the server uses the local stack's
 * self-signed certificate, trusted for connections to 127.0.0.1 only while the test runs (by wrapping
 * `tls.connect`: jest sandboxes process.env, so NODE_EXTRA_CA_CERTS-style settings cannot be used).
 */
import type { IncomingMessage } from "node:http";
import { createServer, type Server } from "node:https";
import { mkdtempSync, rmSync } from "node:fs";
import tlsModule from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { AppInsightsTelemetry } from "../../../src/adapters/app-insights/telemetry";
import { EVENTS, METRICS } from "../../../src/core/telemetry/items";
import { ensureCertificate } from "../../../src/local/stack/certificate";

/** A stand-in for a secret (redaction must remove it); deliberately not shaped like a real key. */
const FAKE_KEY = "fake-account-key-for-redaction-test";

interface Envelope {
  readonly name: string;
  readonly data?: { readonly baseType?: string; readonly baseData?: Record<string, unknown> };
}

let server: Server;
let port = 0;
let certDir = "";
const originalConnect = tlsModule.connect;
const envelopes: Envelope[] = [];
const bodies: string[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", reject);
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      resolve((req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8"));
    });
  });
}

beforeAll(async () => {
  process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED = "true";
  process.env.APPLICATION_INSIGHTS_NO_STATSBEAT = "true";
  certDir = mkdtempSync(join(tmpdir(), "afb-ai-"));
  const tls = await ensureCertificate(certDir, "127.0.0.1");
  const trusting = (...args: unknown[]): unknown => {
    const options = args[0] as tlsModule.ConnectionOptions | undefined;
    if (typeof options === "object" && options !== null && options.host === "127.0.0.1") args[0] = { ...options, ca: tls.cert };
    return (originalConnect as (...a: unknown[]) => unknown).apply(tlsModule, args);
  };
  (tlsModule as { connect: unknown }).connect = trusting;
  server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    void readBody(req).then((text) => {
      bodies.push(text);
      const items = text.trim().startsWith("[") ? (JSON.parse(text) as Envelope[]) : text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Envelope);
      envelopes.push(...items);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  (tlsModule as { connect: unknown }).connect = originalConnect;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(certDir, { recursive: true, force: true });
});

const baseData = (e: Envelope): Record<string, unknown> => e.data?.baseData ?? {};
const eventsNamed = (name: string) => envelopes.filter((e) => e.data?.baseType === "EventData" && baseData(e).name === name);
const metricPoints = () =>
  envelopes
    .filter((e) => e.data?.baseType === "MetricData")
    .flatMap((e) => ((baseData(e).metrics ?? []) as Array<{ name: string; value: number }>).map((m) => ({ ...m, properties: (baseData(e).properties ?? {}) as Record<string, string> })));

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
}

test("backup and restore outcomes arrive as custom events and metrics, with no secret", async () => {
  const warnings: string[] = [];
  const telemetry = new AppInsightsTelemetry({
    connectionString: `InstrumentationKey=00000000-0000-4000-8000-000000000001;IngestionEndpoint=https://127.0.0.1:${port}/`,
    now: () => Date.UTC(2026, 10, 28, 9, 7),
    warn: (m) => warnings.push(m),
  });
  telemetry.backupFinished({
    shareId: "s1", share: "projects", trigger: "schedule", status: "succeeded", durationMs: 1500, files: 10, dirs: 2,
    bytesRead: 4000, bytesNew: 1000, errors: 0, snapshotId: "snap-1", instanceId: "i-1", schedule: "0 0 */6 * * *",
  });
  telemetry.backupFinished({
    shareId: "s2", share: "finance", trigger: "http", status: "failed", durationMs: 20, errors: 1, phase: "scan",
    failure: `403 on DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${FAKE_KEY};EndpointSuffix=core.windows.net`,
  });
  telemetry.restoreFinished({ snapshotId: "snap-1", target: "projects-restore", status: "succeeded", durationMs: 900, files: 3, bytes: 300, errors: 0 });
  await telemetry.flush();
  await waitFor(() => eventsNamed(EVENTS.restoreCompleted).length > 0 && metricPoints().some((m) => m.name === METRICS.backupDedupRatio));

  const [completed] = eventsNamed(EVENTS.backupCompleted);
  expect(baseData(completed).properties).toMatchObject({
    shareId: "s1", share: "projects", trigger: "schedule", snapshotId: "snap-1", instanceId: "i-1",
    schedule: "0 0 */6 * * *", expectedIntervalMs: String(6 * 3600_000),
  });
  const [failed] = eventsNamed(EVENTS.backupFailed);
  expect(baseData(failed).properties).toMatchObject({ shareId: "s2", share: "finance", phase: "scan", status: "failed" });
  expect(String((baseData(failed).properties as Record<string, string>).failure)).toContain("AccountKey=***");
  expect(eventsNamed(EVENTS.restoreCompleted)).toHaveLength(1);

  const points = metricPoints();
  const point = (name: string, share: string) => points.find((m) => m.name === name && m.properties.share === share);
  expect(point(METRICS.backupDuration, "projects")?.value).toBe(1500);
  expect(point(METRICS.backupBytesNew, "projects")?.value).toBe(1000);
  expect(point(METRICS.backupDedupRatio, "projects")?.value).toBe(4);
  expect(point(METRICS.backupErrors, "finance")?.value).toBe(1);
  expect(points.find((m) => m.name === METRICS.restoreBytes)?.properties.target).toBe("projects-restore");

  const all = bodies.join("\n");
  expect(all).not.toContain(FAKE_KEY);
  await telemetry.close();
  expect(warnings).toEqual([]);
});
