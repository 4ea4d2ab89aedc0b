/** Agent requests and events for the balancing core: cluster view, mosctl controls, setpe (issue: balancing core). */
export type BalanceAgentRequests = {};
export type BalanceAgentEvents = {};
