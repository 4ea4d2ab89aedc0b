/**
 * The collector's controls next to its status: Start, Stop, Checkpoint (with a note) and
 * Rotate, as `mosixcollector -d / -k / -n / -r` on the collector's node. Stop and Rotate
 * ask first (a stopped collector records nothing; a rotated history leaves the charts);
 * each shows the node's own answer.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import type { CollectorAction, CollectorChoice } from '../../shared/protocol/apiHistory.js';
import { CHECKPOINT_LABEL_MAX } from '../../shared/protocol/agentHistory.js';

type Asking = 'stop' | 'rotate' | 'checkpoint' | undefined;

export function CollectorControls({ bridge, current, onChoice, onError }: {
  bridge: MosixviewBridge;
  current: CollectorChoice;
  onChoice: (c: CollectorChoice) => void;
  onError: (message: string | undefined) => void;
}) {
  const [asking, setAsking] = useState<Asking>();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<string>();
  const st = current.status;
  const node = current.nodeId;

  const run = async (fn: () => Promise<CollectorAction>) => {
    setAsking(undefined);
    setBusy(true);
    setAnswer(undefined);
    try {
      const r = await fn();
      onChoice(r.choice);
      onError(undefined);
      setAnswer(`node ${r.choice.nodeId}: ${r.message}`);
    } catch (e) {
      onError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const checkpoint = (e: FormEvent) => {
    e.preventDefault();
    const label = note.trim();
    setNote('');
    void run(() => bridge.invoke('history.checkpoint', { label }));
  };

  if (!st) return null;
  return (
    <>
      {!st.running && (
        <button type="button" disabled={busy} onClick={() => void run(() => bridge.invoke('history.startCollector', null))}>Start collector</button>
      )}
      {st.running && asking === undefined && (
        <>
          <button type="button" disabled={busy} onClick={() => setAsking('stop')}>Stop collector</button>
          <button type="button" disabled={busy} title="a marked moment (a blue line in the history charts), with a note" onClick={() => setAsking('checkpoint')}>Checkpoint</button>
          <button type="button" disabled={busy} aria-label="Rotate history" title="save the current history as a backup and start a new one" onClick={() => setAsking('rotate')}>Rotate</button>
        </>
      )}
      {asking === 'stop' && (
        <Confirm what="stop the collector" yes="Stop" onYes={() => void run(() => bridge.invoke('history.stopCollector', null))} onNo={() => setAsking(undefined)}>
          Stop the collector on node {node}? Nothing is recorded until it is started again.
        </Confirm>
      )}
      {asking === 'rotate' && (
        <Confirm what="rotate the history" yes="Rotate" onYes={() => void run(() => bridge.invoke('history.rotate', null))} onNo={() => setAsking(undefined)}>
          Start a new history on node {node}? This one is saved as a backup (the charts' File menu opens it).
        </Confirm>
      )}
      {asking === 'checkpoint' && (
        <form className="collector-checkpoint" onSubmit={checkpoint}>
          <input type="text" aria-label="Checkpoint note" placeholder="note (optional)" maxLength={CHECKPOINT_LABEL_MAX} value={note}
            autoFocus onChange={(e) => setNote(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && setAsking(undefined)} />
          <button type="submit">Write checkpoint</button>
          <button type="button" onClick={() => setAsking(undefined)}>Cancel</button>
        </form>
      )}
      {answer && <span role="status" aria-label="Collector answer" className="collector-answer" title={answer}>{answer}</span>}
    </>
  );
}

function Confirm({ what, yes, onYes, onNo, children }: { what: string; yes: string; onYes: () => void; onNo: () => void; children: ReactNode }) {
  return (
    <span role="group" aria-label={`Confirm: ${what}`} className="collector-confirm">
      {children} <button type="button" onClick={onYes}>{yes}</button> <button type="button" onClick={onNo}>Cancel</button>
    </span>
  );
}
