// Shared pieces of list routes: pagination in the query string and the
// { items, total } envelope.
export const PAGE = {
  limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
} as const;

export interface Page { limit: number; offset: number }

export function listQuery<P extends Record<string, unknown>>(filters: P) {
  return { type: 'object', additionalProperties: false, properties: { ...PAGE, ...filters } } as const;
}

export function listOf(itemRef: string) {
  return { type: 'object', properties: { items: { type: 'array', items: { $ref: `${itemRef}#` } }, total: { type: 'integer' } }, required: ['items', 'total'] } as const;
}

export const UUID_PARAM = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] } as const;

export const ERRORS = { 400: { $ref: 'Error#' }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' }, 404: { $ref: 'Error#' }, 409: { $ref: 'Error#' }, 429: { $ref: 'Error#' } } as const;
