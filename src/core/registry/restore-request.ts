/**
 * What a client sends to start a restore (POST /api/restores, and `{"type":"restore", ...}` messages
 * of the backup-requests queue), checked with zod: every bad field is named with its problem, never
 * its value. The restore's instance id is derived from the request: `restore-<shareId>-<requestId>`
 * when the caller names the request (so a repeated request, e.g. a redelivered queue message, starts
 * nothing twice), else `restore-<shareId>-<request time>`.
 */
import { z } from "zod";
import { CONFLICT_POLICIES } from "../restore/conflicts";
import { nameProblem, parseSelectionPath } from "../restore/path-safety";
import { ShareRegistrationSchema } from "./share";

const typed = (message: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : message) });

const snapshot = z
  .string(typed("must be a string: a snapshot id, a unique prefix of one (at least 4 hex digits), or \"latest\""))
  .refine((v) => v.toLowerCase() === "latest" || /^[0-9a-fA-F]{4,64}$/.test(v), { error: "must be a snapshot id, a unique prefix of one (4 to 64 hex digits), or \"latest\"" });

const selectionPath = z
  .string(typed("must be a path from the share root, e.g. \"docs/report.pdf\""))
  .max(4096, { error: "must be at most 4096 characters" })
  .superRefine((v, ctx) => {
    try {
      parseSelectionPath(v);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `is not a usable path: ${(err as Error).message.replace(/^restore path "[^"]*" /, "")}` });
    }
  });

const folder = z
  .string(typed("must be a folder path in the target share, e.g. \"restored/2026-11\""))
  .max(2048, { error: "must be at most 2048 characters" })
  .superRefine((v, ctx) => {
    for (const s of v.split("/").filter((x) => x !== "")) {
      const why = nameProblem(s, "smb");
      if (why !== undefined) {
        ctx.addIssue({ code: "custom", message: `has ${why}` });
        return;
      }
    }
  });

const target = z.union(
  [
    z.strictObject({ share: ShareRegistrationSchema.shape.shareName, dir: folder.optional() }),
    z.strictObject({ sameShare: z.literal(true, { error: "must be true" }), dir: folder.optional() }),
  ],
  typed("must be {\"share\": \"<name>\", \"dir\"?: \"<folder>\"} or {\"sameShare\": true, \"dir\"?: \"<folder>\"}"),
);

export const RESTORE_REQUEST_FIELDS = {
  shareId: ShareRegistrationSchema.shape.id,
  snapshot,
  paths: z.array(selectionPath, typed("must be an array of paths from the share root")).max(1000, { error: "holds at most 1000 paths" }).optional(),
  target,
  conflict: z.enum(CONFLICT_POLICIES, { error: `must be one of ${CONFLICT_POLICIES.join(", ")}` }).optional(),
  requestId: z.string(typed("must be a string")).regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: "must be 1-40 lowercase letters, digits or '-', starting with a letter or digit" }).optional(),
};

export const RestoreRequestSchema = z.strictObject(RESTORE_REQUEST_FIELDS);

export type RestoreRequest = z.infer<typeof RestoreRequestSchema>;
export type RestoreTargetSpec = RestoreRequest["target"];

/** The target's share name and folder ("" = root) for a share whose own name is `shareName`. */
export function targetOf(spec: RestoreTargetSpec, shareName: string): { share: string; dir: string } {
  const dir = (spec.dir ?? "").split("/").filter((s) => s !== "").join("/");
  return { share: "share" in spec ? spec.share : shareName, dir };
}

/** `restore-<shareId>-<requestId>`, or `restore-<shareId>-<yyyymmddhhmmssmmm>` from the request time. */
export function restoreInstanceId(shareId: string, requestedAtMs: number, requestId?: string): string {
  if (requestId !== undefined) return `restore-${shareId}-${requestId}`;
  return `restore-${shareId}-${new Date(requestedAtMs).toISOString().replace(/[-:.TZ]/g, "")}`;
}
