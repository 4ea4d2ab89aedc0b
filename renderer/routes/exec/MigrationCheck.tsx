/**
 * Advanced execution's "Can it migrate?": asked of the start node's agent while the form is
 * filled in (job.precheck), so a job that could never move is known before Execute; and the
 * default working directory, the node's home where the other nodes share it (node.workdir).
 */
import { useEffect, useState } from 'react';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import type { JobStartRequest } from '../../../shared/protocol/apiJobs.js';
import type { NodeId } from '../../../shared/domain/node.js';
import type { MigrationPrecheck } from '../../../shared/jobs/targetFacts.js';

/** How long the form must rest before the agent is asked (each keystroke would ask otherwise). */
const SETTLE_MS = 300;

type Answer = { state: 'idle' } | { state: 'asking' } | { state: 'known'; check: MigrationPrecheck } | { state: 'failed'; why: string };

/** The agent's answer for the job the form describes now; `req` undefined while the form is incomplete. */
export function useMigrationCheck(bridge: MosixviewBridge, req: JobStartRequest | undefined): Answer {
  const [answer, setAnswer] = useState<Answer>({ state: 'idle' });
  const key = req ? JSON.stringify(req) : '';
  useEffect(() => {
    if (!req) {
      setAnswer({ state: 'idle' });
      return;
    }
    let current = true;
    setAnswer({ state: 'asking' });
    const t = setTimeout(() => {
      bridge.invoke('job.precheck', req).then(
        (check) => current && setAnswer({ state: 'known', check }),
        (e: Error) => current && setAnswer({ state: 'failed', why: e.message }),
      );
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(t);
    };
    // `key` stands for `req`: a new object with the same content asks nothing new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bridge, key]);
  return answer;
}

const nodesText = (nodes: readonly NodeId[]) => (nodes.length === 1 ? `node ${nodes[0]} sees` : `nodes ${nodes.join(', ')} see`);

export function MigrationCheck({ answer }: { answer: Answer }) {
  let body;
  if (answer.state === 'idle') body = <span className="muted">give a program and a working directory to know</span>;
  else if (answer.state === 'asking') body = <span className="muted">asking the nodes ...</span>;
  else if (answer.state === 'failed') body = <span>cannot tell: {answer.why}</span>;
  else if (answer.check.reasons.length === 0) {
    const where = answer.check.sharedWith;
    body = <span className="check-yes">Yes{where.length ? `: ${nodesText(where)} its working directory and program` : ''}</span>;
  } else {
    body = (
      <>
        <span className="check-no">No: </span>
        <ul className="reasons">{answer.check.reasons.map((r) => <li key={r}>{r}</li>)}</ul>
      </>
    );
  }
  return (
    <section role="status" aria-label="Can it migrate?" className="migration-check">
      <strong>Can it migrate? </strong>
      {body}
    </section>
  );
}

/** The start node's home when every other node shares it; else why not (the field then stays empty). */
export function useSharedWorkdir(bridge: MosixviewBridge, nodeId: NodeId | undefined, use: (home: string) => void): string | undefined {
  const [hint, setHint] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (nodeId === undefined) return;
    let current = true;
    setHint(undefined);
    const ask = 'Choose a directory every node shares (an NFS home, a cluster file system)';
    bridge.invoke('node.workdir', { nodeId }).then(
      (w) => {
        if (!current) return;
        if (w.shared) use(w.home);
        else setHint(`${ask}: node ${nodeId}'s home ${w.home} is not shared with the other nodes${w.why ? ` (${w.why})` : ''}, so a job started there could never move.`);
      },
      (e: Error) => current && setHint(`${ask}: node ${nodeId} could not say whether its home is shared (${e.message}).`),
    );
    return () => {
      current = false;
    };
    // `use` is a setter of the form: only a new node asks again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bridge, nodeId]);
  return hint;
}
