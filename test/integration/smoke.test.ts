import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportRoute, trackRoute } from "../../api/routes/public";
import { expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { realNameReport } from "../helpers/reports";

describe.each(dbKinds())("smoke on %s", (kind) => {
  let rig: TestRig;
  beforeAll(async () => {
    rig = await createRig(kind);
  });
  afterAll(async () => rig?.destroy());

  it("files a report and tracks it", async () => {
    const res = await rig.app.request("/api/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(realNameReport()),
    });
    expect(res.status).toBe(201);
    const receipt = await expectResponse(res, reportRoute, 201);
    expect(receipt.office.name).toBe("望城区纪委监委");
    const t = await rig.app.request("/api/v1/track", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ trackingCode: receipt.trackingCode.toLowerCase().replace(/-/g, " ") }),
    });
    expect(t.status).toBe(200);
    const view = await expectResponse(t, trackRoute, 200);
    expect(view.statusLabel).toBe("已接收");
  });
});
