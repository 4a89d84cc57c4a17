/**
 * One thing a person did in the newsroom. Written in the same transaction as
 * the change it records; never updated or deleted by the application.
 */
export interface AuditLogTable {
  id: string
  at: string
  /** Null for the system (scheduler, import) and for an unknown person (a failed sign-in). */
  actor_id: string | null
  action: string
  /** What kind of record it touched: `article`, `user`, `section`, … */
  target_type: string | null
  target_id: string | null
  /** A short sentence for people, e.g. `Role changed from author to editor`. */
  summary: string
}

export interface AuditTables {
  audit_log: AuditLogTable
}
