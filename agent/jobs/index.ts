/**
 * The jobs feature's API for the rest of the agent: get it with jobsApi(ctx). Its service
 * starts, signals and records jobs on this node; the migration protocol (agent/migrate/)
 * drives the node-local steps of a migration on it and sets `api.migrator`.
 */export { jobsApi, jobsFeature, type JobsApi, type Migrator } from './feature.js';
export { JobsService, REMOTE_ID_BASE } from './jobsService.js';
export { JobRegistry } from './registry.js';
export { probeCriu, locateCriu, CriuError } from './criu.js';
