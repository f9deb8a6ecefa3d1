/**
 * A fresh share on the File emulator, registered with the app's share registry the way an operator
 * would (auth through the AFB_FILES connection-string setting, hourly schedule), for the app tests.
 */
import type { ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import type { AppServices } from "../../src/functions/services";

export interface ShareToRegister {
  /** Share name on the emulator, and registry id (unique per test process). */
  readonly name: string;
  readonly id: string;
  readonly createdAtMs: number;
  readonly include?: string[];
  readonly exclude?: string[];
}

export async function createRegisteredShare(service: ShareServiceClient, services: AppServices, s: ShareToRegister): Promise<{ id: string; share: ShareClient }> {
  const share = service.getShareClient(s.name);
  await share.create();
  await (await services.shares()).add({
    id: s.id, account: service.url.replace(/\/+$/, ""), shareName: s.name, auth: { mode: "connectionstring-setting", setting: "AFB_FILES" },
    schedule: "0 * * * *", retention: { keepDaily: 7, keepWeekly: 4, keepMonthly: 12, keepYearly: 0 }, include: s.include ?? [], exclude: s.exclude ?? [], enabled: true,
    createdAt: new Date(s.createdAtMs).toISOString(),
  });
  return { id: s.id, share };
}
