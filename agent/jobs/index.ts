/**
 * The jobs feature's API for the rest of the agent (the migration orchestrator on the
 * peer channel): get it with jobsApi(ctx), then
 *
 *   api.migration.checkMovable(ref, targetFacts)    -> reasons (empty = movable)
 *   api.migration.facts()                            -> this node as a target (send to the source)
 *   api.migration.preDump(key, dir, prevDir?)        -> only when facts().criu.preDump
 *   api.migration.prepareDump(key, dir, {prevDir?})  -> {dir, files, bytes, frozenAt, dumpMs}
 *   api.migration.restoreHere(dir, jobRecord)        -> {pid, restoreMs}   (target, left stopped)
 *   api.migration.killSource(key, toNode)            (source, after a good restore)
 *   api.migration.resumeRestored(key, migration)     (target, after killSource)
 *   api.migration.resumeSource(key, why)             (source, on any failure before killSource)
 *   api.migration.discardRestored(key)               (target, on any failure before killSource)
 *   api.migration.noteMoved(ref, where, migration)   (home node, job moved between others)
 *   api.service.startJobHere(remoteSpec)             (target of runon / parallel)
 *   api.service.registry                             (the job records)
 *   api.migrator = fn                                (serves `migrate PID N|home|best`)
 */
export { jobsApi, jobsFeature, type JobsApi, type Migrator } from './feature.js';
export { JobsService, REMOTE_ID_BASE } from './jobsService.js';
export { Migration, type DumpResult, type ImageFile } from './migration.js';
export { JobRegistry } from './registry.js';
export { probeCriu, locateCriu, CriuError } from './criu.js';
