import {
  type CompanyRecord,
  type CompanyRecords,
  type CompanyRecordsQuery,
  RECORDS_PAGE,
} from "../../shared/api/app";
import { maskIdNumber, maskName } from "../../shared/mask";
import { EnterMethod } from "../../shared/protocol";
import { IdTypeSchema } from "../../shared/rules";
import { maskIp } from "../events/masking";
import { regionOf } from "../geo";
import type { Caller } from "../sessions/caller";
import { companyFor } from "./admin";
import type { CompanyRoutesDeps } from "./deps";

// 办税记录 for the legal representative and the finance manager: who entered the company on a client
// (company.enter rows the socket step writes, with how and from where) and the wrong declaration
// passwords typed for it, newest first, a page at a time. Read from the audit log, never written here.

interface AuditRecordRow {
  id: string;
  at: Date | string;
  action: string;
  outcome: string;
  actor: string;
  detail: Record<string, unknown> | string | null;
}

interface PersonRow {
  id: string;
  name: string;
  id_type: string;
  id_number: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The page cursor: the last record's time (ms) and audit row id, `1709254800000-42`. */
function cursorOf(r: AuditRecordRow): string {
  return `${new Date(r.at).getTime()}-${r.id}`;
}

function parseCursor(before: string | undefined): { at: Date; id: string } | null {
  if (!before) return null;
  const [ms, id] = before.split("-");
  return { at: new Date(Number(ms)), id: id as string };
}

export async function companyRecords(
  d: CompanyRoutesDeps,
  caller: Caller,
  taxId: string,
  q: CompanyRecordsQuery,
): Promise<CompanyRecords> {
  const company = await companyFor(d, caller, taxId, "legal_rep_or_finance");
  const limit = q.limit ?? RECORDS_PAGE;
  const cursor = parseCursor(q.before);
  // One more than a page tells whether there is a next one.
  const rows = await d.db.query<AuditRecordRow>(
    `SELECT id::text AS id, at, action, outcome, actor, detail
     FROM audit_log
     WHERE subject = $1
       AND ((action = 'company.enter' AND outcome = 'ok')
         OR (action IN ('company.add', 'declaration.verify')
             AND (outcome = 'DECLARATION_PASSWORD_WRONG' OR detail->>'passwordWrong' = 'true')))
       AND ($2::timestamptz IS NULL OR (at, id) < ($2::timestamptz, $3::bigint))
     ORDER BY at DESC, id DESC
     LIMIT $4`,
    [company.taxId, cursor?.at ?? null, cursor?.id ?? null, limit + 1],
  );
  const page = rows.slice(0, limit);
  const people = await peopleOf(d, page);
  const last = page.at(-1);
  return {
    records: page.map((r) => recordView(r, people)),
    next: rows.length > limit && last ? cursorOf(last) : null,
  };
}

async function peopleOf(d: CompanyRoutesDeps, rows: AuditRecordRow[]): Promise<Map<string, PersonRow>> {
  const ids = [...new Set(rows.map((r) => r.actor.replace(/^person:/, "")).filter((id) => UUID.test(id)))];
  if (ids.length === 0) return new Map();
  const found = await d.db.query<PersonRow>(
    "SELECT id::text AS id, name, id_type, id_number FROM people WHERE id = ANY($1::uuid[])",
    [ids],
  );
  return new Map(found.map((p) => [p.id, p]));
}

function recordView(r: AuditRecordRow, people: Map<string, PersonRow>): CompanyRecord {
  const detail = (typeof r.detail === "string" ? JSON.parse(r.detail) : (r.detail ?? {})) as Record<
    string,
    unknown
  >;
  const p = people.get(r.actor.replace(/^person:/, ""));
  const idType = IdTypeSchema.safeParse(p?.id_type);
  const via = EnterMethod.safeParse(detail.via);
  const ip = typeof detail.ip === "string" && detail.ip !== "unknown" ? detail.ip : null;
  const entered = r.action === "company.enter";
  return {
    id: r.id,
    kind: entered ? "entered" : "password_wrong",
    at: new Date(r.at).toISOString(),
    who:
      p && idType.success
        ? { maskedName: maskName(p.name), idType: idType.data, maskedIdNumber: maskIdNumber(p.id_number) }
        : null,
    login: detail.login === "password" || detail.login === "qr" ? detail.login : null,
    via: entered && via.success ? via.data : null,
    locked: !entered && r.outcome === "DECLARATION_LOCKED",
    address: ip ? maskIp(ip) : null,
    region: ip ? (regionOf(ip)?.label ?? null) : null,
  };
}
