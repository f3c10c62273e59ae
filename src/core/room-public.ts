// The part of a room the customer's browser may see (customer page, widget):
// look, form (without hidden fields), buttons, labels and whether the room is
// open now. Never the room's secret, routing options or limits.
import { isOpen } from './room-hours.js';
import { visibleFields, type FormField, type RoomSettings } from './room-settings.js';

export interface PublicRoom {
  slug: string; kind: 'public' | 'private'; name: string; agentLabel: string; welcomeMessage: string; open: boolean;
  form: Omit<RoomSettings['form'], 'fields'> & { fields: FormField[] };
  buttons: RoomSettings['buttons']; interactions: RoomSettings['interactions'];
  actions: RoomSettings['actions']['customer']; hideTypingPreview: boolean;
  companyName: string | null; widget: RoomSettings['widget'];
}

export function publicRoom(room: { slug: string; kind: 'public' | 'private'; settings: RoomSettings }, now: number): PublicRoom {
  const s = room.settings;
  return {
    slug: room.slug, kind: room.kind, name: s.name, agentLabel: s.agentLabel, welcomeMessage: s.welcomeMessage,
    open: isOpen(s.hours, now),
    form: { ...s.form, fields: visibleFields(s.form) },
    buttons: s.buttons, interactions: s.interactions, actions: s.actions.customer, hideTypingPreview: s.hideTypingPreview,
    companyName: s.publicProfile.companyName, widget: s.widget,
  };
}
