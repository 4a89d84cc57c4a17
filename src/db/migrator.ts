import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely'
import * as createContentTables from './migrations/2026_11_26_1330_create_content_tables.ts'
import * as createWireTables from './migrations/2026_11_26_1400_create_wire_tables.ts'
import * as createSessions from './migrations/2026_11_26_1500_create_sessions.ts'
import * as createSignInThrottle from './migrations/2026_11_30_2330_create_sign_in_throttle.ts'
import * as addWireItemBands from './migrations/2026_11_26_1600_add_wire_item_bands.ts'
import * as addStoryEditing from './migrations/2026_12_01_0000_add_story_editing.ts'
import * as createNotifications from './migrations/2026_12_01_0010_create_notifications.ts'
import * as createAuditLogAndStaffAccounts from './migrations/2026_12_01_0300_create_audit_log_and_staff_accounts.ts'
import * as compactWireGrouping from './migrations/2026_12_01_0400_compact_wire_grouping.ts'
import * as createMedia from './migrations/2026_12_01_0430_create_media.ts'
import * as createContentApiKeys from './migrations/2026_12_01_0500_create_content_api_keys.ts'
import * as createSearchIndex from './migrations/2026_12_01_0400_create_search_index.ts'
import * as createQuoteLedger from './migrations/2026_12_01_0410_create_quote_ledger.ts'
import * as addNewsroomRecords from './migrations/2026_12_01_0600_add_newsroom_records.ts'
import * as createImportTables from './migrations/2026_12_01_0700_create_import_tables.ts'
import * as createSubmissions from './migrations/2026_12_01_0700_create_submissions.ts'
import * as addSealedTips from './migrations/2026_12_01_0710_add_sealed_tips.ts'
import * as wireBandsInMemory from './migrations/2026_12_02_0000_wire_bands_in_memory.ts'
import * as addTipFollowUp from './migrations/2026_12_02_0200_add_tip_follow_up.ts'
import * as createJobRuns from './migrations/2026_12_02_0210_create_job_runs.ts'
import * as addDeclinedAt from './migrations/2026_12_02_0220_add_declined_at.ts'
import * as createWebhooks from './migrations/2026_12_02_0300_create_webhooks.ts'
import * as createAdminApiTables from './migrations/2026_12_02_0400_create_admin_api_tables.ts'
import * as createArticleListings from './migrations/2026_12_03_0100_create_article_listings.ts'
import * as idempotencyCommitMark from './migrations/2026_12_03_0300_idempotency_commit_mark.ts'
import * as createSubmissionFiles from './migrations/2026_12_03_0500_create_submission_files.ts'
import * as createTagAndAuthorListings from './migrations/2026_12_04_0100_create_tag_and_author_listings.ts'
import * as linkOrderIndexes from './migrations/2026_12_05_0100_link_order_indexes.ts'
import * as presenceFirstSeen from './migrations/2026_12_06_0100_presence_first_seen.ts'
import * as rekeySearchByPublication from './migrations/2026_12_06_0300_rekey_search_by_publication.ts'
import * as createSearchHeadlines from './migrations/2026_12_06_0600_create_search_headlines.ts'
import * as wireReceivedCoveringIndex from './migrations/2026_12_07_0200_wire_received_covering_index.ts'
import * as wireRawEncoding from './migrations/2026_12_07_0210_wire_raw_encoding.ts'

/**
 * Every migration, in order. A static list rather than a folder scan, so the
 * set that runs is exactly what the code was built with.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '2026_11_26_1330_create_content_tables': createContentTables,
  '2026_11_26_1400_create_wire_tables': createWireTables,
  '2026_11_26_1500_create_sessions': createSessions,
  '2026_11_26_1600_add_wire_item_bands': addWireItemBands,
  '2026_11_30_2330_create_sign_in_throttle': createSignInThrottle,
  '2026_12_01_0000_add_story_editing': addStoryEditing,
  '2026_12_01_0010_create_notifications': createNotifications,
  '2026_12_01_0300_create_audit_log_and_staff_accounts': createAuditLogAndStaffAccounts,
  '2026_12_01_0400_compact_wire_grouping': compactWireGrouping,
  '2026_12_01_0400_create_search_index': createSearchIndex,
  '2026_12_01_0410_create_quote_ledger': createQuoteLedger,
  '2026_12_01_0430_create_media': createMedia,
  '2026_12_01_0500_create_content_api_keys': createContentApiKeys,
  '2026_12_01_0600_add_newsroom_records': addNewsroomRecords,
  '2026_12_01_0700_create_import_tables': createImportTables,
  '2026_12_01_0700_create_submissions': createSubmissions,
  '2026_12_01_0710_add_sealed_tips': addSealedTips,
  '2026_12_02_0000_wire_bands_in_memory': wireBandsInMemory,
  '2026_12_02_0200_add_tip_follow_up': addTipFollowUp,
  '2026_12_02_0210_create_job_runs': createJobRuns,
  '2026_12_02_0220_add_declined_at': addDeclinedAt,
  '2026_12_02_0300_create_webhooks': createWebhooks,
  '2026_12_02_0400_create_admin_api_tables': createAdminApiTables,
  '2026_12_03_0100_create_article_listings': createArticleListings,
  '2026_12_03_0300_idempotency_commit_mark': idempotencyCommitMark,
  '2026_12_03_0500_create_submission_files': createSubmissionFiles,
  '2026_12_04_0100_create_tag_and_author_listings': createTagAndAuthorListings,
  '2026_12_05_0100_link_order_indexes': linkOrderIndexes,
  '2026_12_06_0100_presence_first_seen': presenceFirstSeen,
  '2026_12_06_0300_rekey_search_by_publication': rekeySearchByPublication,
  '2026_12_06_0600_create_search_headlines': createSearchHeadlines,
  '2026_12_07_0200_wire_received_covering_index': wireReceivedCoveringIndex,
  '2026_12_07_0210_wire_raw_encoding': wireRawEncoding,
})

/**
 * Brings the schema up to date. Returns Kysely's `{ error, results }` and never
 * throws; running it again when nothing is pending is a no-op.
 *
 * On PostgreSQL pass the schema in use: Kysely decides whether its bookkeeping
 * tables exist by looking across every schema, so without it a database whose
 * other schemas hold Kysely migration tables (another app, a parallel test)
 * would skip creating ours.
 */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  })
  return migrator.migrateToLatest()
}
