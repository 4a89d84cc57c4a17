import { randomFillSync } from 'node:crypto'

/** Prefixes of public ids, one per kind of record; ids never change once issued. */
export type IdPrefix = 'art' | 'sec' | 'tag' | 'aut' | 'src' | 'rev' | 'cor' | 'usr' | 'wire' | 'wver' | 'raw' | 'wsrc' | 'wrule' | 'evt' | 'snp' | 'cfl' | 'ntf' | 'aud' | 'med' | 'key' | 'sub' | 'sat' | 'snt' | 'tmg' | 'whk' | 'whe' | 'whd' | 'wha' | 'tok'

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'

// Random bytes drawn a few kilobytes at a time: asking the system for ten
// bytes per id was a tenth of what storing a wire backfill cost. Each byte is
// used once.
const pool = new Uint8Array(4096)
let poolAt = pool.length

/**
 * A new public id such as `art_01hv3k9x2m4q7t8w`: a millisecond time prefix (so ids
 * sort roughly by creation) and 50 random bits.
 * @example newId('art') // 'art_0k3f9a1bq2x7m4ps'
 */
export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  let time = ''
  let t = now
  for (let i = 0; i < 9; i++) {
    time = ALPHABET[t % 32] + time
    t = Math.floor(t / 32)
  }
  if (poolAt + 10 > pool.length) {
    randomFillSync(pool)
    poolAt = 0
  }
  let rand = ''
  for (let i = 0; i < 10; i++) rand += ALPHABET[pool[poolAt++]! % 32]
  return `${prefix}_${time}${rand}`
}

