// A room is an entry point customers come through (glossary). These are the
// settings the chat loop reads; the admin API issue adds the rest.
export interface FieldRule { hidden: boolean; mandatory: boolean }

export interface RoomSettings {
  name: string;
  strategy: 'quickest-reply';
  /** Seconds an agent has to accept an offer before it goes to the next agents. */
  offerTimeoutSeconds: number;
  /** When every eligible agent declined or missed it: wait this long, then offer them again. */
  reofferAfterSeconds: number;
  /** The most agents one conversation is offered to at once; 0 = every available agent (ring-all). */
  ringLimit: number;
  agentLabel: string;
  form: { name: FieldRule; email: FieldRule; message: FieldRule };
}

export const DEFAULT_ROOM_SLUG = 'general';

export function defaultRoomSettings(): RoomSettings {
  return {
    name: 'General',
    strategy: 'quickest-reply',
    offerTimeoutSeconds: 30,
    reofferAfterSeconds: 30,
    ringLimit: 0,
    agentLabel: 'Agent',
    form: {
      name: { hidden: false, mandatory: true },
      email: { hidden: false, mandatory: false },
      message: { hidden: false, mandatory: true },
    },
  };
}

/** Settings as stored, completed with the defaults of settings added since (rooms created before them). */
export function withDefaults(stored: RoomSettings): RoomSettings {
  return { ...stored, ringLimit: Number.isInteger(stored.ringLimit) && stored.ringLimit > 0 ? stored.ringLimit : 0 };
}
