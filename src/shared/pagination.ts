import { DomainError } from './errors.ts'

/** A page request: 1-based page number and page size. */
export interface PageRequest {
  page: number
  perPage: number
}

/** One page of results; `hasNext` comes from fetching one row more than shown. */
export interface Page<T> {
  items: T[]
  page: number
  perPage: number
  hasNext: boolean
}

export const MAX_PAGE = 10_000

/**
 * Reads a `page` query value. Absent means page 1; anything that is not a whole
 * number from 1 to MAX_PAGE is an `invalid` error (a 400, never a 500).
 */
export function parsePageNumber(raw: unknown): number {
  if (raw === undefined || raw === '') return 1
  if (typeof raw !== 'string' || !/^[0-9]{1,6}$/.test(raw)) {
    throw new DomainError('invalid', 'PAGE_INVALID', 'The page number must be a whole number from 1.', [
      { path: 'page', message: 'Expected a whole number from 1.', code: 'invalid_type' },
    ])
  }
  const page = Number(raw)
  if (page < 1 || page > MAX_PAGE) {
    throw new DomainError('invalid', 'PAGE_INVALID', `The page number must be between 1 and ${MAX_PAGE}.`, [
      { path: 'page', message: `Expected 1 to ${MAX_PAGE}.`, code: 'too_big' },
    ])
  }
  return page
}

/** Splits rows fetched with `limit = perPage + 1` into a page. */
export function toPage<T>(rows: T[], request: PageRequest): Page<T> {
  return {
    items: rows.slice(0, request.perPage),
    page: request.page,
    perPage: request.perPage,
    hasNext: rows.length > request.perPage,
  }
}
