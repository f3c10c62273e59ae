// Every text a stock client or the customer page shows, written for a person.
export interface OfferText { customer: string; email: string | null; room: string; firstMessage: string | null; timeoutSeconds: number; roomJid: string;
  /** Who the company's site vouches for (verified identity), if it did. */
  verified?: string | null }

/** The invitation's reason: some clients (Profanity) show only this, so it carries the essentials. */
export function offerReason(o: OfferText): string {
  const who = o.email ? `${o.customer} <${o.email}>` : o.customer;
  const chars = Array.from(o.firstMessage ?? '');
  const first = chars.length ? `: “${chars.length > 120 ? chars.slice(0, 119).join('') + '…' : chars.join('')}”` : '';
  const verified = o.verified ? ` [${texts.verified(o.verified)}]` : '';
  return `New chat from ${who}${verified} via ${o.room}${first} — join within ${o.timeoutSeconds} s to accept; write "decline" to the desk contact to refuse.`;
}

export function offerText(o: OfferText): string {
  const who = o.email ? `${o.customer} <${o.email}>` : o.customer;
  const chars = Array.from(o.firstMessage ?? ''); // code points: never split a character
  const first = chars.length ? `\n“${chars.length > 300 ? chars.slice(0, 299).join('') + '…' : chars.join('')}”` : '';
  const verified = o.verified ? `\n${texts.verified(o.verified)}` : '';
  return `New chat from ${who} via ${o.room}.${verified}${first}\n` +
    `To accept, join the room ${o.roomJid} (accept the invitation). ` +
    `To decline, decline the invitation or reply "decline" to this message. ` +
    `The offer expires in ${o.timeoutSeconds} s.`;
}

export const texts = {
  internalError: 'Something went wrong on our side; please try again in a moment.',
  waiting: (name: string) => `Thanks, ${name}. An agent will be with you shortly — please keep this page open.`,
  noAgent: (name: string) => `Thanks, ${name}. All our agents are busy right now; you are in the queue and will be connected as soon as one is free.`,
  offerTaken: (customer: string, room: string, by: string) => `The chat from ${customer} (${room}) was taken by ${by}. Nothing to do.`,
  offerExpired: (customer: string, room: string) => `The offer for the chat from ${customer} (${room}) expired; the chat stays in the queue for other agents.`,
  offerDeclined: (customer: string, room: string) => `You declined the chat from ${customer} (${room}).`,
  closedByAgent: (nick: string) => `${nick} closed the conversation. Thank you for contacting us.`,
  closedByCustomer: (nick: string) => `${nick} ended the conversation.`,
  /** A verified identity (seed 003), in the offer and the agents' history. */
  verified: (who: string) => `✔ verified by the company's site: ${who}`,
  roomClosed: 'This conversation has ended.',
  sipOffer: (o: OfferText) => {
    const who = o.email ? `${o.customer} <${o.email}>` : o.customer;
    const chars = Array.from(o.firstMessage ?? '');
    const first = chars.length ? `: “${chars.length > 300 ? chars.slice(0, 299).join('') + '…' : chars.join('')}”` : '';
    return `New chat from ${who} via ${o.room}${first}\nReply to this message to take it (any text; "accept" takes it without writing), or reply "decline". The offer expires in ${o.timeoutSeconds} s.`;
  },
  sipTaken: (customer: string) => `You have the chat with ${customer}. What you write here goes to them; !close ends it, !help lists the commands.`,
  /** A transfer or an invitation to an agent reached over SIP MESSAGE, sent from the conversation's address. */
  sipRequest: (kind: 'transfer' | 'invite', from: string, customer: string, room: string) =>
    `${from} ${kind === 'transfer' ? 'asks you to take over' : 'invites you to join'} the chat with ${customer} (${room}).\nReply to this message to accept (any text; "a" accepts without writing), or reply "decline".`,
  /** To the agent who asked for the transfer, over SIP MESSAGE, once it is accepted. */
  sipTransferredAway: (customer: string, to: string) => `${to} accepted your transfer: the chat with ${customer} is theirs now, what you write here does not reach them any more.`,
  sipNotYours: (customer: string) => `The chat with ${customer} is no longer yours: what you write here does not reach them any more.`,
  agentJoined: (nick: string) => `${nick} joined the conversation.`,
  callNobody: 'Sorry, no one could take your call right now. You can keep writing here, or try calling again in a moment.',
  taken: (by: string) => `This chat was already accepted by ${by}.`,
  notAnAgent: 'Only agents of this contact center can join conversations.',
  wrongPassword: 'The password for this conversation is wrong.',
  noSuchConversation: 'There is no such conversation.',
  notOccupant: 'You are not in this conversation; join it first.',
  /** XEP-0313 query on a conversation's room by someone not in it. */
  archiveForbidden: 'Only the people in this conversation can read its messages; join it first.',
  noPrivateMessages: 'Private messages are not available in conversations.',
  customerCannotChangeSubject: 'Only agents can change the subject of a conversation.',
  unknownCommand: (cmd: string) => `Unknown command "${cmd}". Type !help for the list.`,
  // "!" first: several clients (Profanity, Gajim) take a leading "/" as their own command.
} as const;

