// The embedded rtpengine (userspace, no kernel module): media relay between
// WebRTC (ICE, DTLS-SRTP) and plain RTP phones. Started before Kamailio,
// which disables an rtpengine that misses its start-up probe for a minute.
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { ngPing } from '../../sip/rtpengine/ng.js';
import { SupervisedChild } from './child.js';
import { runAs } from './users.js';

export function rtpengineArgs(cfg: Config): string[] {
  return [
    // Without --config-file=none it also reads /etc/rtpengine/rtpengine.conf and its fixed ports.
    '--config-file=none', '--table=-1', '--foreground', '--log-stderr',
    `--interface=${cfg.rtpengineInterface}`,
    `--listen-ng=127.0.0.1:${cfg.rtpengineNgPort}`,
    `--port-min=${cfg.rtpenginePortMin}`, `--port-max=${cfg.rtpenginePortMax}`,
    '--delete-delay=0',
  ];
}

export class EmbeddedRtpengine {
  readonly child: SupervisedChild;

  constructor(cfg: Config, log: Logger) {
    const who = runAs('rtpengine');
    this.child = new SupervisedChild({
      name: 'rtpengine',
      command: 'rtpengine',
      args: rtpengineArgs(cfg),
      uid: who.uid, gid: who.gid,
      ready: () => ngPing('127.0.0.1', cfg.rtpengineNgPort, 200),
      onLine: (l) => log.debug(`[rtpengine] ${l}`),
    }, log);
  }

  start(): Promise<void> { return this.child.start(); }
  stop(): Promise<void> { return this.child.stop(); }
}
