/** Checks of request parameters coming from the renderer, with errors that say what to send. */
import { RpcError } from '../../shared/protocol/rpc.js';

function field(req: unknown, name: string): unknown {
  if (typeof req !== 'object' || req === null) {
    throw new RpcError('EINVAL', `the request needs an object with "${name}"`);
  }
  return (req as Record<string, unknown>)[name];
}

export function intParam(req: unknown, name: string, min: number, max: number): number {
  const v = field(req, name);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new RpcError('EINVAL', `"${name}" must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

export function nodeIdParam(req: unknown): number {
  return intParam(req, 'nodeId', 1, 65535);
}

export function stringParam(req: unknown, name: string, maxLength = 4096): string {
  const v = field(req, name);
  if (typeof v !== 'string' || v.length === 0 || v.length > maxLength) {
    throw new RpcError('EINVAL', `"${name}" must be a non-empty string of at most ${maxLength} characters`);
  }
  return v;
}
