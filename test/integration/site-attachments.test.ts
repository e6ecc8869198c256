import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client";
import { pdfWithHistory } from "../fixtures/files";
import { TRACKING_CODE as CODE, innerText, tagWithId, textOf } from "../helpers/html";
import { type RunningServer, startServer } from "../helpers/server";

// Attachments on the report page (/report, /en/report) without JavaScript: the form posts the
// files as multipart parts named `files`, the page files them with the report, and a refused
// file comes back beside the attachments field. Driven with fetch, the way a browser without
// JavaScript drives the page.

let server: RunningServer;
/** Reports the page answered with a receipt, and how many files they carried. */
const filed: { code: string; files: number }[] = [];

beforeAll(async () => {
  server = await startServer({ LOG_LEVEL: "warn" });
});

afterAll(async () => {
  await server?.stop();
});

async function png(width = 64, height = 48): Promise<Uint8Array<ArrayBuffer>> {
  const buf = await sharp({
    create: { width, height, channels: 3, background: { r: 180, g: 30, b: 30 } },
  })
    .png()
    .toBuffer();
  return new Uint8Array(buf);
}

/** The text fields of a real-name report as the form posts them. */
function reportFields(title: string): Record<string, string> {
  return {
    idempotencyKey: crypto.randomUUID(),
    type: "accusation",
    realName: "true",
    "reporter.name": "欧阳春华",
    "reporter.idNumber": "430102199003071234",
    "reporter.phone": "13712345678",
    "reporter.address": "",
    "reporter.email": "",
    "subject.name": "李建国",
    "subject.unit": "望城区自然资源局",
    "subject.position": "副局长",
    "subject.managementLevel": "county",
    divisionCode: "430112",
    category: "integrity",
    title,
    body: "李建国在审批集体土地时收受好处费，附现场照片，请组织调查。",
  };
}

function formWith(
  title: string,
  files: { name: string; type: string; data: Uint8Array<ArrayBuffer> }[],
): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(reportFields(title))) form.append(k, v);
  for (const f of files) form.append("files", new File([f.data], f.name, { type: f.type }));
  return form;
}

async function post(body: FormData | Uint8Array<ArrayBuffer>, pagePath = "/report", contentType?: string) {
  const res = await fetch(`${server.origin}${pagePath}`, {
    method: "POST",
    headers: { origin: server.origin, ...(contentType ? { "content-type": contentType } : {}) },
    body,
  });
  return { status: res.status, html: await res.text() };
}

function summaryText(html: string): string {
  const m = html.match(/<div class="error-summary"[\s\S]*?<\/div>/);
  if (!m) throw new Error("no error summary");
  return textOf(m[0]);
}

