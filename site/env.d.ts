declare namespace App {
  interface Locals {
    /** The client's address as the rate limits see it (site/middleware.ts). */
    clientSource?: string;
    /**
     * A POSTed page form, read once under its cap by site/middleware.ts (site/lib/page-form.ts).
     * Undefined for a GET, another media type, or a body that did not parse.
     */
    form?: FormData;
  }
}
