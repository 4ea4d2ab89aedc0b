/** Peer requests of the balancing core (beyond the UDP load exchange). */
export type PeerBalanceRequests = {};