describe("the attachments field on the report page", () => {
  it("is offered in Chinese and in English, with its limits and what happens to the files", async () => {
    const zh = await (await fetch(`${server.origin}/report`)).text();
    const input = tagWithId(zh, "f-files");
    expect(input).toContain('type="file"');
    expect(input).toContain('name="files"');
    expect(input).toMatch(/\bmultiple\b/);
    expect(input).toContain(".png");
    expect(input).toContain(".docx");
    expect(input).toContain('aria-describedby="f-files-hint"');
    const hint = innerText(zh, "f-files-hint");
    for (const s of [
      "JPEG",
      "PNG",
      "PDF",
      "DOCX",
      "MP3/M4A",
      "MP4/MOV",
      "附件1",
      "最多 5 个",
      "10 MB",
      "拍摄地点",
      "作者",
      "加密封存",
    ])
      expect(hint).toContain(s);
    expect(zh).toContain('enctype="multipart/form-data"');
    // The progress bar is in the page, hidden until a script shows it; the live region is empty.
    expect(zh).toMatch(/<progress[^>]*\bhidden\b[^>]*>/);
    expect(zh).toMatch(/<p class="upload-text" aria-live="polite"[^>]*><\/p>/);

    const en = await (await fetch(`${server.origin}/en/report`)).text();
    const enHint = innerText(en, "f-files-hint");
    for (const s of ["JPEG", "at most 5 files", "10 MB", "where a photo was taken", "author", "sealed"])
      expect(enHint).toContain(s);
  });

  it("files a real-name report with a PNG posted as multipart and answers with the receipt", async () => {
    const { status, html } = await post(
      formWith("反映李建国违规审批用地问题（附照片）", [
        { name: "现场.png", type: "image/png", data: await png() },
      ]),
    );
    expect(status).toBe(200);
    const text = textOf(html);
    expect(text).toContain("举报已提交");
    const code = text.match(CODE)?.[0];
    expect(code).toBeDefined();
    expect(text).toContain("望城区纪委监委");
    filed.push({ code: code!, files: 1 });
  });

  it("treats the empty part of a file input with nothing chosen as no file", async () => {
    // What a browser posts for <input type=file> left empty: a part with filename="" and no content.
    const boundary = "----qfBoundary7MA4YWxkTrZu0gW";
    const parts = Object.entries(reportFields("反映李建国违规审批用地问题（无附件）")).map(
      ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
    );
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n`,
    );
    const body = new TextEncoder().encode(`${parts.join("")}--${boundary}--\r\n`);
    const { status, html } = await post(body, "/report", `multipart/form-data; boundary=${boundary}`);
    expect(status, textOf(html).slice(0, 400)).toBe(200);
    const code = textOf(html).match(CODE)?.[0];
    expect(code).toBeDefined();
    filed.push({ code: code!, files: 0 });
  });

  it("gives the form back with the message beside the field for a file that is not an accepted type", async () => {
    const fake = new TextEncoder().encode("这不是图片，只是一段文字。");
    const { status, html } = await post(
      formWith("反映李建国违规审批用地问题（错误附件）", [
        { name: "photo.jpg", type: "image/jpeg", data: fake },
      ]),
    );
    expect(status).toBe(422);
    // Beside the field, naming the file and what is accepted.
    const error = innerText(html, "f-files-error");
    expect(error).toContain("photo.jpg");
    expect(error).toContain("只能上传 JPEG、PNG、PDF、DOCX、MP3/M4A、MP4/MOV 文件");
    expect(tagWithId(html, "f-files")).toContain('aria-invalid="true"');
    expect(tagWithId(html, "f-files")).toMatch(/aria-describedby="[^"]*f-files-error/);
    // In the summary, as a link to the field.
    expect(summaryText(html)).toContain("附件：");
    expect(html).toContain('href="#f-files"');
    // The browser cannot keep the chosen file: the page says to choose it again.
    const again = innerText(html, "f-files-again");
    expect(again).toContain("请重新选择附件");
    expect(again).toContain("photo.jpg");
    // What was typed is kept.
    expect(tagWithId(html, "f-title")).toContain("错误附件");
    expect(textOf(html)).not.toMatch(CODE);
  });

  it("says so in English on the English page", async () => {
    const fake = new TextEncoder().encode("just some text");
    const { status, html } = await post(
      formWith("Report with a wrong attachment", [{ name: "photo.jpg", type: "image/jpeg", data: fake }]),
      "/en/report",
    );
    expect(status).toBe(422);
    const error = innerText(html, "f-files-error");
    expect(error).toContain(
      "“photo.jpg”: Only JPEG, PNG, PDF, DOCX, MP3/M4A and MP4/MOV files can be uploaded.",
    );
    expect(innerText(html, "f-files-again")).toContain("please choose the files again");
    expect(summaryText(html)).toContain("Attachments: ");
  });

  it("refuses six files with the “too many” message and stores nothing", async () => {
    const image = await png(8, 8);
    const six = Array.from({ length: 6 }, (_, i) => ({
      name: `照片${i + 1}.png`,
      type: "image/png",
      data: image,
    }));
    const { status, html } = await post(formWith("反映李建国违规审批用地问题（六个附件）", six));
    expect(status).toBe(422);
    const error = innerText(html, "f-files-error");
    expect(error).toContain("最多只能上传 5 个附件，您选择了 6 个");
    expect(summaryText(html)).toContain("附件：");
    expect(innerText(html, "f-files-again")).toContain("照片6.png");
  });

  it("names the file that is over the size limit", async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(await png(), 0);
    const { status, html } = await post(
      formWith("反映李建国违规审批用地问题（过大附件）", [
        { name: "小.png", type: "image/png", data: await png() },
        { name: "大.png", type: "image/png", data: big },
      ]),
    );
    expect(status).toBe(422);
    const error = innerText(html, "f-files-error");
    expect(error).toContain("“大.png”：单个文件过大。每个文件不能超过 10 MB。");
    expect(error).not.toContain("小.png");
  });

  it("takes a PDF, cleaned in the built server's worker thread (dist/server/clean-worker.mjs)", async () => {
    const { status, html } = await post(
      formWith("反映李建国违规审批用地问题（附PDF）", [
        {
          name: "王小明_13912345678.pdf",
          type: "application/pdf",
          data: pdfWithHistory() as Uint8Array<ArrayBuffer>,
        },
      ]),
    );
    expect(status, textOf(html).slice(0, 300)).toBe(200);
    const code = textOf(html).match(CODE)?.[0];
    expect(code).toBeDefined();
    filed.push({ code: code!, files: 1 });
  });

  it("answers 413 with the site's page for a form body over its cap, before reading it", async () => {
    const huge = "x".repeat(80 * 1024);
    for (const [pagePath, field] of [
      ["/track", "trackingCode"],
      ["/staff/login", "username"],
    ] as const) {
      const res = await fetch(`${server.origin}${pagePath}`, {
        method: "POST",
        headers: { origin: server.origin, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ [field]: huge }).toString(),
      });
      expect(res.status, pagePath).toBe(413);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(textOf(await res.text())).toContain("提交的内容过大");
    }
    // A text-only report just under its own cap is read (and answered as a form, not a 413).
    const fields = reportFields("反映李建国违规审批用地问题（长文）");
    fields.body = "长".repeat(20_000);
    const res = await fetch(`${server.origin}/report`, {
      method: "POST",
      headers: { origin: server.origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
    const html = await res.text();
    expect(res.status, textOf(html).slice(0, 300)).toBe(200);
    const code = textOf(html).match(CODE)?.[0];
    expect(code).toBeDefined();
    filed.push({ code: code!, files: 0 });
  });

  it("kept exactly the accepted reports and their files, and nothing of the refused ones", async () => {
    await server.stop();
    const handle = await openDb({ pgliteDir: path.join(server.dataDir, "pglite") });
    try {
      const cases = await handle.db.query.cases.findMany();
      expect(cases.map((c) => c.title).sort()).toEqual(
        [
          "反映李建国违规审批用地问题（附照片）",
          "反映李建国违规审批用地问题（无附件）",
          "反映李建国违规审批用地问题（附PDF）",
          "反映李建国违规审批用地问题（长文）",
        ].sort(),
      );
      const withPhoto = cases.find((c) => c.title.includes("附照片"))!;
      expect(withPhoto.attachmentCount).toBe(1);
      const attachments = (await handle.db.query.attachments.findMany()).filter(
        (a) => a.mediaType === "image/png",
      );
      expect(attachments).toHaveLength(1);
      expect(attachments[0].caseId).toBe(withPhoto.id);
      expect(attachments[0].mediaType).toBe("image/png");
      // The name the reporter gave the file (现场.png) is sealed; staff see 附件1.png.
      expect(attachments[0].fileName).toBe("附件1.png");
      expect(attachments[0].originalNameSealed).not.toBeNull();
      expect(filed.map((f) => f.files).sort()).toEqual([0, 0, 1, 1]);
      const pdf = (await handle.db.query.attachments.findMany()).find(
        (a) => a.mediaType === "application/pdf",
      );
      expect(pdf?.fileName).toBe("附件1.pdf");
    } finally {
      await handle.close();
    }
  });
});
