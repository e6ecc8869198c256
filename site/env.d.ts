/**
 * What the edge (site/middleware/, a sequence of small middlewares) hands every request. Filled
 * for pages and for the /api bridge alike; `staff` and `form` only where they apply.
 */
declare namespace App {
  interface Locals {
    /** This request's id: in its one log line, its X-Request-Id header and every verb's ctx. */
    requestId: string;
    /** The language of the path: English under /en, else Chinese. */
    lang: import("./i18n/lang").Lang;
    /**
     * The client's address as the rate limits see it (api/http/client-source.ts, TRUST_PROXY
     * honoured). A rate-limit key only: never stored, logged or shown.
     */
    clientSource: string;
    /** The signed-in staff member, on staff pages (/staff/…) of a process that has them. */
    staff?: import("../api/context").StaffActor;
    /**
     * A POSTed page form, read once under its cap by site/middleware/form.ts (site/lib/page-form.ts).
     * Undefined for a GET, another media type, or a body that did not parse.
     */
    form?: FormData;
    /** The ctx for verbs: the signed-in staff member on a staff page, else the reporter. */
    ctx: import("../api/context").Ctx;
    /** A ctx with a system actor (the login page: nobody is signed in yet), same request id. */
    systemCtx(name: string): import("../api/context").Ctx;
    /** Set by the /api bridge: the Hono app writes this request's log line, not the edge. */
    apiLogged?: boolean;
  }
}
