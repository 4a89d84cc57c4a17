import { Secret, TOTP } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditAction } from '../../src/audit/index.ts'
import type { Clock } from '../../src/shared/clock.ts'
import { DomainError } from '../../src/shared/errors.ts'
import { runCli } from '../support/cli.ts'
import { DIALECTS } from '../support/dialects.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'

const HOUR = 3600_000
const DAY = 24 * HOUR

/** A clock the test moves by hand: links expire and TOTP codes change only when it says so. */
function movableClock(startIso: string): Clock & { advance(ms: number): void; set(iso: string): void } {
  let now = new Date(startIso).getTime()
  return {
    now: () => new Date(now),
    advance: (ms) => void (now += ms),
    set: (iso) => void (now = new Date(iso).getTime()),
  }
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(DomainError)
  return error as DomainError
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: staff accounts, links, two-factor sign-in and the audit log`, () => {
    const clock = movableClock('2026-03-02T09:00:00.000Z')
    let t: TestContainer
    let admin: { userId: string; role: 'admin' }
    let editor: { userId: string; role: 'editor' }

    beforeAll(async () => {
      t = await buildTestContainer(dialect, { clock })
      const { auth } = t.container
      const chief = await auth.createUser({ email: 'chief@ledger.example', name: 'Chief', password: 'the chief password', role: 'admin' })
      const ed = await auth.createUser({ email: 'ed@ledger.example', name: 'Ed Editor', password: 'ed the night editor', role: 'editor' })
      admin = { userId: chief.user.id, role: 'admin' }
      editor = { userId: ed.user.id, role: 'editor' }
    })
    afterAll(async () => t?.cleanup())

    /**
     * The audit actions recorded since `since`, sorted by name: the test clock
     * stands still, so entries of one moment have no order between them.
     */
    async function actionsSince(since: string): Promise<AuditAction[]> {
      const page = await t.container.audit.list({}, { page: 1, perPage: 200 })
      return page.items
        .filter((e) => e.at >= since)
        .map((e) => e.action)
        .sort()
    }

    it('invitations: admins only, one use, seven days, and the address must be free', async () => {
      const { auth } = t.container
      const since = clock.now().toISOString()
      expect((await refusal(auth.invite(editor, { email: 'new@ledger.example', role: 'author' }))).kind).toBe('forbidden')
      expect((await refusal(auth.invite(admin, { email: 'ed@ledger.example', role: 'author' }))).code).toBe('USER_EMAIL_TAKEN')
      expect((await refusal(auth.invite(admin, { email: 'not an address', role: 'author' }))).kind).toBe('invalid')

      const first = await auth.invite(admin, { email: 'Nadia@Ledger.example', role: 'author' })
      expect(first.email).toBe('nadia@ledger.example')
      // A second invitation to the same address replaces the first.
      const second = await auth.invite(admin, { email: 'nadia@ledger.example', role: 'author' })
      expect((await refusal(auth.invitation(first.token))).code).toBe('AUTH_LINK_INVALID')
      expect(await auth.invitation(second.token)).toMatchObject({ email: 'nadia@ledger.example', role: 'author' })

      expect((await refusal(auth.acceptInvitation(second.token, { name: 'Nadia', password: 'short' }))).kind).toBe('invalid')
      const accepted = await auth.acceptInvitation(second.token, { name: 'Nadia Reyes', password: 'nadia writes the news' })
      expect(await auth.userForSession(accepted.sessionToken)).toMatchObject({ email: 'nadia@ledger.example', role: 'author' })
      expect((await refusal(auth.acceptInvitation(second.token, { name: 'Someone', password: 'someone else entirely' }))).code).toBe('AUTH_LINK_INVALID')

      const late = await auth.invite(admin, { email: 'late@ledger.example', role: 'contributor' })
      clock.advance(7 * DAY - 1000)
      expect(await auth.invitation(late.token)).toMatchObject({ email: 'late@ledger.example' })
      clock.advance(2000)
      expect((await refusal(auth.invitation(late.token))).code).toBe('AUTH_LINK_INVALID')
      expect((await refusal(auth.invitation('not-a-token'))).code).toBe('AUTH_LINK_INVALID')

      // Refused invitations left no entry; the three that were made and the one accepted did.
      expect(await actionsSince(since)).toEqual(['staff.invited', 'staff.invited', 'staff.invited', 'staff.joined'])
    })

    it('password reset: one use, an hour, no answer that tells whether an account exists, every session ends', async () => {
      const { auth } = t.container
      expect(await auth.requestPasswordReset('nobody@ledger.example')).toBeNull()
      expect(await auth.requestPasswordReset('not an address')).toBeNull()
      const signedIn = await auth.signIn('ed@ledger.example', 'ed the night editor')
      expect(signedIn.kind).toBe('signed_in')
      const session = signedIn.kind === 'signed_in' ? signedIn.token : ''

      const expired = await auth.requestPasswordReset('ed@ledger.example')
      clock.advance(HOUR + 1000)
      expect((await refusal(auth.resetPassword(expired!.token, 'a brand new password'))).code).toBe('AUTH_LINK_INVALID')

      const link = await auth.requestPasswordReset('ED@ledger.example ')
      expect(link?.user.email).toBe('ed@ledger.example')
      expect((await refusal(auth.resetPassword(link!.token, 'short'))).kind).toBe('invalid')
      await auth.resetPassword(link!.token, 'a brand new password')
      expect(await auth.userForSession(session)).toBeNull()
      expect((await refusal(auth.resetPassword(link!.token, 'yet another password'))).code).toBe('AUTH_LINK_INVALID')
      expect((await auth.signIn('ed@ledger.example', 'a brand new password')).kind).toBe('signed_in')
    })

    it('email change: confirmed by a link to the new address, once, within a day', async () => {
      const { auth } = t.container
      expect((await refusal(auth.requestEmailChange(editor.userId, { email: 'edward@ledger.example', password: 'wrong password' }))).code).toBe('AUTH_PASSWORD_INVALID')
      expect((await refusal(auth.requestEmailChange(editor.userId, { email: 'chief@ledger.example', password: 'a brand new password' }))).code).toBe('USER_EMAIL_TAKEN')
      const stale = await auth.requestEmailChange(editor.userId, { email: 'edward@ledger.example', password: 'a brand new password' })
      clock.advance(DAY + 1000)
      expect((await refusal(auth.confirmEmailChange(stale.token))).code).toBe('AUTH_LINK_INVALID')
      const link = await auth.requestEmailChange(editor.userId, { email: 'edward@ledger.example', password: 'a brand new password' })
      expect(await auth.confirmEmailChange(link.token)).toEqual({ email: 'edward@ledger.example' })
      expect((await refusal(auth.confirmEmailChange(link.token))).code).toBe('AUTH_LINK_INVALID')
      expect(await auth.findByEmail('ed@ledger.example')).toBeNull()
      expect((await auth.findByEmail('edward@ledger.example'))?.id).toBe(editor.userId)
    })

    it('two-factor sign-in: TOTP codes on a fixed clock, never the same code twice, recovery codes once each', async () => {
      const { auth } = t.container
      clock.set('2026-04-01T10:00:05.000Z')
      const setup = await auth.beginTwoFactor(editor.userId)
      expect(setup.uri).toMatch(/^otpauth:\/\/totp\//)
      const app = new TOTP({ secret: Secret.fromBase32(setup.secret), algorithm: 'SHA1', digits: 6, period: 30 })
      const codeAt = (iso: string) => app.generate({ timestamp: new Date(iso).getTime() })

      expect((await refusal(auth.enableTwoFactor(editor.userId, codeAt('2026-04-01T10:05:00.000Z')))).code).toBe('AUTH_CODE_INVALID')
      const recovery = await auth.enableTwoFactor(editor.userId, codeAt('2026-04-01T10:00:05.000Z'))
      expect(recovery).toHaveLength(10)
      expect(new Set(recovery).size).toBe(10)

      // The password alone no longer opens a session.
      clock.set('2026-04-01T10:01:00.000Z')
      const step = await auth.signIn('edward@ledger.example', 'a brand new password')
      expect(step.kind).toBe('second_factor')
      const challenge = step.kind === 'second_factor' ? step.challenge : ''
      expect((await refusal(auth.completeSignIn(challenge, '000000'))).code).toBe('AUTH_CODE_INVALID')
      expect((await refusal(auth.completeSignIn(challenge, codeAt('2026-04-01T10:03:00.000Z')))).code).toBe('AUTH_CODE_INVALID')
      // One step of drift either way is fine.
      const code = codeAt('2026-04-01T10:00:35.000Z')
      const done = await auth.completeSignIn(challenge, code)
      expect(await auth.userForSession(done.token)).toMatchObject({ id: editor.userId })
      expect((await refusal(auth.completeSignIn(challenge, code))).code).toBe('AUTH_SECOND_FACTOR_EXPIRED')

      // The same code, seen over a shoulder, does not work in a new sign-in.
      const again = await auth.signIn('edward@ledger.example', 'a brand new password')
      const challenge2 = again.kind === 'second_factor' ? again.challenge : ''
      expect((await refusal(auth.completeSignIn(challenge2, code))).code).toBe('AUTH_CODE_INVALID')
      expect(await auth.completeSignIn(challenge2, recovery[0]!.toUpperCase())).toMatchObject({ user: { id: editor.userId } })
      expect(await auth.recoveryCodesLeft(editor.userId)).toBe(9)

      const third = await auth.signIn('edward@ledger.example', 'a brand new password')
      const challenge3 = third.kind === 'second_factor' ? third.challenge : ''
      expect((await refusal(auth.completeSignIn(challenge3, recovery[0]!))).code).toBe('AUTH_CODE_INVALID')
      clock.set('2026-04-01T10:02:00.000Z')
      expect(await auth.completeSignIn(challenge3, codeAt('2026-04-01T10:02:00.000Z'))).toMatchObject({ user: { id: editor.userId } })

      // A challenge lasts minutes, not hours.
      const slow = await auth.signIn('edward@ledger.example', 'a brand new password')
      clock.advance(HOUR)
      const challenge4 = slow.kind === 'second_factor' ? slow.challenge : ''
      expect((await refusal(auth.completeSignIn(challenge4, app.generate({ timestamp: clock.now().getTime() })))).code).toBe('AUTH_SECOND_FACTOR_EXPIRED')

      expect((await refusal(auth.disableTwoFactor(editor.userId, 'wrong password'))).code).toBe('AUTH_PASSWORD_INVALID')
      await auth.disableTwoFactor(editor.userId, 'a brand new password')
      expect((await auth.signIn('edward@ledger.example', 'a brand new password')).kind).toBe('signed_in')
    })

    it('deactivation ends a live session at once, keeps the last admin, and is on record', async () => {
      const { auth } = t.container
      clock.advance(60_000)
      const since = clock.now().toISOString()
      const live = await auth.signIn('nadia@ledger.example', 'nadia writes the news')
      const token = live.kind === 'signed_in' ? live.token : ''
      expect(await auth.userForSession(token)).not.toBeNull()
      const nadia = (await auth.findByEmail('nadia@ledger.example'))!

      expect((await refusal(auth.deactivate(editor, nadia.id))).kind).toBe('forbidden')
      expect((await refusal(auth.changeRole(editor, nadia.id, 'admin'))).kind).toBe('forbidden')
      expect((await refusal(auth.deactivate(admin, admin.userId))).code).toBe('STAFF_LAST_ADMIN')
      expect((await refusal(auth.changeRole(admin, admin.userId, 'editor'))).code).toBe('STAFF_LAST_ADMIN')

      await auth.deactivate(admin, nadia.id)
      expect(await auth.userForSession(token)).toBeNull()
      expect((await refusal(auth.signIn('nadia@ledger.example', 'nadia writes the news'))).kind).toBe('unauthenticated')
      await auth.reactivate(admin, nadia.id)
      expect((await auth.signIn('nadia@ledger.example', 'nadia writes the news')).kind).toBe('signed_in')

      // With a second admin, the first may step down.
      await auth.changeRole(admin, editor.userId, 'admin')
      await auth.changeRole(admin, admin.userId, 'editor')
      expect(await auth.countAdmins()).toBe(1)

      expect(await actionsSince(since)).toEqual(['auth.sign_in', 'auth.sign_in', 'auth.sign_in_failed', 'staff.deactivated', 'staff.reactivated', 'staff.role_changed', 'staff.role_changed'])
    })
  })
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: two admins demoting each other at once`, () => {
    let t: TestContainer
    afterAll(async () => t?.cleanup())

    it('leaves one of them an admin: the second waits for the first and is refused', async () => {
      t = await buildTestContainer(dialect)
      const { auth } = t.container
      const one = (await auth.createUser({ email: 'one@ledger.example', name: 'One', password: 'the first admin password', role: 'admin' })).user
      const two = (await auth.createUser({ email: 'two@ledger.example', name: 'Two', password: 'the second admin password', role: 'admin' })).user
      const asOne = { userId: one.id, role: 'admin' as const }
      const asTwo = { userId: two.id, role: 'admin' as const }
      // Several rounds, each alternating who steps down how: a race is not lost every time.
      for (let round = 0; round < 6; round++) {
        const outcomes = await Promise.allSettled(
          round % 2 === 0 ? [auth.changeRole(asOne, two.id, 'editor'), auth.changeRole(asTwo, one.id, 'editor')] : [auth.deactivate(asOne, two.id), auth.deactivate(asTwo, one.id)],
        )
        expect(await auth.countAdmins()).toBe(1)
        const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')
        expect(refused.map((o) => (o.reason as { code?: string }).code)).toEqual(['STAFF_LAST_ADMIN'])
        // Put both back for the next round, by whoever is still an admin.
        const first = await auth.getMember(one.id)
        const still = first.role === 'admin' && !first.deactivatedAt ? asOne : asTwo
        for (const member of [one, two]) {
          if ((await auth.getMember(member.id)).deactivatedAt) await auth.reactivate(still, member.id)
          if ((await auth.getMember(member.id)).role !== 'admin') await auth.changeRole(still, member.id, 'admin')
        }
      }
    })
  })
}

