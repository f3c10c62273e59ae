// A room is an entry point customers come through (glossary), with all its
// settings (seeds 000 and 002). The shape is described for HTTP by
// schemas/http/room-settings.json (validation and serialisation); this module
// holds the types and the defaults. Routing options stay at the top level
// because the routing adapter reads them there (room.settings.ringLimit…).
import type { StrategyName } from './strategies/index.js';

export const FIELD_TYPES = ['label', 'select', 'text', 'number', 'email', 'textarea', 'radio', 'checkboxes', 'agreement', 'attachment'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
/** Field types whose value is picked from `options`. */
export const CHOICE_TYPES: readonly FieldType[] = ['select', 'radio', 'checkboxes'];
/** Form field ids that map to the conversation's customer name, email and first message. */
export const WELL_KNOWN: Readonly<Record<string, readonly FieldType[]>> = { name: ['text'], email: ['email'], message: ['text', 'textarea'] };
/** The largest attachment a room may accept (issue 6: 10 MB, seed 002). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** One element of the form builder (seed 002). */
export interface FormField {
  /** The key of the value in a submission; `name`, `email`, `message` are well known. */
  id: string;
  type: FieldType;
  /** What the customer reads: the question, the label's text, the agreement's text. */
  label: string;
  /** Fields show by order, then by their place in the list. */
  order: number;
  hidden: boolean;
  mandatory: boolean;
  placeholder?: string;
  /** select, radio, checkboxes */
  options?: string[];
  /** attachment: unique file type specifiers (".pdf", "image/*", "application/pdf"); empty = any */
  accept?: string[];
  /** attachment */
  maxSizeBytes?: number;
}

export interface Theme { primary: string; primaryText: string; background: string; text: string }

export interface ContactFormSettings {
  theme: Theme;
  logoUrl: string | null;
  /** Empty: the page shows the room's name. */
  header: string;
  /** Empty: the page shows its standard invitation. */
  subHeader: string;
  fields: FormField[];
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** Wall-clock times "HH:MM" in the hours' time zone, from < to; to may be "24:00". */
export interface Interval { from: string; to: string }
/** A date (YYYY-MM-DD, in the hours' time zone) closed all day or open at special hours. */
export interface HoursException { date: string; closed: boolean; intervals: Interval[] }
export interface WorkingHours {
  /** false: always open. */
  enabled: boolean;
  /** IANA name, e.g. "Europe/Paris". */
  timeZone: string;
  weekly: Record<Weekday, Interval[]>;
  exceptions: HoursException[];
}

/** The action buttons of seed 000, for the customer's or the agent's side. */
export interface ActionButtons {
  textChat: boolean; voiceChat: boolean; videoChat: boolean; screenSharing: boolean; videoRecording: boolean;
  remoteControl: boolean; fullScreenVideo: boolean; conferenceChat: boolean; simultaneousChats: boolean;
  startChargesTimer: boolean; stopChargesTimer: boolean;
}

export const WIDGET_POSITIONS = ['bottom-right', 'bottom-left', 'top-right', 'top-left'] as const;
export interface WidgetSettings {
  position: (typeof WIDGET_POSITIONS)[number];
  /** Size of the open pop-up on a desktop, in CSS pixels. */
  width: number;
  height: number;
  /** Height of the contact form's "more options" control on a phone, in CSS pixels. */
  mobileMoreOptionsHeight: number;
}

export interface RoomSettings {
  name: string;
  /** What customers call the person answering ("Agent", "Doctor"…). */
  agentLabel: string;
  welcomeMessage: string;

  // Routing: the strategy (one of src/core/strategies) and its options.
  strategy: StrategyName;
  /** Seconds an agent has to accept an offer before it goes to the next agents. */
  offerTimeoutSeconds: number;
  /** When every eligible agent declined or missed it: wait this long, then offer them again. */
  reofferAfterSeconds: number;
  /** The most agents one conversation is offered to at once; 0 = every available agent (ring-all). */
  ringLimit: number;
  /** Seconds before the offer widens to the next tier (after the sticky agent, then mobile agents). */
  tierDelaySeconds: number;
  /** Offer a returning customer to the agent who served them last. */
  stickyAgent: boolean;
  /** While waiting for the sticky agent, the customer may ask all agents. */
  askAllAllowed: boolean;
  includeMobileAgents: boolean;

  /** Conversations open at once in this room; 0 = no limit (beyond it: offline, seed 002). */
  maxConcurrentSessions: number;
  /** An active chat whose customer waits this long for an answer from the agent is closed as timeout; 0 = never. */
  unattendedTimeoutSeconds: number;
  /** After a chat closes, the agent who served it gets no new offers for this long; 0 = none. */
  wrapUpSeconds: number;
  /** An agent who left an active chat (disconnected) has this long to come back before it is queued again. */
  disconnectGraceSeconds: number;

  form: ContactFormSettings;
  /** Which buttons the contact form shows. */
  buttons: { chat: boolean; email: boolean; voice: boolean; video: boolean };
  /** While nobody answers: may the customer leave an email message, add an email alert. */
  interactions: { leaveEmail: boolean; addAlert: boolean };
  /** Offline messages (notes) are also forwarded to this address (seed 002 "Forward Offline"). */
  offline: { forwardAddress: string | null };
  hours: WorkingHours;
  /** Used in emails to customers; null = the company's. */
  publicProfile: { companyName: string | null; contactEmail: string | null };
  actions: { customer: ActionButtons; agent: ActionButtons };
  /** Agents do not see what the customer is typing before it is sent. */
  hideTypingPreview: boolean;
  widget: WidgetSettings;
}

export const DEFAULT_ROOM_SLUG = 'general';

/** Seed 000's defaults. */
export function defaultActionButtons(): ActionButtons {
  return {
    textChat: true, voiceChat: true, videoChat: true, screenSharing: true, videoRecording: false,
    remoteControl: true, fullScreenVideo: false, conferenceChat: false, simultaneousChats: false,
    startChargesTimer: true, stopChargesTimer: true,
  };
}

export function defaultFormFields(): FormField[] {
  return [
    { id: 'name', type: 'text', label: 'Your name', order: 1, hidden: false, mandatory: true, placeholder: '' },
    { id: 'email', type: 'email', label: 'Email', order: 2, hidden: false, mandatory: false, placeholder: '' },
    { id: 'message', type: 'textarea', label: 'How can we help?', order: 3, hidden: false, mandatory: true, placeholder: '' },
  ];
}

export function defaultHours(): WorkingHours {
  const day = (open: boolean): Interval[] => (open ? [{ from: '09:00', to: '17:00' }] : []);
  return {
    enabled: false, timeZone: 'UTC',
    weekly: { mon: day(true), tue: day(true), wed: day(true), thu: day(true), fri: day(true), sat: day(false), sun: day(false) },
    exceptions: [],
  };
}

export function defaultRoomSettings(): RoomSettings {
  return {
    name: 'General',
    agentLabel: 'Agent',
    welcomeMessage: '',
    strategy: 'quickest-reply',
    offerTimeoutSeconds: 30,
    reofferAfterSeconds: 30,
    ringLimit: 0,
    tierDelaySeconds: 15,
    stickyAgent: false,
    askAllAllowed: true,
    includeMobileAgents: true,
    maxConcurrentSessions: 0,
    unattendedTimeoutSeconds: 0,
    wrapUpSeconds: 0,
    disconnectGraceSeconds: 60,
    form: {
      theme: { primary: '#2563eb', primaryText: '#ffffff', background: '#eef1f6', text: '#111827' },
      logoUrl: null, header: '', subHeader: '',
      fields: defaultFormFields(),
    },
    buttons: { chat: true, email: false, voice: false, video: false },
    interactions: { leaveEmail: true, addAlert: false },
    offline: { forwardAddress: null },
    hours: defaultHours(),
    publicProfile: { companyName: null, contactEmail: null },
    actions: { customer: defaultActionButtons(), agent: defaultActionButtons() },
    hideTypingPreview: false,
    widget: { position: 'bottom-right', width: 380, height: 560, mobileMoreOptionsHeight: 48 },
  };
}

/** The fields a customer sees, in the order they show. */
export function visibleFields(form: ContactFormSettings): FormField[] {
  return sortedFields(form).filter((f) => !f.hidden);
}

export function sortedFields(form: ContactFormSettings): FormField[] {
  return form.fields.map((f, i) => ({ f, i })).sort((a, b) => a.f.order - b.f.order || a.i - b.i).map((x) => x.f);
}
