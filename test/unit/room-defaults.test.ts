// A new room's defaults, as seed 000 lists them: the action buttons on the
// customer's and the agent's side, the routing options, the interactions.
import { expect } from 'chai';
import { defaultRoomSettings } from '../../src/core/room-settings.js';

describe('room defaults (seed 000)', () => {
  const s = defaultRoomSettings();

  it('action buttons: text, voice, video, screen sharing, remote control and the charges timer on; recording, full screen, conference, simultaneous chats off', () => {
    const seed = {
      textChat: true, voiceChat: true, videoChat: true, screenSharing: true, videoRecording: false, remoteControl: true,
      fullScreenVideo: false, conferenceChat: false, simultaneousChats: false, startChargesTimer: true, stopChargesTimer: true,
    };
    expect(s.actions.customer).to.deep.equal(seed);
    expect(s.actions.agent).to.deep.equal(seed);
  });

  it('routing: quickest reply, mobile agents included, sticky agent off with ask-all allowed; agent label "Agent"; typing preview shown', () => {
    expect(s).to.include({ strategy: 'quickest-reply', includeMobileAgents: true, stickyAgent: false, askAllAllowed: true, agentLabel: 'Agent', hideTypingPreview: false });
    expect(s.publicProfile).to.deep.equal({ companyName: null, contactEmail: null });
  });
});
