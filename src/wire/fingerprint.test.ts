import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { bands, contentWords, DUPLICATE_THRESHOLD, minHash, minHashLoop, minHashScalar, similarity } from './fingerprint.ts'
import { MINHASH_WASM } from './minhash-wasm.ts'

// Original sample copy: the same three events as two fictional agencies might file them,
// plus stories on the same topics about different events.
const STORIES = {
  rateAcp:
    'Brazil central bank cuts Selic rate to 14.50% as inflation cools. BRASILIA (ACP) - Brazil\'s central bank lowered its benchmark Selic rate by half a percentage point to 14.50% on Wednesday, citing slowing consumer inflation and weaker credit growth. The monetary policy committee said further cuts would depend on the fiscal outlook. Economists had expected the reduction after December inflation came in below forecasts.',
  rateMeridian:
    'Brazil trims benchmark rate by 50 basis points. SAO PAULO (Meridian) - The Banco Central do Brasil cut the Selic by 50 basis points to 14.50% on Wednesday, its monetary policy committee said, pointing to cooling inflation and a slowdown in credit. Most economists polled had forecast the cut. The committee signalled that the pace of further easing would hinge on the government\'s fiscal targets.',
  quakeAn:
    'Magnitude 6.1 earthquake shakes southern Peru, no deaths reported. LIMA (AN) - A magnitude 6.1 earthquake struck the Arequipa region of southern Peru early on Thursday, damaging adobe houses and a colonial church, civil defence officials said. No deaths were reported. The quake was centred 40 km south of Chala at a depth of 35 km, the geophysical institute said.',
  quakeAcp:
    'Strong quake hits Peru\'s Arequipa region. LIMA (ACP) - An earthquake of magnitude 6.1 shook southern Peru on Thursday morning, cracking adobe homes and damaging a church in the Arequipa region, according to civil defence. There were no reports of deaths. The geophysical institute located the epicentre near Chala at a depth of 35 kilometres.',
  strikeMeridian:
    'Santos dockworkers walk out over pay and automation. SANTOS (Meridian) - Dockworkers at Brazil\'s port of Santos stopped work on Friday over wages and plans to automate container cranes, halting grain loading and delaying at least 14 ships, the port authority said. The union said the strike would last 24 hours.',
  strikeAn:
    'Strike halts loading at Brazil\'s Santos port. SANTOS, Brazil (AN) - A 24-hour strike by dockworkers at Santos, Brazil\'s largest port, halted grain and container loading on Friday, with 14 ships delayed, according to the port authority. Workers are protesting over pay and the planned automation of cranes.',
  otherRate:
    'Chile central bank holds rate at 5% and warns on copper prices. SANTIAGO (ACP) - Chile\'s central bank kept its policy rate unchanged at 5% on Tuesday, saying lower copper prices and a stronger dollar called for caution. Board members voted unanimously. Analysts expect cuts to resume in the second quarter.',
  otherQuake:
    'Volcano alert raised in Ecuador after ash emissions. QUITO (Meridian) - Ecuador raised the alert level for the Sangay volcano to orange on Monday after a week of ash emissions that closed schools in two provinces, the risk management agency said. Flights to Guayaquil were not affected.',
  otherPort:
    'Rotterdam port reports record transshipment volumes. ROTTERDAM (AN) - The port of Rotterdam handled a record volume of transshipped containers last year, its operator said on Tuesday, helped by diverted Asia-Europe traffic and new automated terminals. Dry bulk volumes fell.',
}

const sig = Object.fromEntries(Object.entries(STORIES).map(([k, v]) => [k, minHash(v)])) as Record<keyof typeof STORIES, string>

