/**
 * Monitoring read off the compiled template: the workbook (its JSON loaded from
 * infra/monitor/backup-workbook.json) and the two log search alert rules exist, are scoped to the
 * Application Insights resource the app reports to, and query the events the telemetry adapter sends
 * (names from src/core/telemetry/items.ts); the action group is optional and e-mail only when asked.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EVENTS, METRICS } from "../../../src/core/telemetry/items";
import { ROOT, loadCompiledTemplate, moduleParam, moduleTemplate, one, resource, type ArmResource, type ArmTemplate } from "./compiled-template";

let template: ArmTemplate;
let alerts: ArmTemplate;
beforeAll(() => {
  template = loadCompiledTemplate();
  alerts = moduleTemplate(resource(template, "alerts"));
});

const APP_INSIGHTS_ID = "[reference('monitoring').outputs.applicationInsightsId.value]";

function rule(nameSuffix: string): { rule: ArmResource; query: string } {
  const r = one(alerts, "Microsoft.Insights/scheduledQueryRules", nameSuffix);
  const criteria = (r.properties?.criteria as { allOf: Array<{ query: string }> }).allOf;
  expect(criteria).toHaveLength(1);
  const ref = /^\[variables\('(\w+)'\)\]$/.exec(criteria[0].query);
  const query = ref === null ? criteria[0].query : String(alerts.variables?.[ref[1]]);
  return { rule: r, query };
}

test("the workbook is deployed from backup-workbook.json under the Application Insights resource", () => {
  const mod = resource(template, "workbook");
  expect(moduleParam(mod, "applicationInsightsId")).toBe(APP_INSIGHTS_ID);
  const wb = one(moduleTemplate(mod), "Microsoft.Insights/workbooks");
  expect(wb.kind).toBe("shared");
  expect(wb.properties).toMatchObject({ category: "workbook", sourceId: "[parameters('applicationInsightsId')]" });
  // loadTextContent compiles to a template variable holding the file's text.
  const ref = /^\[variables\('(.+)'\)\]$/.exec(String(wb.properties?.serializedData));
  expect(ref).not.toBeNull();
  const serialized = String(moduleTemplate(mod).variables?.[ref?.[1] ?? ""]);
  expect(serialized).toBe(readFileSync(join(ROOT, "infra", "monitor", "backup-workbook.json"), "utf8"));
  const queries = (JSON.parse(serialized) as { items: Array<{ type: number; content: { query?: string } }> }).items
    .filter((i) => i.type === 3)
    .map((i) => String(i.content.query));
  const all = queries.join("\n");
  for (const name of [EVENTS.backupCompleted, EVENTS.backupFailed, EVENTS.restoreCompleted, EVENTS.restoreFailed, METRICS.backupBytesRead, METRICS.backupBytesNew]) {
    expect(all).toContain(`"${name}"`);
  }
  expect(all).toContain("Host.Triggers.DurableTask");
  expect(all).toMatch(/^requests\b/m);
});

test("the failed-backup rule fires on any BackupFailed event, per share, against Application Insights", () => {
  expect(moduleParam(resource(template, "alerts"), "applicationInsightsId")).toBe(APP_INSIGHTS_ID);
  const { rule: r, query } = rule("-backup-failed");
  expect(r.kind).toBe("LogAlert");
  expect(r.properties).toMatchObject({ scopes: ["[parameters('applicationInsightsId')]"], enabled: true, evaluationFrequency: "PT5M", windowSize: "PT5M" });
  expect(query).toContain(`name == "${EVENTS.backupFailed}"`);
  const criterion = (r.properties?.criteria as { allOf: Array<Record<string, unknown>> }).allOf[0];
  expect(criterion).toMatchObject({ timeAggregation: "Count", operator: "GreaterThan", threshold: 0, dimensions: [{ name: "share", operator: "Include", values: ["*"] }] });
});

test("the overdue rule compares the last success with twice the schedule interval the events carry", () => {
  const { rule: r, query } = rule("-backup-overdue");
  expect(r.properties).toMatchObject({ scopes: ["[parameters('applicationInsightsId')]"], overrideQueryTimeRange: "[parameters('overdueLookback')]" });
  expect(query).toContain(`"${EVENTS.backupCompleted}"`);
  expect(query).toContain("customDimensions.expectedIntervalMs");
  expect(query).toMatch(/2 \* intervalMs \* 1ms/);
  expect(alerts.parameters?.overdueLookback.allowedValues).toEqual(["PT12H", "P1D", "P2D"]);
});

test("both rules notify the action groups given; an e-mail action group exists only when an address is", () => {
  for (const suffix of ["-backup-failed", "-backup-overdue"]) expect(rule(suffix).rule.properties?.actions).toEqual({ actionGroups: "[variables('actionGroups')]" });
  const group = one(alerts, "Microsoft.Insights/actionGroups");
  expect(group.condition).toBe("[not(empty(parameters('alertEmail')))]");
  expect(moduleParam(resource(template, "alerts"), "alertEmail")).toBe("[parameters('alertEmail')]");
  expect(template.parameters?.alertEmail.defaultValue).toBe("");
  expect(template.parameters?.alertActionGroupId.defaultValue).toBe("");
});

test("host.json: task hub from AFB_TASK_HUB, bounded concurrency, no extended sessions, unsampled requests", () => {
  const host = JSON.parse(readFileSync(join(ROOT, "host.json"), "utf8")) as {
    extensions: { durableTask: Record<string, unknown> };
    logging: { logLevel: Record<string, string>; applicationInsights: { samplingSettings: { isEnabled: boolean; excludedTypes: string } } };
  };
  expect(host.extensions.durableTask).toEqual({ hubName: "%AFB_TASK_HUB%", maxConcurrentActivityFunctions: 8, maxConcurrentOrchestratorFunctions: 10, extendedSessionsEnabled: false });
  expect(host.logging.applicationInsights.samplingSettings.excludedTypes.split(";").sort()).toEqual(["Exception", "Request"]);
  // The workbook reads requests (Host.Results) and Durable tracking events (Host.Triggers.DurableTask).
  expect(host.logging.logLevel).toMatchObject({ default: "Warning", "Host.Results": "Information", "Host.Triggers.DurableTask": "Information", "DurableTask.Core": "Warning" });
});
