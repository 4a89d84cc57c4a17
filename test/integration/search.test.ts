import { runSearchContract } from '../contract/search.case.ts'
import { DIALECTS } from '../support/dialects.ts'
import { buildTestContainer } from '../support/test-context.ts'

// One contract, every engine: SQLite FTS5 and PostgreSQL text search.
for (const dialect of DIALECTS) runSearchContract({ name: dialect, make: () => buildTestContainer(dialect) })
