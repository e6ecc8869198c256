import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unlockVault } from "../../api/crypto/vault";
import { reportRoute } from "../../api/routes/public";
import { openCleanAttachment, openOriginalAttachment } from "../../api/services/attachments/open";
import { attachments } from "../../db/schema/index";
import {
  contains,
  DOCX_PLANTED,
  docxHostile,
  docxWithAuthor,
  exeBytes,
  gpsJpeg,
  MEDIA_PLANTED,
  mp3WithTags,
  mp4WithMetadata,
  PLANTED,
  pdfAllText,
  pdfWithAuthor,
} from "../fixtures/files";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { CUSTODIAN, createRig, type TestRig } from "../helpers/deps";
import { findInDatabase, rowCounts } from "../helpers/inspect";
import { anonymousReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";

const MAX_FILE = 300_000;

function multipart(
  files: { name: string; type: string; data: Uint8Array }[],
  report = anonymousReport(),
): FormData {
  const form = new FormData();
  form.set("report", JSON.stringify(report));
  for (const f of files)
    form.append("files", new Blob([f.data as Uint8Array<ArrayBuffer>], { type: f.type }), f.name);
  return form;
}

describe.each(dbKinds())("attachments on %s", (kind) => {
  let rig: TestRig;
  let jpeg: Uint8Array;
  let pdf: Uint8Array;
  let docx: Uint8Array;
  let caseId: string;
  let rows: (typeof attachments.$inferSelect)[];
  const send = (form: FormData) => rig.app.request("/api/v1/reports", { method: "POST", body: form });

  beforeAll(async () => {
    rig = await createRig(kind, { env: { MAX_FILE_BYTES: String(MAX_FILE), MAX_FILES: "5" } });
    [jpeg, pdf, docx] = await Promise.all([gpsJpeg(), pdfWithAuthor(), docxWithAuthor()]);
  });
  afterAll(async () => rig?.destroy());

  it("takes a photo, a PDF and a DOCX with a report, stored encrypted", async () => {
    const res = await send(
      multipart([
        { name: "C:\\Users\\wang\\现场照片.JPG", type: "image/jpeg", data: jpeg },
        { name: "report\u202Efdp.pdf", type: "application/octet-stream", data: pdf },
        { name: "材料.docx", type: "application/msword", data: docx },
      ]),
    );
    expect(res.status).toBe(201);
    rows = await rig.deps.db.select().from(attachments).orderBy(attachments.position);
    // Staff see 附件N.ext; the names as uploaded are sealed with the originals.
    expect(rows.map((r) => [r.fileName, r.mediaType])).toEqual([
      ["附件1.jpg", "image/jpeg"],
      ["附件2.pdf", "application/pdf"],
      ["附件3.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
    ]);
    expect(rows.every((r) => r.originalNameSealed && r.originalNameSealed.length > 48)).toBe(true);
    caseId = rows[0].caseId;
    // Nothing readable at rest: not the planted metadata, not the content, not a file header.
    const found = await findInDatabase(rig.deps.db, [
      PLANTED.author,
      PLANTED.device,
      PLANTED.company,
      "现场照片",
      "wang",
      "材料",
      "fdp",
      "Evidence page",
      "%PDF-",
      "JFIF",
      "Exif",
    ]);
    expect(found).toEqual([]);
    for (const r of rows) {
      for (const blob of [r.cleanCipher, r.originalCipher]) {
        expect(Buffer.from(blob).includes(Buffer.from(jpeg.subarray(0, 64)))).toBe(false);
        expect(Buffer.from(blob).includes(Buffer.from(pdf.subarray(0, 64)))).toBe(false);
      }
    }
  });

  it("staff of the case's office download the clean copy: no GPS, no author", async () => {
    const staff = await createStaff(rig, { username: `h-${kind}`, office: "430100", roles: ["handler"] });
    const get = (id: string) =>
      rig.app.request(`/api/v1/staff/cases/${caseId}/attachments/${id}`, {
        headers: { cookie: staff.cookie },
      });

    const img = await get(rows[0].id);
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/jpeg");
    expect(img.headers.get("content-disposition")).toBe(
      `attachment; filename="__1.jpg"; filename*=UTF-8''${encodeURIComponent("附件1.jpg")}`,
    );
    expect(img.headers.get("x-content-type-options")).toBe("nosniff");
    expect(img.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
    expect(img.headers.get("cache-control")).toBe("no-store");
    const imgBytes = new Uint8Array(await img.arrayBuffer());
    const meta = await sharp(imgBytes).metadata();
    expect(meta.exif).toBeUndefined();
    for (const s of [PLANTED.author, PLANTED.device, "Exif"]) expect(contains(imgBytes, s), s).toBe(false);

    const doc = new Uint8Array(await (await get(rows[1].id)).arrayBuffer());
    expect(contains(doc, "%PDF-")).toBe(true);
    // Rewritten by MuPDF with its streams compressed: compared after inflating them.
    expect(pdfAllText(doc)).toContain("Evidence page");
    for (const s of [PLANTED.author, PLANTED.company, PLANTED.device])
      expect(pdfAllText(doc), s).not.toContain(s);

    const word = await get(rows[2].id);
    expect(word.status).toBe(200);
    expect(contains(new Uint8Array(await word.arrayBuffer()), "docProps/core.xml")).toBe(true);
  });

  it("outside the office's scope the attachment does not exist; without a session, 401", async () => {
    const stranger = await createStaff(rig, {
      username: `s-${kind}`,
      office: "430200",
      roles: ["handler", "supervisor"],
    });
    const path = `/api/v1/staff/cases/${caseId}/attachments/${rows[0].id}`;
    expect((await rig.app.request(path, { headers: { cookie: stranger.cookie } })).status).toBe(404);
    const province = await createStaff(rig, {
      username: `p-${kind}`,
      office: "430000",
      roles: ["supervisor"],
    });
    expect((await rig.app.request(path, { headers: { cookie: province.cookie } })).status).toBe(200);
    expect((await rig.app.request(path)).status).toBe(401);
    const own = await createStaff(rig, { username: `o-${kind}`, office: "430100", roles: ["handler"] });
    const wrong = `/api/v1/staff/cases/${caseId}/attachments/00000000-0000-4000-8000-000000000000`;
    expect((await rig.app.request(wrong, { headers: { cookie: own.cookie } })).status).toBe(404);
    expect(
      (
        await rig.app.request(`/api/v1/staff/cases/${caseId}/attachments/x'--`, {
          headers: { cookie: own.cookie },
        })
      ).status,
    ).toBe(404);
  });

  it("a custodian opens the originals exactly as sent, metadata and all", async () => {
    const priv = await unlockVault(rig.vault, CUSTODIAN.name, CUSTODIAN.passphrase);
    const [row] = await rig.deps.db.select().from(attachments).where(eq(attachments.id, rows[0].id));
    const photo = openOriginalAttachment(priv, row);
    expect(photo.originalName).toBe("C:\\Users\\wang\\现场照片.JPG");
    expect(photo.fileName).toBe("附件1.jpg");
    expect((await sharp(photo.data).metadata()).exif).toBeDefined();
    const original = openOriginalAttachment(priv, rows[1]);
    expect(Buffer.from(original.data).equals(Buffer.from(pdf))).toBe(true);
    expect(contains(original.data, PLANTED.author)).toBe(true);
    // Another row's ciphertext does not open under this row's context.
    expect(() =>
      openOriginalAttachment(priv, { ...rows[1], originalCipher: rows[0].originalCipher }),
    ).toThrow();
  });

  it("video and audio lose location, device and titles; a hostile DOCX its links", async () => {
    const res = await send(
      multipart([
        { name: "现场.mp4", type: "video/mp4", data: mp4WithMetadata("video") },
        { name: "录音.m4a", type: "audio/mp4", data: mp4WithMetadata("audio") },
        { name: "录音.mp3", type: "audio/mpeg", data: mp3WithTags() },
        { name: "材料.docx", type: "application/octet-stream", data: await docxHostile() },
      ]),
    );
    const { trackingCode } = await expectResponse(res, reportRoute, 201);
    expect(trackingCode).toBeTruthy();
    const all = await rig.deps.db
      .select()
      .from(attachments)
      .orderBy(attachments.createdAt, attachments.position);
    const mine = all.slice(-4);
    expect(mine.map((r) => r.fileName)).toEqual(["附件1.mp4", "附件2.m4a", "附件3.mp3", "附件4.docx"]);
    for (const r of mine) {
      const { data } = openCleanAttachment(rig.deps.keys.attachments!, r);
      for (const s of [...Object.values(MEDIA_PLANTED), "13912345678", "beacon.example", DOCX_PLANTED.unc])
        expect(contains(data, s), `${r.fileName}: ${s}`).toBe(false);
    }
  });

  describe("refused files store nothing", () => {
    const refused = async (form: FormData, status: number, codes: string[]) => {
      const before = await rowCounts(rig.deps.db);
      // Sent as bytes: the app stops reading an oversized body, and undici's in-process
      // FormData stream does not take that well (a real socket does).
      const encoded = new Response(form);
      const res = await rig.app.request("/api/v1/reports", {
        method: "POST",
        headers: { "content-type": encoded.headers.get("content-type")! },
        body: await encoded.arrayBuffer(),
      });
      const body = await expectProblem(res, reportRoute, status);
      expect((body.errors ?? []).map((e) => `${e.path}:${e.code}`)).toEqual(codes);
      expect(await rowCounts(rig.deps.db)).toEqual(before);
    };

    it("a program named .jpg", async () => {
      await refused(multipart([{ name: "photo.jpg", type: "image/jpeg", data: exeBytes() }]), 422, [
        "files[0]:file.type",
      ]);
    });

    it("a good file next to a bad one", async () => {
      await refused(
        multipart([
          { name: "a.jpg", type: "image/jpeg", data: jpeg },
          { name: "b.png", type: "image/png", data: new TextEncoder().encode("<svg onload=alert(1)>") },
        ]),
        422,
        ["files[1]:file.type"],
      );
    });

    it("a video whose boxes do not add up: refused, never passed on", async () => {
      const bad = Buffer.from(mp4WithMetadata("video"));
      bad.writeUInt32BE(bad.length * 2, bad.indexOf("moov") - 4);
      await refused(multipart([{ name: "v.mp4", type: "video/mp4", data: bad }]), 422, [
        "files[0]:file.unreadable",
      ]);
    });

    it("a JPEG that is not one all the way through", async () => {
      await refused(multipart([{ name: "x.jpg", type: "image/jpeg", data: jpeg.slice(0, 300) }]), 422, [
        "files[0]:file.unreadable",
      ]);
    });

    it("cleaning stops at the first file that fails: the files after it are not cleaned", async () => {
      const bad = Buffer.from(mp4WithMetadata("video"));
      bad.writeUInt32BE(bad.length * 2, bad.indexOf("moov") - 4);
      // Count the tasks that reach the (real) cleaning pool during this request.
      const cleaner = rig.deps.cleaner;
      const realClean = cleaner.clean.bind(cleaner);
      let tasks = 0;
      cleaner.clean = (type, data) => {
        tasks++;
        return realClean(type, data);
      };
      try {
        await refused(
          multipart([
            { name: "v.mp4", type: "video/mp4", data: bad },
            { name: "a.jpg", type: "image/jpeg", data: jpeg },
            { name: "b.pdf", type: "application/pdf", data: pdf },
            { name: "c.docx", type: "application/octet-stream", data: docx },
          ]),
          422,
          ["files[0]:file.unreadable"],
        );
        expect(tasks).toBe(1);
        // The cheap checks still run on every file first: a wrong type later on is named, and
        // nothing is cleaned at all.
        tasks = 0;
        await refused(
          multipart([
            { name: "v.mp4", type: "video/mp4", data: bad },
            { name: "x.jpg", type: "image/jpeg", data: exeBytes() },
          ]),
          422,
          ["files[1]:file.type"],
        );
        expect(tasks).toBe(0);
      } finally {
        cleaner.clean = realClean;
      }
    });

    it("too many files", async () => {
      const six = Array.from({ length: 6 }, (_, i) => ({
        name: `${i}.pdf`,
        type: "application/pdf",
        data: pdf,
      }));
      await refused(multipart(six), 422, ["files:file.too_many"]);
    });

    it("a file over the size limit, and a body over the whole limit", async () => {
      const big = new Uint8Array(MAX_FILE + 1);
      big.set(pdf);
      await refused(multipart([{ name: "big.pdf", type: "application/pdf", data: big }]), 422, [
        "files[0]:file.too_large",
      ]);
      const huge = new Uint8Array(256 * 1024 + 5 * MAX_FILE + 64 * 1024 + 10);
      await refused(multipart([{ name: "huge.pdf", type: "application/pdf", data: huge }]), 413, []);
    });
  });
});
