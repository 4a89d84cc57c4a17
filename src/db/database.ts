import type { Kysely, Transaction } from 'kysely'
import type { ContentApiTables } from '../api/content/tables.ts'
import type { AdminApiTables } from '../api/admin/tables.ts'
import type { ArticlesTables } from '../articles/tables.ts'
import type { AuthorsTables } from '../authors/tables.ts'
import type { AuthTables } from '../auth/tables.ts'
import type { NotificationsTables } from '../notifications/tables.ts'
import type { AuditTables } from '../audit/tables.ts'
import type { MediaTables } from '../media/tables.ts'
import type { SectionsTables, SlugRedirectTables } from '../sections/tables.ts'
import type { SettingsTables } from '../settings/tables.ts'
import type { SourcesTables } from '../sources/tables.ts'
import type { WireTables } from '../wire/tables.ts'
import type { QuotesTables } from '../quotes/tables.ts'
import type { SubmissionsTables } from '../submissions/tables.ts'
import type { ImportTables } from '../importers/tables.ts'
import type { JobsTables } from '../jobs/tables.ts'
import type { WebhooksTables } from '../webhooks/tables.ts'

/** Every table in the schema: the union of each feature's own table interfaces. */
export interface Database
  extends ArticlesTables,
    SectionsTables,
    SlugRedirectTables,
    AuthorsTables,
    SourcesTables,
    SettingsTables,
    AuthTables,
    NotificationsTables,
    AuditTables,
    MediaTables,
    ContentApiTables,
    AdminApiTables,
    WireTables,
    SubmissionsTables,
    QuotesTables,
    ImportTables,
    JobsTables,
    WebhooksTables {}

/** A connection or a transaction: repositories accept either. */
export type Db = Kysely<Database> | Transaction<Database>

/** Which SQL engine is behind the Kysely instance. */
export type DialectName = 'sqlite' | 'postgres'
