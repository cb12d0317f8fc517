/** Free loopback port ranges for tests of the lab's fixed ports: the OS picks a start, the rest are checked. */
import net from 'node:net';

export function canListen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

function ephemeralPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A port from which `span` consecutive ports are free right now (bounded tries). */
export async function freeRange(span: number, tries = 20): Promise<number> {
  for (let attempt = 0; attempt < tries; attempt++) {
    const start = await ephemeralPort();
    if (start + span > 65536) {
      continue;
    }
    let free = true;
    for (let p = start; p < start + span && free; p++) {
      free = await canListen(p);
    }
    if (free) {
      return start;
    }
  }
  throw new Error(`no ${span} consecutive free ports found in ${tries} tries`);
}
