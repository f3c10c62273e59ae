// Spawning our binaries in tests and looking at their process trees (/proc).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { repoPath } from '../../src/paths.js';

export interface Spawned { proc: ChildProcess; output: string[]; waitForLine(re: RegExp, timeoutMs?: number): Promise<string>; exited: Promise<number | null> }

export function spawnNode(script: string, env: NodeJS.ProcessEnv): Spawned {
  const proc = spawn(process.execPath, [repoPath('dist', 'src', script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const listeners: Array<(l: string) => void> = [];
  for (const s of [proc.stdout!, proc.stderr!]) {
    let buf = '';
    s.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i); buf = buf.slice(i + 1);
        output.push(line);
        if (process.env.TEST_LOG) process.stderr.write(`[${script}] ${line}\n`);
        for (const l of [...listeners]) l(line);
      }
    });
  }
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    proc, output, exited,
    waitForLine(re, timeoutMs = 30_000) {
      const seen = output.find((l) => re.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`${script}: no line matching ${re} within ${timeoutMs} ms; output:\n${output.slice(-30).join('\n')}`)), timeoutMs);
        const l = (line: string) => { if (re.test(line)) { clearTimeout(t); listeners.splice(listeners.indexOf(l), 1); resolve(line); } };
        listeners.push(l);
      });
    },
  };
}

export function childrenOf(pid: number): Array<{ pid: number; cmd: string }> {
  const out: Array<{ pid: number; cmd: string }> = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push({ pid: Number(d), cmd: readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() });
    } catch { /* gone meanwhile */ }
  }
  return out;
}

export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat); // a zombie is dead
  } catch { return false; }
}

/** Every process below pid (children, their children, …). */
export function descendantsOf(pid: number): Array<{ pid: number; cmd: string }> {
  const out: Array<{ pid: number; cmd: string }> = [];
  for (const c of childrenOf(pid)) out.push(c, ...descendantsOf(c.pid));
  return out;
}
