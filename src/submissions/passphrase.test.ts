import { describe, expect, it } from 'vitest'
import { newPassphrase, normalizePassphrase, PASSPHRASE_LENGTH, PASSPHRASE_WORDS } from './passphrase.ts'

describe('follow-up passphrases', () => {
  it('the list has 256 distinct lower-case words, so one byte picks one word without bias', () => {
    expect(PASSPHRASE_WORDS).toHaveLength(256)
    expect(new Set(PASSPHRASE_WORDS).size).toBe(256)
    for (const w of PASSPHRASE_WORDS) expect(w).toMatch(/^[a-z]{3,8}$/)
  })

  it('a passphrase is eight words from the list, and two are not the same', () => {
    const a = newPassphrase()
    const words = a.split(' ')
    expect(words).toHaveLength(PASSPHRASE_LENGTH)
    for (const w of words) expect(PASSPHRASE_WORDS).toContain(w)
    expect(newPassphrase()).not.toBe(a)
  })

  it('typing it with capitals, hyphens or line breaks gives the same passphrase', () => {
    expect(normalizePassphrase('  Harbor-velvet\nACORN  tulip ')).toBe('harbor velvet acorn tulip')
    expect(normalizePassphrase('')).toBe('')
  })
})
