import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ABANDONED_CLAIM_MS, createAdminTokens, createIdempotencyStore, IDEMPOTENCY_TTL_MS } from '../../src/api/admin/index.ts'
import type { Clock } from '../../src/shared/clock.ts'
import { DIALECTS } from '../support/dialects.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'

/** A clock the test moves by hand. */
function movableClock(start: string): Clock & { advance(ms: number): void } {
  let now = Date.parse(start)
  return { now: () => new Date(now), advance: (ms) => (now += ms) }
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: admin API tokens and stored answers`, () => {
    let t: TestContainer
    const clock = movableClock('2026-12-02T08:00:00.000Z')

    beforeAll(async () => {
      t = await buildTestContainer(dialect)
    }, 120_000)
    afterAll(async () => t?.cleanup())

    it('claims a key once: a retry waits, then replays; another request with the key is refused; after 24 hours the key is free', async () => {
      const store = createIdempotencyStore({ db: t.container.database.db, clock })
      expect(await store.claim('tok_a', 'k1', 'hash-1')).toEqual({ kind: 'new' })
      await expect(store.claim('tok_a', 'k1', 'hash-1')).rejects.toMatchObject({ code: 'ADMIN_API_IDEMPOTENCY_IN_PROGRESS', kind: 'conflict' })
      // Keys are per token.
      expect(await store.claim('tok_b', 'k1', 'hash-1')).toEqual({ kind: 'new' })
      await store.complete('tok_a', 'k1', { status: 201, body: { story: { id: 'art_1' } } })
      expect(await store.claim('tok_a', 'k1', 'hash-1')).toEqual({ kind: 'replay', status: 201, body: { story: { id: 'art_1' } } })
      await expect(store.claim('tok_a', 'k1', 'hash-2')).rejects.toMatchObject({ code: 'ADMIN_API_IDEMPOTENCY_MISMATCH', kind: 'invalid' })
      clock.advance(IDEMPOTENCY_TTL_MS - 1000)
      expect((await store.claim('tok_a', 'k1', 'hash-1')).kind).toBe('replay')
      clock.advance(2000)
      expect(await store.claim('tok_a', 'k1', 'hash-2')).toEqual({ kind: 'new' })
    })

    it('frees a key whose request failed on our side, but never a stored answer', async () => {
      const store = createIdempotencyStore({ db: t.container.database.db, clock })
      expect((await store.claim('tok_c', 'k2', 'h')).kind).toBe('new')
      await store.release('tok_c', 'k2')
      expect((await store.claim('tok_c', 'k2', 'h')).kind).toBe('new')
      await store.complete('tok_c', 'k2', { status: 200, body: {} })
      await store.release('tok_c', 'k2')
      expect((await store.claim('tok_c', 'k2', 'h')).kind).toBe('replay')
    })

    it('a claim marked in its change\'s transaction says the change committed; an unmarked one is taken over once its process must have died', async () => {
      const { db } = t.container.database
      const store = createIdempotencyStore({ db, clock })
      expect((await store.claim('tok_e', 'k3', 'h')).kind).toBe('new')
      await db.transaction().execute((trx) => store.markCommitted(trx, 'tok_e', 'k3', 'art_9'))
      expect(await store.claim('tok_e', 'k3', 'h')).toEqual({ kind: 'committed', ref: 'art_9' })
      // A committed change's claim is never freed for another run.
      await store.release('tok_e', 'k3')
      expect(await store.claim('tok_e', 'k3', 'h')).toEqual({ kind: 'committed', ref: 'art_9' })

      // A mark in a change that rolled back is no mark.
      expect((await store.claim('tok_e', 'k4', 'h')).kind).toBe('new')
      await expect(
        db.transaction().execute(async (trx) => {
          await store.markCommitted(trx, 'tok_e', 'k4', 'art_10')
          throw new Error('the change failed')
        }),
      ).rejects.toThrow('the change failed')
      await expect(store.claim('tok_e', 'k4', 'h')).rejects.toMatchObject({ code: 'ADMIN_API_IDEMPOTENCY_IN_PROGRESS' })
      clock.advance(ABANDONED_CLAIM_MS + 1000)
      // Taken over by one retry; the next one waits for it.
      expect(await store.claim('tok_e', 'k4', 'h')).toEqual({ kind: 'new' })
      await expect(store.claim('tok_e', 'k4', 'h')).rejects.toMatchObject({ code: 'ADMIN_API_IDEMPOTENCY_IN_PROGRESS' })
      expect((await store.claim('tok_e', 'k3', 'h')).kind).toBe('committed')
    })

    it('lets two racing first requests in once', async () => {
      const store = createIdempotencyStore({ db: t.container.database.db, clock })
      const outcomes = await Promise.allSettled([store.claim('tok_d', 'race', 'h'), store.claim('tok_d', 'race', 'h'), store.claim('tok_d', 'race', 'h')])
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'ADMIN_API_IDEMPOTENCY_IN_PROGRESS' })
    })

    it('refuses a token whose maker is deactivated, and one past its expiry', async () => {
      const { auth } = t.container
      const { user } = await auth.createUser({ email: 'maker@example.org', password: 'maker password 12', name: 'Mo Maker', role: 'admin' })
      const { user: other } = await auth.createUser({ email: 'other@example.org', password: 'other password 12', name: 'Ola Other', role: 'admin' })
      const tokens = createAdminTokens({ db: t.container.database.db, clock, activeStaff: (id) => auth.activeById(id) })
      const made = await tokens.create({ name: 'Robot', scopes: ['stories:read'], expiresInDays: 7 }, { userId: user.id })
      expect(await tokens.authenticate(made.token)).toMatchObject({ tokenId: made.id, userId: user.id, role: 'admin' })
      await auth.deactivate({ userId: other.id, role: 'admin' }, user.id)
      await expect(tokens.authenticate(made.token)).rejects.toMatchObject({ code: 'ADMIN_API_TOKEN_INVALID' })
      await auth.reactivate({ userId: other.id, role: 'admin' }, user.id)
      expect((await tokens.authenticate(made.token)).userId).toBe(user.id)
      clock.advance(7 * 86_400_000)
      await expect(tokens.authenticate(made.token)).rejects.toMatchObject({ code: 'ADMIN_API_TOKEN_INVALID' })
      await expect(tokens.create({ name: 'Bad', scopes: ['stories:read'], expiresInDays: 5 as never }, { userId: user.id })).rejects.toMatchObject({ code: 'ADMIN_API_TOKEN_FORM_INVALID' })
    })
  })
}
