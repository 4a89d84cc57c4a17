import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DomainError } from '../../src/shared/errors.ts'
import type { Clock } from '../../src/shared/clock.ts'
import { DIALECTS } from '../support/dialects.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'

const PASSWORD = 'the right password'

for (const dialect of DIALECTS) {
  describe(`${dialect}: failed sign-ins per account`, () => {
    let now = Date.parse('2026-03-01T09:00:00Z')
    const clock: Clock = { now: () => new Date(now) }
    let t: TestContainer
    beforeAll(async () => {
      t = await buildTestContainer(dialect, { clock })
      await t.container.auth.createUser({ email: 'reporter@example.org', name: 'Reporter', role: 'author', password: PASSWORD })
    })
    afterAll(async () => t?.cleanup())

    const codeOf = async (email: string, password: string) => {
      try {
        await t.container.auth.signIn(email, password)
        return 'OK'
      } catch (error) {
        if (error instanceof DomainError) return error.code
        throw error
      }
    }

    it('slows down after five failures, pauses after ten, and lets the right password in once the pause ends', async () => {
      const email = 'Reporter@Example.org'
      for (let i = 0; i < 5; i++) expect(await codeOf(email, 'wrong')).toBe('AUTH_INVALID_CREDENTIALS')
      // The sixth attempt must wait a second, even with the right password.
      expect(await codeOf(email, PASSWORD)).toBe('AUTH_THROTTLED')
      for (let i = 5; i < 10; i++) {
        now += 60_000
        expect(await codeOf(email, 'wrong')).toBe('AUTH_INVALID_CREDENTIALS')
      }
      now += 60_000
      expect(await codeOf(email, PASSWORD)).toBe('AUTH_THROTTLED')
      now += 14 * 60_000
      expect(await codeOf(email, PASSWORD)).toBe('OK')
      // Success forgets the failures.
      expect(await codeOf(email, 'wrong')).toBe('AUTH_INVALID_CREDENTIALS')
      expect(await codeOf(email, PASSWORD)).toBe('OK')
    })

    it('treats an address without an account exactly alike, and a quiet window starts over', async () => {
      const email = 'nobody@example.org'
      for (let i = 0; i < 5; i++) expect(await codeOf(email, 'wrong')).toBe('AUTH_INVALID_CREDENTIALS')
      expect(await codeOf(email, 'wrong')).toBe('AUTH_THROTTLED')
      now += 16 * 60_000
      expect(await codeOf(email, 'wrong')).toBe('AUTH_INVALID_CREDENTIALS')
      expect(await codeOf(email, 'wrong')).toBe('AUTH_INVALID_CREDENTIALS')
    })
  })
}
