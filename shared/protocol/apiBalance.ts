/** Renderer -> main API for the balancing core: cluster view, mosctl controls, setpe (issue: balancing core). */
export type BalanceApiRequests = {};
export type BalanceApiEvents = {};
/** Runtime list of this feature's channels, checked complete against the map. */
export const BALANCE_API_CHANNELS = Object.keys({} satisfies Record<keyof BalanceApiRequests, 1>) as (keyof BalanceApiRequests)[];
export const BALANCE_API_EVENTS = Object.keys({} satisfies Record<keyof BalanceApiEvents, 1>) as (keyof BalanceApiEvents)[];
