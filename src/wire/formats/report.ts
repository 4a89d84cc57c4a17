import { formatPath } from '../../shared/errors.ts'
import { WIRE_ITEM_INVALID, WIRE_LIMIT_EXCEEDED, WIRE_TOO_LARGE } from '../errors.ts'
import { WireItem, type ParseReport, type WireFormat, type WireIssue } from '../wire-item.ts'

/** Options every adapter accepts; all optional. */
export interface ParseOptions {
  /** The Content-Type the bytes arrived with, e.g. `application/rss+xml; charset=iso-8859-1`. */
  contentType?: string
  /** Where the bytes came from (the fetched URL), to resolve relative links. */
  baseUrl?: string
  /** Refuse inputs larger than this many bytes; 20 MB unless set. */
  maxBytes?: number
  /**
   * Receives each accepted item as it is read, in place of the report's
   * `items` (which then stay empty). For the parser process, which prepares
   * each item at once so that a thousand items' objects never all wait in
   * memory for the end of the input (its collector's work, not ours, was a
   * quarter of its time).
   */
  onItem?: (item: WireItem) => void
}

/** A format adapter: pure bytes in, report out, never throwing for bad input. */
export interface WireAdapter {
  name: string
  formats: readonly WireFormat[]
  parse(bytes: Uint8Array, opts?: ParseOptions): ParseReport
}

/** The default input size limit: big enough for any real batch, small enough to parse in memory. */
export const MAX_WIRE_BYTES = 20 * 1024 * 1024

/**
 * How many rejections and warnings a report lists one by one. A 20 MB file of
 * tiny broken items would otherwise make a report larger than the file.
 */
export const MAX_LISTED_ISSUES = 10_000

/** Collects accepted items, rejections and warnings while an adapter walks its input. */
export class ReportBuilder {
  readonly items: WireItem[] = []
  readonly rejected: WireIssue[] = []
  readonly warnings: WireIssue[] = []
  private unlistedRejections = 0
  private unlistedWarnings = 0

  constructor(
    public format: WireFormat | null,
    private readonly onItem?: (item: WireItem) => void,
  ) {}

  /** Records an item or the whole input as unreadable. */
  reject(where: string, code: string, message: string): void {
    if (this.rejected.length < MAX_LISTED_ISSUES) this.rejected.push({ where, code, message })
    else this.unlistedRejections++
  }

  /** Records something tolerated on an accepted item. */
  warn(where: string, code: string, message: string): void {
    if (this.warnings.length < MAX_LISTED_ISSUES) this.warnings.push({ where, code, message })
    else this.unlistedWarnings++
  }

  /**
   * Checks a normalized item against the WireItem schema and keeps it, or
   * rejects it with the first few failing fields; the schema is the last line
   * of defence, so adapters stay honest about what they emit.
   */
  accept(where: string, item: WireItem): boolean {
    const result = WireItem.safeParse(item)
    if (result.success) {
      if (this.onItem) this.onItem(result.data)
      else this.items.push(result.data)
      return true
    }
    const details = result.error.issues
      .slice(0, 3)
      .map((issue) => `${formatPath(issue.path) || '(item)'}: ${issue.message}`)
      .join('; ')
    this.reject(where, WIRE_ITEM_INVALID, `The item does not fit the wire item schema: ${details}`)
    return false
  }

  /** The finished report. */
  build(): ParseReport {
    const rejected = [...this.rejected]
    const warnings = [...this.warnings]
    if (this.unlistedRejections > 0) {
      rejected.push({ where: 'document', code: WIRE_LIMIT_EXCEEDED, message: `${this.unlistedRejections} more items were rejected but are not listed one by one.` })
    }
    if (this.unlistedWarnings > 0) {
      warnings.push({ where: 'document', code: WIRE_LIMIT_EXCEEDED, message: `${this.unlistedWarnings} more warnings are not listed one by one.` })
    }
    return { format: this.format, items: this.items, rejected, warnings }
  }
}

/**
 * A location for messages: `item[3] guid=abc (line 57)`. Ids are cut short so a
 * hostile id cannot flood a log line.
 */
export function describeItem(
  label: string,
  index: number | null,
  id?: { name: string; value: string | null | undefined },
  line?: number | null,
): string {
  let where = index === null ? label : `${label}[${index}]`
  const value = id?.value?.replace(/\s+/g, ' ').trim()
  if (id && value) where += ` ${id.name}=${value.length > 120 ? `${value.slice(0, 117)}...` : value}`
  if (line) where += ` (line ${line})`
  return where
}

/** A one-item report for input that could not be read at all. */
export function failedReport(format: WireFormat | null, code: string, message: string, where = 'document'): ParseReport {
  return { format, items: [], rejected: [{ where, code, message }], warnings: [] }
}

/** A rejection for input over the size limit, or null when it fits; checked before any byte is decoded. */
export function checkSize(bytes: Uint8Array, opts: ParseOptions, format: WireFormat | null): ParseReport | null {
  const limit = opts.maxBytes ?? MAX_WIRE_BYTES
  if (bytes.length <= limit) return null
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`
  return failedReport(format, WIRE_TOO_LARGE, `The input is ${mb(bytes.length)}, over the ${mb(limit)} limit; split it into smaller files.`)
}
