// What the customer reads about calls (kept beside strings.ts so the call
// feature stays in its own files; translated the same way).
export const callStrings = {
  voiceCall: 'Voice call',
  videoCall: 'Video call',
  calling: 'Calling…',
  ringing: 'Ringing…',
  connected: 'Connected',
  ended: 'Call ended',
  unavailable: 'No one could take your call right now. You can keep writing here.',
  refused: 'The call could not be placed here.',
  failed: 'The call could not be connected. Please check your microphone and connection.',
  mute: 'Mute',
  unmute: 'Unmute',
  cameraOff: 'Camera off',
  cameraOn: 'Camera on',
  shareScreen: 'Share screen',
  stopSharing: 'Stop sharing',
  fullScreen: 'Full screen',
  hangUp: 'Hang up',
  agentVideo: 'Video from the agent',
  yourVideo: 'Your camera',
  controls: 'Call controls',
};
