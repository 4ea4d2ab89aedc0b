/** Renderer -> main API for mosrun jobs and their live migration (issue: live process migration). */
export type JobApiRequests = {};
export type JobApiEvents = {};
/** Runtime list of this feature's channels, checked complete against the map. */
export const JOB_API_CHANNELS = Object.keys({} satisfies Record<keyof JobApiRequests, 1>) as (keyof JobApiRequests)[];
export const JOB_API_EVENTS = Object.keys({} satisfies Record<keyof JobApiEvents, 1>) as (keyof JobApiEvents)[];
