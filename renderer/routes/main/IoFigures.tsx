/**
 * A node's disk and network rates in its row, as two short figures ("D 1.2M/307k N 45k/12k"),
 * each a named group for screen readers and tests, with the long form as its tooltip.
 */
import { longRate } from '../../ioFigures.js';

const DISK_NOTE = 'whole disks of the machine the node runs on: a node in a container counts its host\u2019s';

function long(pair: string, a: string, b: string): string {
  const [x = '', y = ''] = pair.split('/');
  return `${longRate(x)} ${a}, ${longRate(y)} ${b}`;
}

export function IoFigures({ id, disk, net }: { id: number; disk: string | undefined; net: string | undefined }) {
  return (
    <span className="io-figures">
      <span role="group" aria-label={`Disk read/write of node ${id}`} title={disk ? `Disk of node ${id}: ${long(disk, 'read', 'written')} (${DISK_NOTE})` : `Disk of node ${id}: not measured`}>
        <span className="io-key">D</span> {disk ?? '-'}
      </span>
      <span role="group" aria-label={`Network receive/send of node ${id}`} title={net ? `Network of node ${id}: ${long(net, 'received', 'sent')} (every interface but lo)` : `Network of node ${id}: not measured`}>
        <span className="io-key">N</span> {net ?? '-'}
      </span>
    </span>
  );
}
