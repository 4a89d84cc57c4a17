/**
 * True when a database error is a unique-constraint violation, on either
 * engine: SQLite's `SQLITE_CONSTRAINT_UNIQUE` / `SQLITE_CONSTRAINT_PRIMARYKEY`,
 * PostgreSQL's SQLSTATE `23505`. Services check for a taken slug first and use
 * this only for the race where two people take it at the same moment.
 * @example if (isUniqueViolation(error)) throw new DomainError('conflict', 'TAG_SLUG_TAKEN', '…')
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === '23505' || (typeof code === 'string' && /^SQLITE_CONSTRAINT_(?:UNIQUE|PRIMARYKEY)$/.test(code))
}
