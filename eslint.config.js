// Lint rules, including the dependency rules of STYLE.md §3.2: a violation of
// the architecture fails `npm run lint` in CI instead of relying on review.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const DOMAIN = ['articles', 'sections', 'authors', 'sources', 'settings', 'auth', 'wire', 'media', 'submissions', 'mail', 'notifications', 'audit', 'search', 'quotes', 'importers', 'jobs', 'webhooks', 'html-to-blocks']
const SURFACES = ['site', 'admin', 'api', 'feeds']

const FRAMEWORKS = ['fastify', '@fastify/*', 'preact', 'preact/*', 'preact-render-to-string', 'pg', 'better-sqlite3', 'node:http', 'node:https', 'commander']

/** Another capability folder may be imported only through its index.ts (and db/database.ts for types). */
const onlyIndexes = (up) => ({
  group: [`${up}*/*`, `!${up}*/index.ts`, `!${up}shared/*`, `!${up}db/database.ts`, `!${up}db/prepared.ts`],
  message: 'Import another folder only through its index.ts (STYLE.md §3.2).',
})

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'bench/out/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain JavaScript run by Node (the command line, the build, the wire parser's process entry).
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', performance: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../*'], message: 'src/shared imports nothing from src/.' }] }],
    },
  },
  {
    files: DOMAIN.map((d) => `src/${d}/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: FRAMEWORKS, message: 'Domain code knows nothing of HTTP, views or database drivers.' },
            onlyIndexes('../'),
          ],
        },
      ],
    },
  },
  {
    // Adapter subfolders (wire/formats, wire/sources) may use parsers and the network, never views or the server.
    files: DOMAIN.map((d) => `src/${d}/*/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['fastify', '@fastify/*', 'preact', 'preact/*'], message: 'Adapters do not know the web framework or views.' },
            onlyIndexes('../../'),
          ],
        },
      ],
    },
  },
  {
    files: SURFACES.flatMap((s) => [`src/${s}/*.ts`, `src/${s}/*.tsx`]),
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['kysely', 'pg', 'better-sqlite3'], message: 'Surfaces call services; they never touch the database.' }, onlyIndexes('../')] },
      ],
    },
  },
  {
    files: SURFACES.flatMap((s) => [`src/${s}/*/**/*.ts`, `src/${s}/*/**/*.tsx`]),
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['kysely', 'pg', 'better-sqlite3'], message: 'Surfaces call services; they never touch the database.' }, onlyIndexes('../../')] },
      ],
    },
  },
  {
    // The story editor (src/admin/editor) is browser code bundled by esbuild. It may take the link rule
    // from articles/links.ts (dependency-free) and types from articles/body.ts directly: the articles
    // index.ts would drag zod, the service and Kysely into the bundle. Values from body.ts are refused.
    files: ['src/admin/editor/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['kysely', 'pg', 'better-sqlite3'], message: 'Surfaces call services; they never touch the database.' },
            { group: ['../../articles/body.ts'], allowTypeImports: true, message: 'Only types from body.ts: its zod schemas would weigh down the browser bundle.' },
            { ...onlyIndexes('../../'), group: [...onlyIndexes('../../').group, '!../../articles/links.ts', '!../../articles/body.ts'] },
          ],
        },
      ],
    },
  },
  {
    files: ['src/admin/editor/browser/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'zod', ...FRAMEWORKS, 'kysely'], message: 'The editor bundle runs in the browser: no Node modules, no zod, no server code.' },
            { group: ['../../../articles/body.ts'], allowTypeImports: true, message: 'Only types from body.ts: its zod schemas would weigh down the browser bundle.' },
            { ...onlyIndexes('../../../'), group: [...onlyIndexes('../../../').group, '!../../../articles/links.ts', '!../../../articles/body.ts'] },
          ],
        },
      ],
    },
  },
  {
    // The reader forms' scripts (proof of work, tips sealed with age): small, browser only.
    files: ['src/site/browser/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            // proof-rule.ts is the one server file they share: the proof's rule, plain TypeScript.
            { group: ['node:*', 'zod', ...FRAMEWORKS, 'kysely', '../*.ts*', '../views/*', '../../*/*', '!../../submissions/proof-rule.ts'], message: 'The reader scripts run in the browser: no Node modules, no zod, no server code.' },
          ],
        },
      ],
    },
  },
  {
    // Unit tests beside the code may use the shared test support (fixtures); the boundaries are for the code itself.
    files: ['src/**/*.test.ts', 'src/**/*.case.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Only the composition root and the CLI read the environment.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/server/**', 'src/cli/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration in src/server/config.ts and pass it in.' }],
    },
  },
)
