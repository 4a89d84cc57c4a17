import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { verifyPassword } from '../../src/auth/index.ts'
import { openDatabase } from '../../src/db/open.ts'
import { runCli, startServe } from '../support/cli.ts'
import { DIALECTS } from '../support/dialects.ts'
import { parseHtml } from '../support/html.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts'

for (const dialect of DIALECTS) {
  describe(`${dialect}: first and later starts`, () => {
    let database: TestDatabase
    afterEach(async () => database?.drop())

    it('first start loads the demo and prints a generated admin password once; a second start keeps everything', async () => {
      database = await createTestDatabase(dialect)
      const first = await startServe(database.env)
      const home = await fetch(first.url)
      expect(home.status).toBe(200)
      const $ = parseHtml(await home.text())
      expect($('.site-name').text()).toBe('The Hemisphere Ledger')
      expect($('a[href^="/articles/"]').length).toBeGreaterThan(10)
      expect(await first.stop()).toBe(0)

      const printed = /password: (\S+)/.exec(first.stdout())?.[1]
      expect(printed).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/)
      expect(first.stdout()).toContain('admin@masthead.localhost')

      const open = await openDatabase(database.target)
      const admin = await open.db.selectFrom('users').selectAll().executeTakeFirstOrThrow()
      const articleCount = (await open.db.selectFrom('articles').select('id').execute()).length
      await open.close()
      expect(admin.role).toBe('admin')
      expect(admin.must_change_password).toBe(1)
      expect(admin.password_hash).not.toContain(printed)
      expect(await verifyPassword(printed!, admin.password_hash)).toBe(true)

      const second = await startServe(database.env)
      expect(await second.stop()).toBe(0)
      expect(second.stdout()).not.toContain('password')
      const again = await openDatabase(database.target)
      expect((await again.db.selectFrom('users').select('id').execute()).length).toBe(1)
      expect((await again.db.selectFrom('articles').select('id').execute()).length).toBe(articleCount)
      await again.close()
    })

    it('uses MASTHEAD_ADMIN_EMAIL and MASTHEAD_ADMIN_PASSWORD when set, and MASTHEAD_DEMO=false starts empty', async () => {
      database = await createTestDatabase(dialect)
      const server = await startServe({
        ...database.env,
        MASTHEAD_ADMIN_EMAIL: 'Editor@Example.org',
        MASTHEAD_ADMIN_PASSWORD: 'correct horse battery staple',
        MASTHEAD_DEMO: 'false',
      })
      const $ = parseHtml(await (await fetch(server.url)).text())
      expect(await server.stop()).toBe(0)
      expect($('.site-name').text()).toBe('Masthead')
      expect($('a[href^="/articles/"]')).toHaveLength(0)
      expect(server.stdout()).toContain('editor@example.org')
      expect(server.stdout()).not.toMatch(/password: [A-Za-z0-9]{5}-/)

      const open = await openDatabase(database.target)
      const admin = await open.db.selectFrom('users').selectAll().executeTakeFirstOrThrow()
      await open.close()
      expect(admin.email).toBe('editor@example.org')
      expect(admin.must_change_password).toBe(0)
      expect(await verifyPassword('correct horse battery staple', admin.password_hash)).toBe(true)
    })
  })
}

