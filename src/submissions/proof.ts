import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { createRedisFallback } from '../rate-limits/index.ts'
import { bitsOf, leadingZeroBits, proofMessage } from './proof-rule.ts'

/**
 * Proof of work for the public forms. The server hands out a signed challenge
 * with each form; the browser's script looks for an answer such that
 * SHA-256(challenge ":" answer) starts with `bits` zero bits, and puts it in a
 * hidden field. A challenge is bound to its form kind and the time it was
 * issued, and each one is good for one send: a spent challenge is remembered
 * (in Redis when there is one) until it would be stale anyway.
 *
 * A send without an answer is not refused (no JavaScript, or sent before the
 * script finished): the form routes give it a lower rate limit instead.
 */

/** What a proof says: `none` when no answer came with the form. */
export type ProofCheck = 'ok' | 'none' | 'invalid' | 'stale' | 'replayed'

/** Remembers spent challenges until they expire; `spend` is true the first time only. */
export interface SpentStore {
  spend(key: string, ttlMs: number): Promise<boolean>
}

/** Spent challenges in this process's memory: enough for one process. */
export function createMemorySpentStore(now: () => number = Date.now): SpentStore {
  const spent = new Map<string, number>()
  return {
    async spend(key, ttlMs) {
      const t = now()
      if (spent.size > 10_000) for (const [k, until] of spent) if (until <= t) spent.delete(k)
      const until = spent.get(key)
      if (until !== undefined && until > t) return false
      spent.set(key, t + ttlMs)
      return true
    },
  }
}

/** The one Redis command the store needs. */
export interface RedisSet {
  set(key: string, value: string, px: 'PX', ttl: number, nx: 'NX'): Promise<unknown>
}

/**
 * Spent challenges in Redis, shared by every process (SET NX with an expiry).
 * When Redis cannot be reached, `fallback` decides in this process and
 * `onError` hears why: a reader is never refused because Redis is down.
 */
export function createRedisSpentStore(deps: { redis: RedisSet; prefix?: string; fallback: SpentStore; onError: (error: unknown) => void }): SpentStore {
  const prefix = deps.prefix ?? 'masthead:proof:'
  const run = createRedisFallback({ onError: deps.onError })
  return {
    spend: (key, ttlMs) =>
      run(
        async () => (await deps.redis.set(`${prefix}${key}`, '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK',
        () => deps.fallback.spend(key, ttlMs),
      ),
  }
}

export interface ProofOptions {
  secret: string
  now: () => number
  /** Leading zero bits asked for; each one doubles the expected work. */
  bits: number
  /** Seconds after which a challenge is stale. */
  maxAgeSeconds: number
  spent: SpentStore
}

/** Finds an answer the slow, obvious way: for tests and the benchmark. */
export function solveProof(challenge: string): string {
  const bits = bitsOf(challenge)
  for (let n = 0; ; n++) {
    if (leadingZeroBits(createHash('sha256').update(proofMessage(challenge, n.toString(36))).digest()) >= bits) return n.toString(36)
  }
}

/** Issues and checks challenges: `v1.<issued ms>.<random>.<bits>.<hmac(kind, …)>`. */
export function createProofOfWork(options: ProofOptions) {
  const sign = (kind: string, body: string) => createHmac('sha256', options.secret).update(`masthead proof v1\n${kind}\n${body}`).digest('base64url')
  return {
    bits: options.bits,
    issue(kind: string): string {
      const body = `v1.${options.now()}.${randomBytes(12).toString('base64url')}.${options.bits}`
      return `${body}.${sign(kind, body)}`
    },
    /** Checks the answer and spends the challenge; a challenge is spent only by a right answer. */
    async check(kind: string, challenge: unknown, answer: unknown): Promise<ProofCheck> {
      if ((answer === undefined || answer === '') && (challenge === undefined || typeof challenge === 'string')) return 'none'
      if (typeof challenge !== 'string' || typeof answer !== 'string' || challenge.length > 200 || answer.length > 40 || !/^[0-9a-z]+$/.test(answer)) return 'invalid'
      const parts = challenge.split('.')
      if (parts.length !== 5 || parts[0] !== 'v1' || !/^\d{1,15}$/.test(parts[1]!) || !/^\d{1,2}$/.test(parts[3]!)) return 'invalid'
      const body = parts.slice(0, 4).join('.')
      const expected = Buffer.from(sign(kind, body))
      const given = Buffer.from(parts[4]!)
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid'
      const bits = Number(parts[3])
      if (leadingZeroBits(createHash('sha256').update(proofMessage(challenge, answer)).digest()) < bits) return 'invalid'
      const ageMs = options.now() - Number(parts[1])
      if (ageMs > options.maxAgeSeconds * 1000 || ageMs < -60_000) return 'stale'
      const key = createHash('sha256').update(challenge).digest('base64url').slice(0, 22)
      return (await options.spent.spend(key, options.maxAgeSeconds * 1000 - ageMs + 1000)) ? 'ok' : 'replayed'
    },
  }
}
export type ProofOfWork = ReturnType<typeof createProofOfWork>
