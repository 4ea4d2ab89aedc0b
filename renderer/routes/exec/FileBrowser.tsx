import { useEffect, useState } from 'react';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import type { NodeId } from '../../../shared/domain/node.js';
import type { DirEntry } from '../../../shared/protocol/agentFiles.js';

export function parentOf(path: string): string {
  const p = path.replace(/\/+$/, '');
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

const join = (dir: string, name: string) => (dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`);
const order = (a: DirEntry, b: DirEntry) => Number(b.type === 'dir') - Number(a.type === 'dir') || a.name.localeCompare(b.name);

/** The program chooser: a node's folders through its agent (fs.list); a click on a file picks it. */
export function FileBrowser({ bridge, nodeId, start, onPick, onClose }: {
  bridge: MosixviewBridge;
  nodeId: NodeId;
  start: string;
  onPick: (path: string) => void;
  onClose: () => void;
}) {
  const [want, setWant] = useState(start);
  const [typed, setTyped] = useState(start);
  const [listing, setListing] = useState<{ path: string; entries: DirEntry[] } | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    let alive = true;
    setError(undefined);
    bridge.invoke('node.files', { nodeId, path: want }).then(
      (l) => alive && (setListing(l), setTyped(l.path)),
      (e: Error) => alive && setError(e.message),
    );
    return () => {
      alive = false;
    };
  }, [bridge, nodeId, want]);

  const go = () => setWant(typed.trim() || '~');
  const entries = listing ? [...listing.entries].sort(order) : [];
  return (
    <div role="dialog" aria-label="Choose a program" className="file-browser">
      {/* Not a <form>: the browser sits inside advanced execution's form, where Enter means Execute. */}
      <div className="file-browser-path">
        <button type="button" onClick={() => listing && setWant(parentOf(listing.path))} disabled={!listing || listing.path === '/'}>Up</button>
        <input
          aria-label="Folder"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            go();
          }}
        />
        <button type="button" onClick={go}>Go</button>
        <button type="button" onClick={() => setWant('~')}>Home</button>
        <button type="button" onClick={onClose}>Cancel</button>
      </div>
      {error && <p role="alert" className="row-message">{error}</p>}
      <p className="muted">Node {nodeId}: {listing?.path ?? want}</p>
      <ul className="file-list" aria-label="Files">
        {entries.map((e) => {
          const full = join(listing!.path, e.name);
          const isDir = e.type === 'dir';
          return (
            <li key={e.name}>
              <button
                type="button"
                className={`file-entry file-${e.type}${e.executable ? ' file-exec' : ''}`}
                title={isDir ? `open ${full}` : e.executable ? `run ${full}` : `${full} is not executable by the agent`}
                onClick={() => (isDir ? setWant(full) : onPick(full))}
              >
                {isDir ? `${e.name}/` : e.name}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
