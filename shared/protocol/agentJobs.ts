/** Agent requests and events for mosrun jobs and their live migration (issue: live process migration). */
export type JobAgentRequests = {};
export type JobAgentEvents = {};
