/**
 * The jobs feature's API for the rest of the agent: get it with jobsApi(ctx). Its service
 * starts, signals and records jobs on this node; the migration protocol (agent/migrate/)
 * drives the node-local steps of a migration on it and serves the requests that must know
 * whether a job is away or frozen (jobs.start, signal, renice, check, migrate).
 */export { jobsApi, jobsFeature, type JobsApi } from './feature.js';
export { JobsService, REMOTE_ID_BASE } from './jobsService.js';
export { JobRegistry } from './registry.js';
export { probeCriu, locateCriu, CriuError } from './criu.js';