describe('near-duplicate fingerprints', () => {
  it('finds the same event from two agencies', () => {
    for (const [a, b] of [
      ['rateAcp', 'rateMeridian'],
      ['quakeAn', 'quakeAcp'],
      ['strikeMeridian', 'strikeAn'],
    ] as const) {
      expect(similarity(sig[a], sig[b]), `${a} ~ ${b}`).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD)
    }
  })

  it('keeps different events apart, even on the same topic', () => {
    const pairs: [keyof typeof STORIES, keyof typeof STORIES][] = [
      ['rateAcp', 'otherRate'],
      ['rateMeridian', 'otherRate'],
      ['quakeAn', 'otherQuake'],
      ['strikeAn', 'otherPort'],
      ['strikeMeridian', 'otherPort'],
      ['rateAcp', 'strikeAn'],
      ['quakeAcp', 'rateMeridian'],
    ]
    for (const [a, b] of pairs) expect(similarity(sig[a], sig[b]), `${a} vs ${b}`).toBeLessThan(DUPLICATE_THRESHOLD)
  })

  it('is deterministic, symmetric and 1 for identical text', () => {
    expect(minHash(STORIES.rateAcp)).toBe(sig.rateAcp)
    expect(similarity(sig.rateAcp, sig.quakeAn)).toBe(similarity(sig.quakeAn, sig.rateAcp))
    expect(similarity(sig.rateAcp, sig.rateAcp)).toBe(1)
    expect(similarity(minHash(''), minHash(''))).toBe(0)
  })

  it('puts every duplicate pair in a shared LSH band, so the index finds it', () => {
    for (const [a, b] of [
      ['rateAcp', 'rateMeridian'],
      ['quakeAn', 'quakeAcp'],
      ['strikeMeridian', 'strikeAn'],
    ] as const) {
      const shared = bands(sig[a]).filter((band) => bands(sig[b]).includes(band))
      expect(shared.length, `${a} ~ ${b}`).toBeGreaterThan(0)
    }
    expect(bands(sig.rateAcp)).toHaveLength(64)
    expect(bands(minHash(''))).toEqual([])
  })

  it('ignores case, accents and filler words', () => {
    expect([...contentWords('The Bogotá talks, and THE talks in São Paulo')]).toEqual(['bogota', 'talk', 'sao', 'paulo'])
  })

  it('folds -ing, -ed, -es and -s only where four letters are left, and keeps short numbers', () => {
    expect([...contentWords('Cooling cools cuts based bases boxes wed tired sings things kings seeing 7 42 x9 ab 2026s')]).toEqual([
      'cool', 'cuts', 'based', 'base', 'boxe', 'wed', 'tired', 'sing', 'thing', 'king', 'seeing', '7', '42', '2026s',
    ])
  })
})

describe('minHash arithmetic', () => {
  /** The signature as first written: two FNV-1a hashes per word, k-th hash h1 + k·h2 as unsigned 32-bit numbers. */
  function reference(text: string): string {
    const fnv1a = (word: string, seed: number) => {
      let hash = seed >>> 0
      for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 0x01000193)
      return hash >>> 0
    }
    const mins = new Uint32Array(128).fill(0xffffffff)
    for (const word of contentWords(text)) {
      const h1 = fnv1a(word, 0x811c9dc5)
      const h2 = fnv1a(word, 0x9747b28c) | 1
      for (let k = 0; k < 128; k++) {
        const h = (h1 + Math.imul(k, h2)) >>> 0
        if (h < mins[k]!) mins[k] = h
      }
    }
    return [...mins].map((v) => v.toString(16).padStart(8, '0')).join('')
  }

  it('gives the same signatures as the plain unsigned computation (stored fingerprints stay comparable)', () => {
    for (const text of [...Object.values(STORIES), '', 'a', '2026 12 03 x', 'Ünïcödé façade Zürich', 'word '.repeat(500)]) {
      expect(minHash(text)).toBe(reference(text))
      expect(minHashScalar(text)).toBe(reference(text))
    }
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (text) => minHash(text) === reference(text) && minHashScalar(text) === reference(text)), { numRuns: 300 })
    // Word-like text, where stopwords, short words, numbers and every ending the stemmer folds turn up often.
    const wordy = fc.array(fc.constantFrom(...'esdgintharo019 .-,ÉéA'.split('')), { maxLength: 300 }).map((chars) => chars.join(''))
    fc.assert(fc.property(wordy, (text) => minHash(text) === reference(text)), { numRuns: 500 })
  })

  it('folds texts with more distinct words than the SIMD kernel holds at once', () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}x`).join(' ')
    expect(contentWords(text).size).toBe(20_000)
    expect(minHash(text)).toBe(reference(text))
  })

  it('runs from the module compiled from minhash.wat, and that module is up to date', async () => {
    const { compileMinhashWat, moduleText } = await import('../../scripts/build-minhash-wasm.mjs')
    expect(readFileSync(new URL('./minhash-wasm.ts', import.meta.url), 'utf8')).toBe(moduleText(await compileMinhashWat()))
    expect(WebAssembly.validate(Buffer.from(MINHASH_WASM, 'base64'))).toBe(true)
    // Node 20 and later have WebAssembly SIMD: a module that failed to load would fall back to the scalar loop unseen.
    expect(minHashLoop()).toBe('simd')
  })
})
