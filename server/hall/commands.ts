import { z } from "zod";
import { maskIdNumber } from "../../shared/mask";
import { IdTypeSchema } from "../../shared/rules";
import { beijingTime } from "../../shared/time";
import {
  addCompany,
  type HallDeps,
  issueHallCode,
  resetDeclarationPassword,
  resetPassword,
  unlockCompany,
  unlockPerson,
} from "./service";

// The hall's commands as data: the CLI builds one from its arguments and either runs it on the store
// itself or, while a hub holds the embedded store, sends it to that hub (admin.ts), which runs the
// very same `runHallCommand`. Results never carry a password or a full ID number.

const text = (max: number) => z.string().min(1).max(max);
const person = { idType: IdTypeSchema, idNumber: text(32) };

export const HallCommand = z.discriminatedUnion("command", [
  z.strictObject({
    command: z.literal("issue-code"),
    name: text(64),
    ...person,
    nationality: text(64).optional(),
  }),
  z.strictObject({
    command: z.literal("add-company"),
    taxId: text(32),
    name: text(200),
    legalRep: z.strictObject(person),
    financeManager: z.strictObject(person).optional(),
    declarationPassword: text(64),
    local: z.boolean(),
  }),
  z.strictObject({ command: z.literal("reset-password"), ...person, password: text(64) }),
  z.strictObject({ command: z.literal("reset-declaration-password"), taxId: text(32), password: text(64) }),
  z.strictObject({
    command: z.literal("unlock-person"),
    idType: IdTypeSchema.optional(),
    idNumber: text(32),
  }),
  z.strictObject({ command: z.literal("unlock-company"), taxId: text(32) }),
]);
export type HallCommand = z.infer<typeof HallCommand>;

/** What the hall staff see: a JSON answer for machines and lines for people (Chinese / English). */
export interface HallOutput {
  json: Record<string, unknown>;
  text: string[];
}

const lockLine = (wasLocked: boolean) =>
  `锁定已解除 / lock lifted: ${wasLocked ? "是 / yes" : "未锁定 / was not locked"}`;

export async function runHallCommand(deps: HallDeps, cmd: HallCommand): Promise<HallOutput> {
  switch (cmd.command) {
    case "issue-code": {
      const { code, expiresAt } = await issueHallCode(deps, cmd);
      return {
        json: { code, expiresAt: expiresAt.toISOString() },
        text: [
          `大厅注册码 / hall registration code: ${code}`,
          `有效期至 / valid until: ${beijingTime(expiresAt)} 北京时间 / Beijing time (7 天 / days, 一次有效 / single use)`,
          `绑定证件 / bound to: ${cmd.idType} ${maskIdNumber(cmd.idNumber.trim().toUpperCase())}`,
        ],
      };
    }
    case "add-company": {
      const r = await addCompany(deps, cmd);
      return { json: { taxId: r.taxId, local: cmd.local }, text: [`已登记单位 / company added: ${r.taxId}`] };
    }
    case "reset-password": {
      const r = await resetPassword(deps, cmd);
      return {
        json: r,
        text: [
          "登录密码已重置 / password reset",
          lockLine(r.wasLocked),
          `结束会话 / sessions ended: ${r.sessionsEnded}`,
        ],
      };
    }
    case "reset-declaration-password": {
      const r = await resetDeclarationPassword(deps, cmd);
      return { json: r, text: ["申报密码已重置 / declaration password reset", lockLine(r.wasLocked)] };
    }
    case "unlock-person":
    case "unlock-company": {
      const r =
        cmd.command === "unlock-company" ? await unlockCompany(deps, cmd) : await unlockPerson(deps, cmd);
      return {
        json: r,
        text: [
          r.wasLocked
            ? "已解除锁定 / lock lifted"
            : "未锁定，无需解除 / was not locked (failure count cleared)",
        ],
      };
    }
  }
}
