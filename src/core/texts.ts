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