// Agent commands in a conversation and at the desk (issue 4).
export const commandTexts = {
  roomHelp: 'Commands start with ! (or / where your client lets it through):\n' +
    '  !t <name> or !t @<department> — transfer this chat; they accept with !a (here or to the desk) or by joining\n' +
    '  !invite <name> or !invite @<department> — ask another agent to join (one invitation at a time); !leave — leave them the chat\n' +
    '  !cancel — withdraw your pending transfer or invitation; !a — accept one made to you\n' +
    '  !p <text> — a private note (agents only, never the customer); !private — all you write is private until you type it again\n' +
    '  !<shortcut> — send a canned response; !predef — list predefined messages, !predef <n> — send one\n' +
    '  !offer Question? A | B | C — send choices the customer can pick as buttons\n' +
    '  !close — end this conversation; !help — this list',
  deskHelp: 'Desk commands: status — your state, chats and offers; queue — the waiting chats with their ids; accept <id> — take a waiting chat; ' +
    'reject [<id>] — decline an offer or a transfer; a — accept a transfer or invitation made to you; ' +
    'available / away — set your state by hand (it overrides your XMPP presence until you change it or go offline); auto — follow your presence again; help — this list. ' +
    'Without a manual state your availability follows your XMPP presence: Available/Free for chat = you get offers; Away, Extended away, Do not disturb or offline = none.',
  invalid: (cmd: string, problem: string) => `!${cmd}: ${problem}.`,
  unknownCommand: (cmd: string) => `Unknown command or canned response "${cmd}". Type !help for the list.`,
  noSuchAgent: (name: string) => `There is no agent called "${name}".`,
  ambiguousAgent: (name: string, who: string[]) => `"${name}" could be ${who.join(', ')}: use their address.`,
  noSuchDepartment: (name: string) => `There is no department called "${name}".`,
  notYourself: 'You cannot transfer or invite to yourself.',
  alreadyHere: (nick: string) => `${nick} is already in this conversation.`,
  offline: (nick: string) => `${nick} is offline.`,
  nobodyAvailable: (dept: string) => `Nobody in ${dept} is available right now.`,
  pendingExists: (what: string) => `There is already a pending ${what} in this conversation; !cancel it first.`,
  notOwner: 'Only the agent serving this chat can do that.',
  transferAsked: (to: string) => `Transfer asked of ${to}. You stay in the chat until it is accepted.`,
  inviteAsked: (to: string) => `Invitation sent to ${to}. You may stay, or type !leave once they have joined.`,
  transferInvitation: (from: string, customer: string, room: string) =>
    `${from} asks you to take over the chat with ${customer} (${room}). Accept by joining the room, or write "a" to the desk contact; "reject" to decline.`,
  inviteInvitation: (from: string, customer: string, room: string) =>
    `${from} invites you to join the chat with ${customer} (${room}). Accept by joining the room, or write "a" to the desk contact; "reject" to decline.`,
  transferredCustomer: (nick: string) => `You have been transferred to ${nick}, who will continue with you.`,
  transferredAgents: (from: string, to: string) => `${from} transferred the chat to ${to}.`,
  transferredAway: (to: string) => `Transferred to ${to}.`,
  youTookOver: (customer: string, room: string) => `The chat with ${customer} is yours now — join ${room} (the invitation is in your client) if you have not.`,
  youJoinedInvite: (customer: string, room: string) => `You accepted the invitation to the chat with ${customer} — join ${room} if you have not.`,
  inviteeJoined: (nick: string) => `${nick} joined the conversation.`,
  taken: (by: string) => `Too late: ${by} accepted it first.`,
  nothingToAccept: 'There is no transfer or invitation waiting for you.',
  nothingToCancel: 'You have no pending transfer or invitation in this conversation.',
  cancelled: (what: string) => `Your ${what} was withdrawn.`,
  cancelledForYou: (from: string, customer: string) => `${from} withdrew the request about the chat with ${customer}.`,
  expired: (what: string, to: string) => `Your ${what} to ${to} was not accepted in time; you keep the chat.`,
  declinedBy: (nick: string, what: string) => `${nick} declined your ${what}; you keep the chat.`,
  youDeclined: (customer: string) => `You declined the request about the chat with ${customer}.`,
  leaveNeedsAgent: 'Nobody else serves this chat yet: wait until the agent you invited has joined, or !close it.',
  left: (nick: string) => `${nick} left the conversation.`,
  handedOver: (from: string, to: string) => `${from} left; ${to} continues with you.`,
  privateOn: 'Private mode on: what you write here now reaches agents only. Type !private again to end it.',
  privateOff: 'Private mode off: what you write reaches the customer again.',
  /** How a private note shows to agents (the stored text stays as written). */
  privateMark: (body: string) => `[private] ${body}`,
  noPredefined: 'There are no predefined messages yet (an administrator adds them).',
  predefList: (items: Array<{ title: string; text: string }>) =>
    'Predefined messages (send one with !predef <number>):\n' + items.map((m, i) => `  ${i + 1}. ${m.title} — ${m.text}`).join('\n'),
  noSuchPredefined: (n: number, count: number) => `There is no predefined message ${n} (there are ${count}).`,
  offerPrompt: 'Please choose one:',
  offerBody: (question: string | null, options: string[]) => `${question ?? 'Please choose one:'}\n${options.map((o) => `• ${o}`).join('\n')}`,
  // Desk
  manual: (state: 'available' | 'away') => state === 'available'
    ? 'You are available by hand: you get offers whatever your client shows, until you write "away" or "auto" or go offline.'
    : 'You are away by hand: you get no offers whatever your client shows, until you write "available" or "auto".',
  auto: 'Your availability follows your XMPP presence again.',
  queueEmpty: 'Nobody is waiting.',
  queueHeader: 'Waiting chats (accept <id> to take one):',
  noSuchWaiting: (id: string) => `No waiting chat has the id "${id}". Write "queue" for the list.`,
  ambiguousId: (id: string) => `Several chats start with "${id}": give more of the id.`,
  notForYou: 'That chat is for other agents (a private room or a department you are not in).',
  full: (max: number) => `You already have ${max} chats open, your limit. Close one first.`,
  accepted: (customer: string, room: string) => `The chat with ${customer} is yours — the invitation to ${room} is on its way; join it to start.`,
  pickedReason: (customer: string, room: string) => `You took the chat with ${customer} (${room}) from the queue: join to start.`,
  notWaiting: 'That chat is no longer waiting.',
  noOffer: 'You have no pending offer or request to decline.',
  noOfferFor: (id: string) => `You have no pending offer for "${id}".`,
  idRequired: (cmd: string) => `Say which chat: ${cmd} <id> (write "queue" for the ids).`,
  unknownDesk: (word: string) => `Unknown desk command "${word}". Write "help" for the list.`,
  // Team rooms
  teamSubject: (dept: string) => `Team room of ${dept}`,
  teamInvitation: (dept: string) => `You are a member of ${dept}: this is its team room, for agents only.`,
  teamMembersOnly: 'Only members of this department can join its team room.',
} as const;

