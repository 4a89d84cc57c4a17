import { readFileSync } from 'node:fs'
import path from 'node:path'

/** The folder of wire samples (original text), one subfolder per format plus `broken/`. */
export const WIRE_FIXTURES = path.resolve(import.meta.dirname, '../fixtures/wire')

/** The path of a wire sample, e.g. `wireFixturePath('ninjs/batch.ndjson')`. */
export function wireFixturePath(name: string): string {
  return path.join(WIRE_FIXTURES, name)
}

/** The bytes of a wire sample, exactly as stored. */
export function wireFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(wireFixturePath(name)))
}