describe('masthead user reset-two-factor: for someone who lost app and recovery codes when no admin can help', () => {
  let t: TestContainer
  beforeAll(async () => {
    t = await buildTestContainer('sqlite')
  })
  afterAll(async () => t?.cleanup())

  it('turns two-factor sign-in off, ends every session, is on record, and reset-password says it stays on', async () => {
    const { auth, audit } = t.container
    const { user } = await auth.createUser({ email: 'lost@ledger.example', name: 'Lou Lost', password: 'lou lost the phone', role: 'editor' })
    const setup = await auth.beginTwoFactor(user.id)
    await auth.enableTwoFactor(user.id, new TOTP({ secret: Secret.fromBase32(setup.secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate())
    const step = await auth.signIn('lost@ledger.example', 'lou lost the phone')
    expect(step.kind).toBe('second_factor')

    const reset = await runCli(['user', 'reset-password', 'lost@ledger.example'], t.database.env)
    expect(reset.code).toBe(0)
    expect(reset.stdout).toContain('Two-factor sign-in stays on; if its app and recovery codes are lost too: masthead user reset-two-factor lost@ledger.example')
    const password = /New one-time password for \S+: (\S+)/.exec(reset.stdout)![1]!
    expect((await auth.signIn('lost@ledger.example', password)).kind).toBe('second_factor')

    const off = await runCli(['user', 'reset-two-factor', 'LOST@ledger.example'], t.database.env)
    expect(off.code, off.stderr).toBe(0)
    expect(off.stdout).toContain('Two-factor sign-in is off for LOST@ledger.example; every session ended.')
    expect((await auth.getMember(user.id)).hasTwoFactor).toBe(false)
    expect(await auth.recoveryCodesLeft(user.id)).toBe(0)
    const signedIn = await auth.signIn('lost@ledger.example', password)
    expect(signedIn).toMatchObject({ kind: 'signed_in', mustChangePassword: true })

    const entries = (await audit.list({ action: 'staff.two_factor_reset' }, { page: 1, perPage: 10 })).items
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ actorId: null, targetId: user.id })
    expect(entries[0]!.summary).toContain('from the command line')

    // Again: nothing to do, said so; unknown addresses are refused.
    expect((await runCli(['user', 'reset-two-factor', 'lost@ledger.example'], t.database.env)).stdout).toContain('was not on')
    const unknown = await runCli(['user', 'reset-two-factor', 'nobody@ledger.example'], t.database.env)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('No account has the address nobody@ledger.example.')
    expect((await audit.list({ action: 'staff.two_factor_reset' }, { page: 1, perPage: 10 })).items).toHaveLength(1)
  }, 120_000)
})
