// An unattended chat (seed 002: "disposed as Timeout"): the customer of an
// active chat has waited unattendedTimeoutSeconds for an answer from the agent.
// The wait starts at the customer's first message after the agent's last one,
// and never before the agent accepted (the form's first message precedes the
// claim). Pure: the caller passes the messages' times.

export interface ChatTimeline {
  acceptedAt: number;
  /** The agents' (not private) messages and the customer's, any order. */
  messages: ReadonlyArray<{ from: 'agent' | 'customer'; at: number }>;
}

/** When the chat becomes unattended; null when the customer waits for nothing or the rule is off (0). */
export function unattendedDeadline(t: ChatTimeline, timeoutSeconds: number): number | null {
  if (timeoutSeconds <= 0) return null;
  let lastAgent = -Infinity;
  for (const m of t.messages) if (m.from === 'agent' && m.at > lastAgent) lastAgent = m.at;
  let waitingSince = Infinity;
  for (const m of t.messages) if (m.from === 'customer' && m.at > lastAgent && m.at < waitingSince) waitingSince = m.at;
  if (waitingSince === Infinity) return null;
  return Math.max(waitingSince, t.acceptedAt) + timeoutSeconds * 1000;
}
