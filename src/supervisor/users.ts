// Which system user a child runs as. As root, PostgreSQL must run as the
// `postgres` account (initdb refuses root); as anyone else, children run as us.
import { readFileSync } from 'node:fs';

export interface RunAs { uid?: number; gid?: number; name: string }

export function runAs(account: string): RunAs {
  if (process.getuid?.() !== 0) return { name: 'self' };
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === account) return { uid: Number(f[2]), gid: Number(f[3]), name: account };
  }
  throw new Error(`running as root but the system user "${account}" does not exist (is its package installed?)`);
}
