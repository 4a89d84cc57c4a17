import { WIRE_CONTENT_TYPE_MISMATCH, WIRE_INTERNAL } from '../errors.ts'
import type { ParseReport, WireFormat } from '../wire-item.ts'
import { detectFormat } from './detect.ts'
import { feedAdapter } from './feed.ts'
import { newsMlG2Adapter } from './newsml-g2.ts'
import { ninjsAdapter } from './ninjs.ts'
import { checkSize, failedReport, type ParseOptions, type WireAdapter } from './report.ts'

export type { ParseReport, WireIssue } from '../wire-item.ts'
export { detectFormat, type Detection } from './detect.ts'
export { feedAdapter, parseFeed } from './feed.ts'
export { newsMlG2Adapter, parseNewsMlG2 } from './newsml-g2.ts'
export { ninjsAdapter, parseNinjs } from './ninjs.ts'
export { MAX_WIRE_BYTES, type ParseOptions, type WireAdapter } from './report.ts'

/** Every format adapter, one per family of formats. */
export const WIRE_ADAPTERS: readonly WireAdapter[] = [ninjsAdapter, newsMlG2Adapter, feedAdapter]

const BY_FORMAT: Record<WireFormat, WireAdapter> = {
  ninjs: ninjsAdapter,
  'newsml-g2': newsMlG2Adapter,
  rss: feedAdapter,
  atom: feedAdapter,
  rdf: feedAdapter,
}

/**
 * Reads wire bytes of any supported format into validated wire items: the
 * format is told from the content, bad items are listed in `rejected` with
 * where they are, and the function never throws, whatever the bytes.
 * @example parseWire(bytes, { contentType: 'application/rss+xml', baseUrl: 'https://wire.example/feed' })
 */
export function parseWire(bytes: Uint8Array, opts: ParseOptions = {}): ParseReport {
  try {
    const tooLarge = checkSize(bytes, opts, null)
    if (tooLarge) return tooLarge
    const detection = detectFormat(bytes)
    if (detection.format === null) return failedReport(null, detection.code, detection.reason)
    const report = BY_FORMAT[detection.format].parse(bytes, opts)
    const mismatch = contentTypeMismatch(opts.contentType, detection.format)
    if (mismatch) report.warnings.unshift({ where: 'document', code: WIRE_CONTENT_TYPE_MISMATCH, message: mismatch })
    return report
  } catch (error) {
    // Adapters catch per item; reaching here is a bug, and still no reason to throw at the caller.
    const detail = error instanceof Error ? error.message : String(error)
    return failedReport(null, WIRE_INTERNAL, `The wire parser failed unexpectedly (${detail.slice(0, 200)}); keep the file and report it.`)
  }
}

/** A message when the declared content type contradicts what the bytes are, else null. */
function contentTypeMismatch(contentType: string | undefined, format: WireFormat): string | null {
  const mime = contentType?.split(';')[0]?.trim().toLowerCase()
  if (!mime) return null
  const json = mime === 'application/json' || mime.endsWith('+json')
  const xml = mime.endsWith('/xml') || mime.endsWith('+xml')
  const label = format === 'newsml-g2' ? 'NewsML-G2' : format === 'ninjs' ? 'ninjs JSON' : `${format.toUpperCase()} XML`
  if (json && format !== 'ninjs') return `The content type says ${mime}, but the bytes are ${label}; they were read as ${label}.`
  if (xml && format === 'ninjs') return `The content type says ${mime}, but the bytes are JSON; they were read as ninjs.`
  if (mime === 'text/html') return `The content type says text/html, but the bytes are ${label}; they were read as ${label}.`
  return null
}
