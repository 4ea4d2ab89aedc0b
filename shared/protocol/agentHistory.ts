/** Agent requests and events for the collector and its history (issue: collector). */
export type HistoryAgentRequests = {};
export type HistoryAgentEvents = {};
