// The registry: one template per email the seeds describe, by name.
import type { TemplateDef } from './def.js';
import { agentAvailable, type AgentAvailableData } from './agent-available.js';
import { noteReply, type NoteReplyData } from './note-reply.js';
import { offlineConfirmation, type OfflineConfirmationData } from './offline-confirmation.js';
import { offlineMessage, type OfflineMessageData } from './offline-message.js';
import { profileEdited, type ProfileEditedData } from './profile-edited.js';
import { transcript, type TranscriptData } from './transcript.js';

export interface MailTemplates {
  'offline-message': OfflineMessageData;
  'offline-confirmation': OfflineConfirmationData;
  'note-reply': NoteReplyData;
  'agent-available': AgentAvailableData;
  transcript: TranscriptData;
  'profile-edited': ProfileEditedData;
}
export type TemplateName = keyof MailTemplates;

export const TEMPLATES: { [K in TemplateName]: TemplateDef<MailTemplates[K]> } = {
  'offline-message': offlineMessage,
  'offline-confirmation': offlineConfirmation,
  'note-reply': noteReply,
  'agent-available': agentAvailable,
  transcript,
  'profile-edited': profileEdited,
};

export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];

export type { AgentAvailableData, NoteReplyData, OfflineConfirmationData, OfflineMessageData, ProfileEditedData, TranscriptData };
export type { OfflineAttachment } from './offline-message.js';
export type { TranscriptLine } from './transcript.js';
export type { Field } from './def.js';
