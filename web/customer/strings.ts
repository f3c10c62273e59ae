// Every text the customer sees, in one place so the page can be translated
// by replacing this module. Functions take the variable parts.

export const strings = {
  lang: 'en',
  pageTitle: (room: string) => `${room} · Chat`,
  loading: 'Loading…',

  // Room loading
  roomNotFound: 'This chat is not available.',
  roomLoadFailed: 'The chat could not be loaded. Please check your connection.',
  tryAgain: 'Try again',

  // Contact form
  formIntro: 'Tell us how we can help and we will connect you with someone.',
  closedNow: 'We are outside our working hours, so an answer may take longer than usual.',
  chooseOne: 'Choose…',
  attachmentsInChat: 'you can send files once the chat has started.',
  chatUnavailable: 'Chat is not offered here at the moment.',
  requiredMark: '*',
  requiredHint: 'Fields marked * are required.',
  department: 'Department',
  anyDepartment: 'Anyone can help me',
  leaveNote: 'Send as email',
  leavingNote: 'Sending…',
  noteNeedsEmail: 'We need your email address to answer you.',
  noteNeedsMessage: 'Please write your message.',
  noteSent: 'Thank you. Your message has been sent; we will answer you by email.',
  closedLeaveNote: 'Nobody can chat right now. Leave us a message and we will answer you by email.',
  start: 'Start chat',
  starting: 'Starting…',
  errRequired: 'This field is required.',
  errEmail: 'Please enter a valid email address.',
  errNumber: 'Please enter a number.',
  errAgree: 'Please tick this box to continue.',
  errTooLong: (max: number) => `Please keep this under ${max} characters.`,
  startFailed: 'The chat could not be started. Please try again.',

  // Chat
  logLabel: 'Conversation',
  composeLabel: 'Your message',
  composePlaceholder: 'Type your message…',
  send: 'Send',
  end: 'End chat',
  askAll: 'Ask all agents',
  askedAll: 'Every available agent has been asked too.',
  askAllFailed: 'Could not ask the other agents. Please try again.',
  confirmEnd: 'End this conversation?',
  endFailed: 'The conversation could not be ended. Please try again.',
  you: 'You',
  newConversation: 'Start a new conversation',
  retry: 'Retry',
  pending: 'Sending…',
  notDelivered: 'Not delivered.',

  /** Our name in the room when the usual one is still held by our previous connection. */
  nickVariant: (nick: string, n: number) => `${nick} (${n})`,

  // Status line
  statusConnecting: 'Connecting…',
  statusWaiting: 'Waiting for an agent…',
  queuePlace: (position: number, seconds: number | null) =>
    `${position === 1 ? 'You are next in the queue' : `You are number ${position} in the queue`}${seconds ? ` (about ${waitText(seconds)})` : ''}.`,
  statusChatting: (nicks: string[]) => `Chatting with ${list(nicks)}`,
  statusReconnecting: 'Reconnecting…',
  statusEnded: 'Conversation ended',
  statusFailed: 'Could not join the conversation',

  // Chat extras: alerts, quick responses, rating, transcript, leaving
  notifyOne: (from: string) => `New message from ${from}`,
  notifyMany: (n: number, from: string) => `${n} new messages, the last from ${from}`,
  mute: 'Mute sounds',
  unmute: 'Turn sounds on',
  quickResponses: 'Suggested answers',
  leaveWarning: 'Your chat is still open. If you leave this page, the agent may not be able to reach you.',
  noteInsteadTitle: 'Or leave a message: we will answer by email',
  noteInsteadMessage: 'Your message',
  noteInsteadSend: 'Send message',
  noteInsteadSent: 'Your message has been sent; we will answer you by email. This chat is closed.',
  alertTitle: 'Email me when someone is free',
  alertSend: 'Add alert',
  alertSet: (email: string) => (email ? `We will email ${email} as soon as someone is free.` : 'We will email you as soon as someone is free.'),
  alertFailed: 'The alert could not be set. Please check the address and try again.',
  transcriptTitle: 'Email me the transcript',
  transcriptEmail: 'Your email',
  transcriptSend: 'Send transcript',
  transcriptSent: (email: string) => (email ? `The transcript is on its way to ${email}.` : 'The transcript is on its way to your email.'),
  transcriptFailed: 'The transcript could not be sent. Please check the address and try again.',
  rateTitle: 'How was this conversation?',
  rateScore: (n: number) => `${n} out of 5${n === 1 ? ' (poor)' : n === 5 ? ' (excellent)' : ''}`,
  rateComment: 'Anything you want to tell us? (optional)',
  rateSend: 'Send rating',
  rateThanks: 'Thank you for your rating.',
  rateFailed: 'Your rating could not be sent. Please try again.',
  rateChoose: 'Please choose from 1 to 5 stars.',
  avatarOf: (nick: string) => `${nick}`,
  started: (time: string) => `You started this conversation at ${time}.`,
  transferred: (nick: string) => `You have been transferred to ${nick}, who will continue with you.`,

  // Files
  attach: 'Attach files',
  attachmentsLabel: 'Files to send',
  removeFile: (name: string) => `Remove ${name}`,
  fileTooMany: (max: number) => `You can send at most ${max} files at a time.`,
  fileTooBig: (name: string, max: number) => `${name} is too large: the limit is ${sizeText(max)}.`,
  fileEmpty: (name: string) => `${name} is empty.`,
  fileWrongType: (name: string, accept: string[]) => `${name} cannot be sent here: only ${accept.join(', ')}.`,
  fileUploadFailed: (name: string) => `${name} could not be sent. Please try again.`,
  uploading: (name: string) => `Sending ${name}…`,
  fileLink: (name: string) => `File: ${name}`,

  // Notices
  joined: (nick: string) => `${nick} joined the conversation`,
  left: (nick: string) => `${nick} left the conversation`,
  typing: (nicks: string[]) => nicks.length === 1 ? `${nicks[0]} is typing…` : `${list(nicks)} are typing…`,
  ended: 'This conversation has ended.',
  endedWithReason: (reason: string) => `This conversation has ended: ${reason}`,
  joinFailed: 'We could not connect you to the conversation.',
  unread: (n: number, title: string) => `(${n}) ${title}`,

  // The pop-up widget on the company's own pages (web/widget)
  widget: {
    chat: 'Chat',
    open: (room: string) => (room ? `Chat with ${room}` : 'Open the chat'),
    openUnread: (room: string, n: number) => `${room ? `Chat with ${room}` : 'Open the chat'}: ${n} new ${n === 1 ? 'message' : 'messages'}`,
    panel: (room: string) => (room ? `Chat with ${room}` : 'Chat'),
    frame: (room: string) => (room ? `Chat with ${room}` : 'Chat'),
    minimise: 'Minimise the chat',
    dragHint: 'Drag to move',
  },
};

function waitText(seconds: number): string {
  if (seconds < 90) return 'a minute';
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `${minutes} minutes` : `${Math.round(minutes / 60)} hours`;
}

function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${bytes} bytes`;
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
