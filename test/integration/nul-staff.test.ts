import type { RouteConfig } from "@hono/zod-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trackMessageRoute, trackRoute } from "../../api/routes/public";
import { actionRoute, claimNextRoute } from "../../api/routes/staff-cases";
import { loginRoute } from "../../api/routes/staff-session";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { rowCounts } from "../helpers/inspect";
import { anonymousReport } from "../helpers/reports";
import { createStaff, staffHeaders } from "../helpers/staff";

/** U+0000 anywhere in a JSON body is a 422 naming the field, on every route, and stores nothing. */
describe.each(dbKinds())("NUL characters in staff and public JSON on %s", (kind) => {
  let rig: TestRig;
  let intake: { cookie: string };
  beforeAll(async () => {
    rig = await createRig(kind);
    intake = await createStaff(rig, { username: "nul.intake", office: "430100", roles: ["intake"] });
  });
  afterAll(async () => rig?.destroy());

  const expect422 = async (res: Response, route: RouteConfig, path: string) => {
    const body = await expectProblem(res, route, 422);
    expect(body.errors).toContainEqual(expect.objectContaining({ path, code: "text.nul" }));
  };

  it("login", async () => {
    const res = await rig.app.request("/api/v1/staff/session", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost" },
      body: JSON.stringify({ username: "nul\u0000.intake", password: "x" }),
    });
    await expect422(res, loginRoute, "username");
  });

  it("a case action's text", async () => {
    const filed = await rig.app.request("/api/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(anonymousReport()),
    });
    expect(filed.status).toBe(201);
    const claim = await rig.app.request("/api/v1/staff/queue/claim", {
      method: "POST",
      headers: staffHeaders(intake.cookie),
    });
    const { case: c, leaseToken } = await expectResponse(claim, claimNextRoute, 200);
    const before = await rowCounts(rig.deps.db);
    const res = await rig.app.request(`/api/v1/staff/cases/${c.id}/actions`, {
      method: "POST",
      headers: staffHeaders(intake.cookie),
      body: JSON.stringify({ action: "message", leaseToken, body: "请补充\u0000材料" }),
    });
    await expect422(res, actionRoute, "body");
    expect(await rowCounts(rig.deps.db)).toEqual(before);
  });

  it("a reporter message and a tracking lookup", async () => {
    const msg = await rig.app.request("/api/v1/track/messages", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ trackingCode: "00000-00000-00000-00000", body: "补充\u0000" }),
    });
    await expect422(msg, trackMessageRoute, "body");
    const track = await rig.app.request("/api/v1/track", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ trackingCode: "00000\u0000" }),
    });
    await expect422(track, trackRoute, "trackingCode");
  });
});
