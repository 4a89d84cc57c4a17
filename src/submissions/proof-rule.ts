/**
 * The proof of work's rule, shared by the server (proof.ts, which issues and
 * checks) and the reader forms' browser script (which solves): an answer is
 * good when SHA-256 of `proofMessage(challenge, answer)` starts with the
 * number of zero bits the challenge asks for. No Node or DOM here: both sides
 * import this file.
 */

/** What is hashed for one answer. */
export function proofMessage(challenge: string, answer: string): string {
  return `${challenge}:${answer}`
}

/** The zero bits a challenge (`v1.<issued>.<random>.<bits>.<signature>`) asks for; NaN when it names none. */
export function bitsOf(challenge: string): number {
  return Number(challenge.split('.')[3])
}

/** Leading zero bits of a digest. */
export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8
      continue
    }
    return bits + Math.clz32(byte) - 24
  }
  return bits
}
