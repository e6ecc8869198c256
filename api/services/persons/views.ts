import type { z } from "zod";
import type { HistoryCase, LinkView, PersonHistoryAnswer, PersonView } from "./schemas";

/** The answers' shapes (schemas.ts describes them in the OpenAPI document). */
export type HistoryCaseView = z.infer<typeof HistoryCase>;
export type PersonRecordView = z.infer<typeof PersonView>;
export type PersonHistoryView = z.infer<typeof PersonHistoryAnswer>;
export type PersonLinkView = z.infer<typeof LinkView>;
