import { Hono } from "hono";
import type { AppEnv } from "../http/env";
import { DOWNLOAD_CSP } from "../http/security-headers";
import { staffAuth } from "../http/staff-auth";
import { downloadAttachment } from "../services/attachments/download";
import { staffCtx } from "./staff-session";

/** RFC 6266 / 8187: an ASCII fallback and the exact UTF-8 name. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const utf8 = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/**
 * GET /api/v1/staff/cases/:id/attachments/:attachmentId — the clean copy, always as a download
 * (never rendered inline), sniffing off, and sandboxed should a browser render it anyway.
 */
export function staffAttachmentRoutes() {
  const r = new Hono<AppEnv>();
  r.get("/cases/:id/attachments/:attachmentId", staffAuth(), async (c) => {
    const file = await downloadAttachment({
      ctx: staffCtx(c),
      input: { caseId: c.req.param("id"), attachmentId: c.req.param("attachmentId") },
    });
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