/** Queue behaviour (issue 4): what waiting customers and starting visitors are told. */
function waitPhrase(etaSeconds: number | null): string {
  if (etaSeconds === null) return '';
  if (etaSeconds < 60) return ' Estimated wait: under a minute.';
  const min = Math.round(etaSeconds / 60);
  return ` Estimated wait: about ${min} minute${min === 1 ? '' : 's'}.`;
}

function otherWays(o: { leaveNote: boolean; email: string | null }): string {
  const ways = [o.leaveNote ? 'leave us a message with the "Leave a message" form and we will answer by email' : '', o.email ? `write to ${o.email}` : ''].filter(Boolean);
  return ways.length ? ` You can also ${ways.join(', or ')}.` : '';
}

export const queueTexts = {
  position: (position: number, etaSeconds: number | null) => `You are number ${position} in the queue.${waitPhrase(etaSeconds)}`,
  positionUnmanaged: (position: number, o: { leaveNote: boolean; email: string | null }) =>
    `You are number ${position} in the queue, but no agent is available right now. Keep this page open to be connected as soon as one signs in.${otherWays(o)}`,
  unmanaged: (name: string, o: { leaveNote: boolean; email: string | null }) =>
    `Thanks, ${name}. No agent is available right now. You are in the queue: keep this page open and you will be connected as soon as one signs in.${otherWays(o)}`,
  agentDisconnected: (nick: string, graceSeconds: number) =>
    `${nick} has lost the connection. If they are not back within ${graceSeconds} s, your chat goes to another agent; everything said so far stays here.`,
  agentBack: (nick: string) => `${nick} is back.`,
  customerGone: 'The customer left before an agent took the chat, and did not come back: the chat is closed.',
  requeued: 'We are connecting you to another agent. Please stay on this page; the conversation so far stays here.',
  unattended: 'Sorry, nobody has answered you for a while, so this conversation is now closed. You are welcome to start a new chat or leave us a message.',
  roomClosedNow: 'this room is closed now (outside its working hours); leave a note and we will answer by email',
  roomFull: (max: number) => `this room has reached its limit of ${max} chats at once; leave a note and we will answer by email, or try again later`,
  requeuedAgent: (customer: string) => `You left the chat with ${customer} and did not come back in time: it went back to the queue for other agents.`,
} as const;

function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${bytes} bytes`;
}

/** Files in the chat (issue 6): what the upload service's gate says when a room's limits refuse one. */
export const uploadTexts = {
  tooLarge: (name: string, maxBytes: number) => `${name} is too large: this chat accepts files up to ${sizeText(maxBytes)}.`,
  wrongType: (name: string, accept: readonly string[]) => `${name} cannot be sent here: this chat accepts only ${accept.join(', ')}.`,
  notInConversation: 'Files can only be sent from a conversation you are in; join it first.',
  tooMany: (max: number) => `At most ${max} files can be sent in one message.`,
} as const;
