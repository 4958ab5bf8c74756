/**
 * How long a store remembers an event id for deduplication when not told otherwise: a retried
 * webhook arrives within minutes or days, and a profile's ids are otherwise kept for ever.
 */
export const DEFAULT_EVENT_ID_RETENTION_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_EVENT_ID_RETENTION_MS = DEFAULT_EVENT_ID_RETENTION_DAYS * DAY_MS;
