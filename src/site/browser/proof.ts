/**
 * Solves a reader form's proof of work while the reader types: looks for an
 * answer such that SHA-256(challenge ":" answer) starts with the asked-for
 * number of zero bits, using Web Crypto in batches, so the page stays
 * responsive (each digest is a promise resolved outside the main thread's
 * work). The answer goes into the hidden field; the form can be sent at any
 * moment, with or without it.
 */
import { bitsOf, leadingZeroBits, proofMessage } from '../../submissions/proof-rule.ts'

const BATCH = 256

async function solve(challenge: string, bits: number): Promise<string> {
  const encoder = new TextEncoder()
  for (let start = 0; ; start += BATCH) {
    const answers = Array.from({ length: BATCH }, (_, i) => (start + i).toString(36))
    const digests = await Promise.all(answers.map((a) => crypto.subtle.digest('SHA-256', encoder.encode(proofMessage(challenge, a)))))
    const found = digests.findIndex((d) => leadingZeroBits(new Uint8Array(d)) >= bits)
    if (found >= 0) return answers[found]!
  }
}

/** Starts solving every reader form's challenge on the page. */
export function startProofs(root: ParentNode = document): void {
  if (!globalThis.crypto?.subtle) return
  for (const form of root.querySelectorAll<HTMLFormElement>('form.reader-form')) {
    const challenge = form.querySelector<HTMLInputElement>('input[name="_proof"]')
    const answer = form.querySelector<HTMLInputElement>('input[name="_proof_answer"]')
    if (!challenge || !answer || answer.value) continue
    const bits = bitsOf(challenge.value)
    if (!Number.isInteger(bits) || bits < 0 || bits > 32) continue
    const began = performance.now()
    void solve(challenge.value, bits).then((found) => {
      answer.value = found
      form.dataset.proofMs = String(Math.round(performance.now() - began))
    })
  }
}
