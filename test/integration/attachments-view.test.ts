import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unlockVault } from "../../api/crypto/vault";
import { claimNextRoute } from "../../api/routes/staff-cases";
import { openOriginalAttachment } from "../../api/services/attachments/open";
import { attachments } from "../../db/schema/index";
import { expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { CUSTODIAN, createRig, type TestRig } from "../helpers/deps";
import { findInDatabase } from "../helpers/inspect";
import { anonymousReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";

/** A file name that names the reporter: it must reach no one but a custodian. */
const REPORTER_NAMED = "王小明_身份证_13912345678.png";

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
    form.append("files", new Blob([new Uint8Array(png)], { type: "image/png" }), REPORTER_NAMED);
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
    const { case: c } = await expectResponse(claim, claimNextRoute, 200);
    const viewText = await (
      await rig.app.request(`/api/v1/staff/cases/${c.id}`, { headers: { cookie } })
    ).text();
    const view = JSON.parse(viewText) as {
      attachments: { id: string; fileName: string; mediaType: string; size: number }[];
    };
    expect(view.attachments).toHaveLength(1);
    expect(view.attachments[0]).toMatchObject({ fileName: "附件1.png", mediaType: "image/png" });
    // Nothing of the name the reporter gave the file, in the case view or in any stored text.
    for (const part of ["王小明", "身份证", "13912345678"]) expect(viewText).not.toContain(part);
    expect(await findInDatabase(rig.deps.db, ["王小明", "身份证", "13912345678"])).toEqual([]);
    expect(rig.logs.join("\n")).not.toContain("13912345678");

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

    // The custodian who opens the original gets the name it was uploaded under.
    const priv = await unlockVault(rig.vault, CUSTODIAN.name, CUSTODIAN.passphrase);
    const [row] = await rig.deps.db.select().from(attachments).where(eq(attachments.caseId, c.id));
    expect(row.fileName).toBe("附件1.png");
    const original = openOriginalAttachment(priv, row);
    expect(original.originalName).toBe(REPORTER_NAMED);
    expect(Buffer.from(original.data).equals(png)).toBe(true);
  });
});
