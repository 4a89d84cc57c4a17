export { recordAudit, createAuditLog, AUDIT_ACTIONS, type AuditAction, type AuditEntry, type AuditRecord, type AuditFilter, type AuditLog } from './audit.ts'
