/** Renderer -> main API for the collector and its history (issue: collector). */
export type HistoryApiRequests = {};
export type HistoryApiEvents = {};
/** Runtime list of this feature's channels, checked complete against the map. */
export const HISTORY_API_CHANNELS = Object.keys({} satisfies Record<keyof HistoryApiRequests, 1>) as (keyof HistoryApiRequests)[];
export const HISTORY_API_EVENTS = Object.keys({} satisfies Record<keyof HistoryApiEvents, 1>) as (keyof HistoryApiEvents)[];
