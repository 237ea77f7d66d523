import { type Context, Hono } from "hono";
import { z } from "zod";
import { CompanyRecordsQuery, DeclarationResetRequest, GrantRequest } from "../../shared/api/app";
import { answerErrors, jsonBody, limitBody, queryParams } from "../http/request";
import { dateOf } from "../kernel/clock";
import { Refusal } from "../kernel/refusal";
import { callerOf } from "../sessions/caller";
import { grant, listAuthorizations, me, resetDeclarationPassword, revoke, sendDeclarationSms } from "./admin";
import type { CompanyRoutesDeps } from "./deps";
import { companyRecords } from "./records";

// 「企业办税权限」 under /api/app for the legal representative and the finance manager (shapes in
// shared/api/app.ts): who is logged in and their companies, 办税授权 granted and revoked, and
// 重置申报密码 with an SMS code to the bound phone, and 办税记录 (who entered the company, and wrong
// declaration passwords typed for it).

const AuthorizationId = z.uuid();

export function companyRoutes(d: CompanyRoutesDeps): Hono {
  const app = new Hono();
  app.onError(answerErrors((line) => d.log.error(line)));
  app.use(limitBody());
  const caller = (c: Context) => callerOf(d.db, d.sessions, c.req.header("authorization"), dateOf(d.clock));

  app.get("/me", async (c) => c.json(await me(d, await caller(c))));

  app.get("/companies/:taxId/authorizations", async (c) =>
    c.json(await listAuthorizations(d, await caller(c), c.req.param("taxId"))),
  );

  app.post("/companies/:taxId/authorizations", async (c) => {
    const who = await caller(c);
    const req = await jsonBody(c, GrantRequest);
    return c.json(await grant(d, who, c.req.param("taxId"), req), 201);
  });

  app.delete("/companies/:taxId/authorizations/:id", async (c) => {
    const who = await caller(c);
    const id = AuthorizationId.safeParse(c.req.param("id"));
    if (!id.success) throw new Refusal("AUTHORIZATION_NOT_FOUND");
    return c.json(await revoke(d, who, c.req.param("taxId"), id.data));
  });

  app.post("/companies/:taxId/declaration-password/sms", async (c) => {
    const sent = await sendDeclarationSms(d, await caller(c), c.req.param("taxId"));
    return c.json({
      maskedPhone: sent.maskedPhone,
      expiresAt: sent.expiresAt.toISOString(),
      resendAt: sent.resendAt.toISOString(),
    });
  });

  app.post("/companies/:taxId/declaration-password", async (c) => {
    const who = await caller(c);
    const req = await jsonBody(c, DeclarationResetRequest);
    return c.json(await resetDeclarationPassword(d, who, c.req.param("taxId"), req));
  });

  app.get("/companies/:taxId/records", async (c) => {
    const who = await caller(c);
    const q = queryParams(c, CompanyRecordsQuery);
    return c.json(await companyRecords(d, who, c.req.param("taxId"), q));
  });

  return app;
}
