// A tiny levelled logger writing single lines to stderr.
export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type Level = (typeof LEVELS)[number];

export function createLogger(level: Level = 'info', name = 'switchboard'): Logger {
  const min = LEVELS.indexOf(level);
  const at = (l: Level) => (msg: string) => {
    if (LEVELS.indexOf(l) >= min) process.stderr.write(`${new Date().toISOString()} ${l.padEnd(5)} ${name}: ${msg}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
