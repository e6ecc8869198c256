/** Dual control for a reporter's contact details: where a request stands (identity_requests.status). */
export const REQUEST_STATUSES = ["pending", "approved", "denied", "expired"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
