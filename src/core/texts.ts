// Every text a stock client or the customer page shows, written for a person.
export interface OfferText { customer: string; email: string | null; room: string; firstMessage: string | null; timeoutSeconds: number; roomJid: string }

/** The invitation's reason: some clients (Profanity) show only this, so it carries the essentials. */
export function offerReason(o: OfferText): string {
  const who = o.email ? `${o.customer} <${o.email}>` : o.customer;
  const chars = Array.from(o.firstMessage ?? '');
  const first = chars.length ? `: “${chars.length > 120 ? chars.slice(0, 119).join('') + '…' : chars.join('')}”` : '';
  return `New chat from ${who} via ${o.room}${first} — join within ${o.timeoutSeconds} s to accept; write "decline" to the desk contact to refuse.`;
}

export function offerText(o: OfferText): string {
  const who = o.email ? `${o.customer} <${o.email}>` : o.customer;
  const chars = Array.from(o.firstMessage ?? ''); // code points: never split a character
  const first = chars.length ? `\n“${chars.length > 300 ? chars.slice(0, 299).join('') + '…' : chars.join('')}”` : '';
  return `New chat from ${who} via ${o.room}.${first}\n` +
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
  roomClosed: 'This conversation has ended.',
  taken: (by: string) => `This chat was already accepted by ${by}.`,
  notAnAgent: 'Only agents of this contact center can join conversations.',
  wrongPassword: 'The password for this conversation is wrong.',
  noSuchConversation: 'There is no such conversation.',
  notOccupant: 'You are not in this conversation; join it first.',
  noPrivateMessages: 'Private messages are not available in conversations.',
  customerCannotChangeSubject: 'Only agents can change the subject of a conversation.',
  unknownCommand: (cmd: string) => `Unknown command "${cmd}". Type !help for the list.`,
  // "!" first: several clients (Profanity, Gajim) take a leading "/" as their own command.
  agentHelp: 'Commands start with ! (or / where your client lets it through): !close — end this conversation; !help — this list.',
  deskHelp: 'Desk commands: status — your state and chats; decline — decline your latest offer; help — this list. Your availability follows your XMPP presence: Available/Free for chat = you get offers; Away, Extended away, Do not disturb or offline = none.',
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
  requeued: 'We are connecting you to another agent. Please stay on this page; the conversation so far stays here.',
  unattended: 'Sorry, nobody has answered you for a while, so this conversation is now closed. You are welcome to start a new chat or leave us a message.',
  roomClosedNow: 'this room is closed now (outside its working hours); leave a note and we will answer by email',
  roomFull: (max: number) => `this room has reached its limit of ${max} chats at once; leave a note and we will answer by email, or try again later`,
  requeuedAgent: (customer: string) => `You left the chat with ${customer} and did not come back in time: it went back to the queue for other agents.`,
} as const;
