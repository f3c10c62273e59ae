// Email (issue 7): MJML templates, a durable outbox, SMTP or .eml delivery, quota.
export { MailService, type MailServiceOptions } from './service.js';
export { transcriptData, type TranscriptSource } from './transcript-data.js';
export { smtpFromUrl } from './smtp-settings.js';
export type { OutboxQuery } from './outbox.js';
export type { MailTemplates, TemplateName } from './templates/index.js';
export type * from './types.js';
