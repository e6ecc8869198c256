import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";

describe.each(dbKinds())("staff see and download a case's attachments on %s", (kind) => {
  let rig: TestRig;
  beforeAll(async () => {
    rig = await createRig(kind);
  });
  afterAll(async () => rig?.destroy());

  it("lists the cleaned files in the case view, and each link downloads it", async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#00f" } })
      .png()
      .toBuffer();
    const form = new FormData();
    const report = anonymousReport();
    form.set(
      "report",
      JSON.stringify({
        ...report,
        subject: { ...report.subject, divisionCode: "430112", managementLevel: "county" },
      }),
    );
    form.append("files", new Blob([new Uint8Array(png)], { type: "image/png" }), "现场照片.png");
    expect((await rig.app.request("/api/v1/reports", { method: "POST", body: form })).status).toBe(201);

    const { cookie } = await createStaff(rig, {
      username: "att.viewer",
      office: "430112",
      roles: ["intake"],
    });
    const claim = await rig.app.request("/api/v1/staff/queue/claim", {
      method: "POST",
      headers: { cookie, origin: "http://localhost" },
    });
    const { case: c } = (await claim.json()) as { case: { id: string } };
    const view = (await (
      await rig.app.request(`/api/v1/staff/cases/${c.id}`, { headers: { cookie } })
    ).json()) as {
      attachments: { id: string; fileName: string; mediaType: string; size: number }[];
    };
    expect(view.attachments).toHaveLength(1);
    expect(view.attachments[0]).toMatchObject({ fileName: "现场照片.png", mediaType: "image/png" });

    const dl = await rig.app.request(`/api/v1/staff/cases/${c.id}/attachments/${view.attachments[0].id}`, {
      headers: { cookie },
    });
    expect(dl.status).toBe(200);
    expect(dl.headers.get("content-disposition")).toContain("attachment");
    const bytes = Buffer.from(await dl.arrayBuffer());
    expect(bytes.subarray(1, 4).toString()).toBe("PNG");
    expect(bytes.length).toBe(view.attachments[0].size);

    const other = await createStaff(rig, { username: "att.other", office: "430102", roles: ["intake"] });
    const refused = await rig.app.request(
      `/api/v1/staff/cases/${c.id}/attachments/${view.attachments[0].id}`,
      {
        headers: { cookie: other.cookie },
      },
    );
    expect(refused.status).toBe(404);
  });
});
