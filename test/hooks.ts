// Mocha root hooks: the run's throwaway servers stop after the last test.
import { stopTestEnv } from './support/env.js';
import { stopVoiceEnv } from './support/voice.js';

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await stopVoiceEnv();
    await stopTestEnv();
  },
};
