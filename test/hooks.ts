// Mocha root hooks: the run's throwaway servers stop after the last test.
import { stopTestEnv } from './support/env.js';
import { stopVoiceEnv } from './support/voice.js';

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    // Each child gets up to 10 s to stop before SIGKILL (src/supervisor/child.ts),
    // and a loaded machine uses it: leave room for all of them.
    this.timeout(90_000);
    await Promise.all([stopVoiceEnv(), stopTestEnv()]);
  },
};
