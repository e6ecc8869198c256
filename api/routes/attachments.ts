import { z } from "@hono/zod-openapi";
import { staffCtx } from "../http/ctx";
import { errorAnswers, mount, routeGroup, staffRoute } from "../http/openapi";
import { DOWNLOAD_CSP } from "../http/security-headers";
import { downloadAttachment } from "../services/attachments/download";

/** RFC 6266 / 8187: an ASCII fallback and the exact UTF-8 name. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const utf8 = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

const pathId = (name: string) => z.string().openapi({ param: { name, in: "path" }, format: "uuid" });

export const attachmentRoute = staffRoute({
  method: "get",
  path: "/cases/{id}/attachments/{attachmentId}",
  operationId: "downloadAttachment",
  summary: "Download the cleaned copy of an attachment",
  request: { params: z.object({ id: pathId("id"), attachmentId: pathId("attachmentId") }) },
  responses: {
    200: {
      description: "the file as an attachment (Content-Disposition), its cleaned media type",
      content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
    },
    ...errorAnswers({ 404: "absent or out of scope" }),
  },
});

/**
 * GET /api/v1/staff/cases/:id/attachments/:attachmentId — the clean copy, always as a download
 * (never rendered inline), sniffing off, and sandboxed should a browser render it anyway.
 */
export function staffAttachmentRoutes() {
  const r = routeGroup();
  mount(r, attachmentRoute, async (c) => {
    const { id, attachmentId } = c.req.valid("param");
    const file = await downloadAttachment({ ctx: staffCtx(c), input: { caseId: id, attachmentId } });
    return new Response(file.data as Uint8Array<ArrayBuffer>, {
      status: 200,
      headers: {
        "Content-Type": file.mediaType,
        "Content-Length": String(file.data.byteLength),
        "Content-Disposition": contentDisposition(file.fileName),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": DOWNLOAD_CSP,
        "Cache-Control": "no-store",
      },
    });
  });
  return r;
}