describe('start-up failures say what is wrong in one line', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'masthead-bad-'))
  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true })
    mkdirSync(scratch, { recursive: true })
  })

  async function expectFailure(env: Record<string, string>, pattern: RegExp) {
    const result = await runCli(['serve'], env)
    expect(result.code).not.toBe(0)
    const lines = result.stderr.trim().split('\n')
    expect(lines, result.stderr).toHaveLength(1)
    expect(lines[0]).toMatch(/^masthead: /)
    expect(lines[0]).toMatch(pattern)
  }

  it('a bad PORT', async () => {
    await expectFailure({ DATA_DIR: scratch, PORT: 'eighty' }, /PORT="eighty" must be a number/)
    await expectFailure({ DATA_DIR: scratch, PORT: '70000' }, /PORT="70000" must be between 0 and 65535/)
  })

  it('a DATA_DIR whose parent is missing, or that is a file', async () => {
    await expectFailure({ DATA_DIR: path.join(scratch, 'nope', 'data') }, /DATA_DIR .*nope\/data does not exist, and neither does its parent/)
    const file = path.join(scratch, 'a-file')
    writeFileSync(file, 'x')
    await expectFailure({ DATA_DIR: file }, /DATA_DIR .*a-file is not a directory/)
  })

  it('an unreachable or malformed DATABASE_URL', async () => {
    await expectFailure(
      { DATA_DIR: scratch, DATABASE_URL: 'postgres://someone:secret@127.0.0.1:1/nowhere' },
      /Cannot connect to PostgreSQL at postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nowhere \(ECONNREFUSED\)/,
    )
    await expectFailure({ DATA_DIR: scratch, DATABASE_URL: 'mysql://localhost/db' }, /DATABASE_URL=.* must be a postgres:\/\/ URL/)
  })

  it('MEDIA_STORE=s3 without its bucket settings, or with a plain-http public address', async () => {
    await expectFailure({ DATA_DIR: scratch, MEDIA_STORE: 's3', S3_REGION: 'eu-west-1' }, /MEDIA_STORE=s3 needs S3_BUCKET, S3_PUBLIC_URL \(/)
    await expectFailure(
      { DATA_DIR: scratch, MEDIA_STORE: 's3', S3_BUCKET: 'pictures', S3_REGION: 'eu-west-1', S3_PUBLIC_URL: 'http://cdn.example.org/' },
      /S3_PUBLIC_URL="http:\/\/cdn.example.org\/" must be an https:\/\/ URL/,
    )
  })

  it('a port already in use', async () => {
    const { createServer } = await import('node:net')
    const blocker = createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
    const port = (blocker.address() as { port: number }).port
    try {
      await expectFailure({ DATA_DIR: scratch, PORT: String(port), MASTHEAD_DEMO: 'false' }, new RegExp(`Port ${port} on 127.0.0.1 is already in use`))
    } finally {
      blocker.close()
    }
  })
})

describe('the CLI', () => {
  it('explains itself and creates users', async () => {
    const help = await runCli(['--help'], {})
    expect(help.code).toBe(0)
    for (const command of ['serve', 'migrate', 'seed', 'user']) expect(help.stdout).toContain(command)

    const dir = mkdtempSync(path.join(os.tmpdir(), 'masthead-cli-'))
    try {
      const migrate = await runCli(['migrate'], { DATA_DIR: dir })
      expect(migrate.code).toBe(0)
      expect(migrate.stdout).toContain('Success  2026_11_26_1330_create_content_tables')
      expect((await runCli(['migrate'], { DATA_DIR: dir })).stdout).toContain('Schema is up to date.')

      const created = await runCli(['user', 'create', '--email', 'rep@example.org', '--name', 'A Reporter', '--role', 'author'], { DATA_DIR: dir })
      expect(created.code).toBe(0)
      expect(created.stdout).toMatch(/Created author rep@example.org \(usr_[0-9a-z]+\)/)
      expect(created.stdout).toMatch(/One-time password: \S+/)

      const duplicate = await runCli(['user', 'create', '--email', 'rep@example.org', '--name', 'Again'], { DATA_DIR: dir })
      expect(duplicate.code).toBe(1)
      expect(duplicate.stderr).toContain('A user with email rep@example.org exists.')

      const badRole = await runCli(['user', 'create', '--email', 'x@example.org', '--name', 'X', '--role', 'boss'], { DATA_DIR: dir })
      expect(badRole.code).toBe(1)
      expect(badRole.stderr).toContain('role:')

      const listed = await runCli(['user', 'list'], { DATA_DIR: dir })
      expect(listed.stdout).toMatch(/^rep@example\.org\tauthor\tactive\t2FA off\tnever signed in\tA Reporter$/m)
      const reset = await runCli(['user', 'reset-password', 'rep@example.org'], { DATA_DIR: dir })
      expect(reset.code).toBe(0)
      expect(reset.stdout).toMatch(/New one-time password for rep@example\.org: \S+/)
      expect((await runCli(['user', 'reset-password', 'nobody@example.org'], { DATA_DIR: dir })).stderr).toContain('No account has the address nobody@example.org.')
      expect((await runCli(['user', 'deactivate', 'rep@example.org'], { DATA_DIR: dir })).stdout).toContain('Deactivated rep@example.org')
      expect((await runCli(['user', 'list'], { DATA_DIR: dir })).stdout).toMatch(/^rep@example\.org\tauthor\tdeactivated/m)

      const seeded = await runCli(['seed', 'demo'], { DATA_DIR: dir })
      expect(seeded.code).toBe(0)
      expect(seeded.stdout).toMatch(/Loaded the demo paper: \d+ articles\./)
      const twice = await runCli(['seed', 'demo'], { DATA_DIR: dir })
      expect(twice.code).toBe(1)
      expect(twice.stderr).toContain('only loads into an empty site')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    // A dozen child processes, each starting TypeScript: slow on a busy machine, so a generous limit.
  }, 180_000)
})
