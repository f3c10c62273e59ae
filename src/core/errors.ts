// Errors carry a stable code; HTTP, XMPP and SIP each map codes in one place.
export type ErrorCode =
  | 'invalid' | 'not_found' | 'conflict' | 'unauthorized' | 'forbidden'
  | 'closed' | 'taken' | 'unavailable';

export class AppError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly field?: string) { super(message); }
}

export const invalid = (field: string, message: string) => new AppError('invalid', `${field}: ${message}`, field);
