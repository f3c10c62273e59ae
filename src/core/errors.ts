// Errors carry a stable code; HTTP, XMPP and SIP each map codes in one place.
export type ErrorCode =
  | 'invalid' | 'not_found' | 'conflict' | 'unauthorized' | 'forbidden'
  | 'closed' | 'taken' | 'unavailable' | 'rate_limited';

export class AppError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly field?: string, readonly retryAfterSeconds?: number) { super(message); }
}

export const invalid = (field: string, message: string) => new AppError('invalid', `${field}: ${message}`, field);
export const notFound = (field: string, message: string) => new AppError('not_found', `${field}: ${message}`, field);
export const conflict = (field: string, message: string) => new AppError('conflict', `${field}: ${message}`, field);
