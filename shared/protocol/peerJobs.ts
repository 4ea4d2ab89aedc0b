/** Peer requests of live migration (source agent -> target agent). */
export type PeerJobRequests = {};
