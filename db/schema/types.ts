import { customType } from "drizzle-orm/pg-core";

/** bytea as Uint8Array on both postgres.js (Buffer) and PGlite (Uint8Array). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType() {
    return "bytea";
  },
  fromDriver(value) {
    return value instanceof Uint8Array ? new Uint8Array(value) : value;
  },
});
