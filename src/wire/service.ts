import { recordAudit } from '../audit/index.ts'
import { sql, type Kysely } from 'kysely'
import { bodyText, wordDiff, type Actor, type Article, type ArticleService, type DiffPart } from '../articles/index.ts'
import type { Database, Db } from '../db/database.ts'
import type { SourceService } from '../sources/index.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError } from '../shared/errors.ts'
import { newId } from '../shared/ids.ts'
import type { PageRequest } from '../shared/pagination.ts'
import { toPage, type Page } from '../shared/pagination.ts'
import { parseInput } from '../shared/parse.ts'
import type { EventChannel, TransactionalChannel } from '../shared/events.ts'
import { slugify } from '../shared/slug.ts'
import { CreateRule, CreateWireSource, DeskFilter } from './commands.ts'
import { createBandIndex } from './band-index.ts'
import { ingestInput, ingestSeries, type IngestInput, type IngestReport, type WireParser } from './ingest.ts'
import { WireDeskErrors } from './ingest-errors.ts'
import { fetchWirePicture, pictureOf } from './pictures.ts'
import { pollDueSources, type FeedFetcher, type FolderReader, type PollOutcome } from './polling.ts'
import type { RoutingRule } from './routing.ts'
import { unpackRaw } from './raw-bytes.ts'
import type { WireItemsTable, WireRulesTable, WireSourcesTable } from './tables.ts'
import { WireItem, type ParseReport } from './wire-item.ts'

/** A stored item as the desk lists it. */
export interface DeskItem {
  id: string
  agencyKey: string
  agencyName: string | null
  agencyItemId: string
  headline: string
  language: string | null
  urgency: number | null
  pubStatus: WireItemsTable['pub_status']
  embargoUntil: string | null
  versionCount: number
  currentVersion: number
  sortAt: string
  groupId: string
  sectionIds: string[]
  tagIds: string[]
  ruleIds: string[]
  articleId: string | null
  articleVersion: number | null
}

/** Items about one event, newest first; usually one item, several when agencies overlap. */
export interface DeskGroup {
  groupId: string
  items: DeskItem[]
}

export interface ItemVersion {
  number: number
  agencyVersion: number | null
  receivedAt: string
  rawId: string
  item: WireItem
}

/** One run of a word diff between two versions' text. */
export type { DiffPart }

/** What editors of an article made from wire copy need to know about its item. */
export interface WireNotice {
  itemId: string
  draftVersion: number
  currentVersion: number
  hasNewerVersion: boolean
  isKilled: boolean
  pubStatus: WireItemsTable['pub_status']
}

export interface WireSourceConfig {
  id: string
  slug: string
  name: string
  kind: WireSourcesTable['kind']
  url: string | null
  folder: string | null
  intervalSeconds: number
  creditSourceId: string | null
  allowPrivateNetwork: boolean
  enabled: boolean
  etag: string | null
  lastModified: string | null
  lastPolledAt: string | null
  lastSuccessAt: string | null
  lastErrorAt: string | null
  lastError: string | null
  consecutiveFailures: number
  nextPollAt: string | null
}

/** What the wire desk announces; the composition root wires webhooks to it. */
export type WireEvents = {
  /** An agency killed an item the desk holds (its copy now says `canceled`); announced once the kill is stored. */
  'wire.item_killed': { itemId: string; headline: string; agencyKey: string; agencyItemId: string; articleId: string | null; at: string }
  /** One input was stored, however it came (a poll, an upload, the CLI, the admin API): how many items did what. */
  'wire.ingested': { imported: number; updated: number; rejected: number }
}

export interface WireServiceDeps {
  /** Told of kills and of every input stored; none by default. */
  events?: EventChannel<WireEvents>
  /** Told of kills inside the transaction that stores them (the webhook outbox); none by default. */
  inTransaction?: TransactionalChannel<Pick<WireEvents, 'wire.item_killed'>, Db>
  db: Kysely<Database>
  clock: Clock
  /** This process's name (the band index marks the items it stores with it). */
  node: string
  parse: WireParser
  articles: ArticleService
  sources: SourceService
  fetchFeed: FeedFetcher
  folders: FolderReader
}

const ids = (json: string): string[] => JSON.parse(json) as string[]

/**
 * `column LIKE '%text%'` with LIKE's wildcards in `text` taken literally. The
 * explicit ESCAPE clause behaves the same on SQLite (which has no default
 * escape character) and PostgreSQL.
 */
function contains(column: 'section_ids' | 'search_text', text: string) {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  return sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`
}

function toDeskItem(row: WireItemsTable): DeskItem {
  return {
    id: row.id,
    agencyKey: row.agency_key,
    agencyName: row.agency_name,
    agencyItemId: row.agency_item_id,
    headline: row.headline,
    language: row.language,
    urgency: row.urgency,
    pubStatus: row.pub_status,
    embargoUntil: row.embargo_until,
    versionCount: row.version_count,
    currentVersion: row.current_version,
    sortAt: row.sort_at,
    groupId: row.group_id,
    sectionIds: ids(row.section_ids),
    tagIds: ids(row.tag_ids),
    ruleIds: ids(row.rule_ids),
    articleId: row.article_id,
    articleVersion: row.article_version,
  }
}

function toRule(row: WireRulesTable): RoutingRule {
  return {
    id: row.id,
    name: row.name,
    priority: row.priority,
    agency: row.agency,
    subjectCode: row.subject_code,
    keyword: row.keyword,
    language: row.language,
    sectionIds: ids(row.section_ids),
    tagIds: ids(row.tag_ids),
    enabled: row.enabled === 1,
  }
}

export function toSourceConfig(row: WireSourcesTable): WireSourceConfig {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    url: row.url,
    folder: row.folder,
    intervalSeconds: row.interval_seconds,
    creditSourceId: row.credit_source_id,
    allowPrivateNetwork: row.allow_private_network === 1,
    enabled: row.enabled === 1,
    etag: row.etag,
    lastModified: row.last_modified,
    lastPolledAt: row.last_polled_at,
    lastSuccessAt: row.last_success_at,
    lastErrorAt: row.last_error_at,
    lastError: row.last_error,
    consecutiveFailures: row.consecutive_failures,
    nextPollAt: row.next_poll_at,
  }
}

/**
 * Agency names as a source's plain name or credit: tags and angle brackets
 * dropped, control characters and runs of space made one space, cut to `max`
 * with an ellipsis; null when nothing is left.
 */
export function plainName(text: string | null | undefined, max: number): string | null {
  if (!text) return null
  const plain = text
    .replace(/<[^<>]*>/g, ' ')
    .replace(/[<>\p{Cc}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (plain === '') return null
  return plain.length <= max ? plain : `${plain.slice(0, max - 1).trimEnd()}…`
}

/**
 * The wire desk: ingest agency copy, keep every version, group duplicates,
 * route, and turn an item into an article draft that keeps its credit.
 */
export function createWireService(deps: WireServiceDeps) {
  const { db, clock } = deps
  const nowIso = () => clock.now().toISOString()
  // One per process: the duplicate finder's band index lives in memory.
  const bandIndex = createBandIndex(clock, deps.node)
  const inTransaction = deps.inTransaction
  const onKilled = inTransaction
    ? async (trx: Db, itemIds: string[]) => {
        const rows = await trx.selectFrom('wire_items').select(['id', 'headline', 'agency_key', 'agency_item_id', 'article_id', 'last_received_at']).where('id', 'in', itemIds).execute()
        for (const row of rows) {
          await inTransaction.emit(trx, 'wire.item_killed', { itemId: row.id, headline: row.headline, agencyKey: row.agency_key, agencyItemId: row.agency_item_id, articleId: row.article_id, at: row.last_received_at })
        }
      }
    : undefined
  const ingestDeps = { db, clock, parse: deps.parse, loadRules: listRules, bandIndex, ...(onKilled ? { onKilled } : {}) }

  async function listRules(): Promise<RoutingRule[]> {
    const rows = await db.selectFrom('wire_rules').selectAll().orderBy('priority').orderBy('name').execute()
    return rows.map(toRule)
  }

  /** Stores one input and its items. Returns a report; bad input is reported, never thrown. */
  async function ingest(input: IngestInput): Promise<IngestReport> {
    return announce(await ingestInput(ingestDeps, input))
  }

  /** Stores inputs one after another, reading the next while the current one is stored; yields each report in order. */
  async function* ingestAll(inputs: AsyncIterable<IngestInput> | Iterable<IngestInput>): AsyncGenerator<IngestReport> {
    for await (const report of ingestSeries(ingestDeps, inputs)) yield await announce(report)
  }

  /** Tells listeners what an input did (metrics) and which items it killed (webhooks). */
  async function announce(report: IngestReport): Promise<IngestReport> {
    deps.events?.emit('wire.ingested', { imported: report.imported, updated: report.updated, rejected: report.rejected.length })
    const killed = report.items.filter((i) => i.isKill).map((i) => i.itemId)
    if (killed.length > 0 && deps.events) {
      const rows = await db.selectFrom('wire_items').select(['id', 'headline', 'agency_key', 'agency_item_id', 'article_id', 'last_received_at']).where('id', 'in', killed).execute()
      for (const row of rows) {
        deps.events.emit('wire.item_killed', { itemId: row.id, headline: row.headline, agencyKey: row.agency_key, agencyItemId: row.agency_item_id, articleId: row.article_id, at: row.last_received_at })
      }
    }
    return report
  }

  /** Who changed the desk's set-up, for the audit log; the command line acts as nobody in particular. */
  type DeskActor = { userId: string | null }
  const SYSTEM: DeskActor = { userId: null }

  async function createRule(input: CreateRule, actor: DeskActor = SYSTEM): Promise<RoutingRule> {
    const cmd = parseInput(CreateRule, input, WireDeskErrors.WIRE_RULE_INVALID)
    const row: WireRulesTable = {
      id: newId('wrule'),
      name: cmd.name,
      priority: cmd.priority,
      agency: cmd.agency?.toLowerCase() ?? null,
      subject_code: cmd.subjectCode,
      keyword: cmd.keyword,
      language: cmd.language,
      section_ids: JSON.stringify(cmd.sectionIds),
      tag_ids: JSON.stringify(cmd.tagIds),
      enabled: cmd.enabled ? 1 : 0,
      created_at: nowIso(),
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('wire_rules').values(row).execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'wire.rule_created', targetType: 'wire_rule', targetId: row.id, summary: `Routing rule ${cmd.name}`, at: row.created_at })
    })
    return toRule(row)
  }

  /** Removes a routing rule. Items keep the routing they were given; new copy no longer matches it. */
  async function deleteRule(id: string, actor: DeskActor = SYSTEM): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const rule = await trx.selectFrom('wire_rules').select('name').where('id', '=', id).executeTakeFirst()
      const result = await trx.deleteFrom('wire_rules').where('id', '=', id).executeTakeFirst()
      if (!rule || Number(result.numDeletedRows) === 0) throw new DomainError('not_found', WireDeskErrors.WIRE_RULE_NOT_FOUND, `No routing rule with id ${id}.`)
      await recordAudit(trx, { actorId: actor.userId, action: 'wire.rule_deleted', targetType: 'wire_rule', targetId: id, summary: `Routing rule ${rule.name}`, at: nowIso() })
    })
  }

  /** Turns polling of a source on or off; a source switched on is polled at the next tick. */
  async function setSourceEnabled(id: string, isEnabled: boolean, actor: DeskActor = SYSTEM): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('wire_sources')
        .set({ enabled: isEnabled ? 1 : 0, ...(isEnabled ? { next_poll_at: nowIso(), consecutive_failures: 0 } : {}) })
        .where('id', '=', id)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) === 0) throw new DomainError('not_found', WireDeskErrors.WIRE_SOURCE_NOT_FOUND, `No wire source with id ${id}.`)
      const source = await trx.selectFrom('wire_sources').select('name').where('id', '=', id).executeTakeFirstOrThrow()
      await recordAudit(trx, { actorId: actor.userId, action: 'wire.source_changed', targetType: 'wire_source', targetId: id, summary: `${source.name}: ${isEnabled ? 'resumed' : 'paused'}`, at: nowIso() })
    })
  }

  async function createSource(input: CreateWireSource, actor: DeskActor = SYSTEM): Promise<WireSourceConfig> {
    const cmd = parseInput(CreateWireSource, input, WireDeskErrors.WIRE_SOURCE_INVALID)
    const taken = await db.selectFrom('wire_sources').select('id').where('slug', '=', cmd.slug).executeTakeFirst()
    if (taken) throw new DomainError('conflict', WireDeskErrors.WIRE_SOURCE_SLUG_TAKEN, `A wire source with slug "${cmd.slug}" exists.`)
    const row: WireSourcesTable = {
      id: newId('wsrc'),
      slug: cmd.slug,
      name: cmd.name,
      kind: cmd.kind,
      url: cmd.url,
      folder: cmd.folder,
      interval_seconds: cmd.intervalSeconds,
      credit_source_id: cmd.creditSourceId,
      allow_private_network: cmd.allowPrivateNetwork ? 1 : 0,
      enabled: cmd.enabled ? 1 : 0,
      etag: null,
      last_modified: null,
      last_polled_at: null,
      last_success_at: null,
      last_error_at: null,
      last_error: null,
      consecutive_failures: 0,
      next_poll_at: nowIso(),
      lease_owner: null,
      lease_until: null,
      created_at: nowIso(),
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('wire_sources').values(row).execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'wire.source_created', targetType: 'wire_source', targetId: row.id, summary: `${cmd.name} (${cmd.kind})`, at: row.created_at })
    })
    return toSourceConfig(row)
  }

  async function listSources(): Promise<WireSourceConfig[]> {
    const rows = await db.selectFrom('wire_sources').selectAll().orderBy('name').execute()
    return rows.map(toSourceConfig)
  }

  async function findSourceBySlug(slug: string): Promise<WireSourceConfig | null> {
    const row = await db.selectFrom('wire_sources').selectAll().where('slug', '=', slug).executeTakeFirst()
    return row ? toSourceConfig(row) : null
  }

  /**
   * The desk list: items newest first, filtered, with every other item of each
   * listed item's group alongside, so duplicates show as one story.
   */
  async function listDesk(filterInput: DeskFilter, request: PageRequest): Promise<Page<DeskGroup>> {
    const filter = parseInput(DeskFilter, filterInput, 'WIRE_FILTER_INVALID')
    let query = db.selectFrom('wire_items').selectAll()
    if (filter.agency) query = query.where('agency_key', '=', filter.agency.toLowerCase())
    if (filter.status) query = query.where('pub_status', '=', filter.status)
    if (filter.language) query = query.where('language', 'like', `${filter.language.toLowerCase()}%`)
    if (filter.sectionId) query = query.where(contains('section_ids', `"${filter.sectionId}"`))
    if (filter.text) {
      for (const word of filter.text.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)) {
        query = query.where(contains('search_text', word))
      }
    }
    const rows = await query
      .orderBy('sort_at', 'desc')
      .orderBy('id', 'desc')
      .limit(request.perPage + 1)
      .offset((request.page - 1) * request.perPage)
      .execute()
    const page = toPage(rows, request)
    const groupIds = [...new Set(page.items.map((r) => r.group_id))]
    const members =
      groupIds.length === 0
        ? []
        : await db.selectFrom('wire_items').selectAll().where('group_id', 'in', groupIds).orderBy('sort_at', 'desc').execute()
    const groups: DeskGroup[] = groupIds.map((groupId) => ({
      groupId,
      items: members.filter((m) => m.group_id === groupId).map(toDeskItem),
    }))
    return { ...page, items: groups }
  }

  async function mustLoadItem(id: string): Promise<WireItemsTable> {
    const row = await db.selectFrom('wire_items').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw new DomainError('not_found', WireDeskErrors.WIRE_ITEM_NOT_FOUND, `No wire item with id ${id}.`)
    return row
  }

  /** Every item of a duplicate group, newest first. */
  async function groupMembers(groupId: string): Promise<DeskItem[]> {
    const rows = await db.selectFrom('wire_items').selectAll().where('group_id', '=', groupId).orderBy('sort_at', 'desc').execute()
    return rows.map(toDeskItem)
  }

  /** The agency keys the desk has seen, for its filter. */
  async function listAgencies(): Promise<string[]> {
    const rows = await db.selectFrom('wire_items').select('agency_key').distinct().orderBy('agency_key').execute()
    return rows.map((r) => r.agency_key)
  }

  /** One item with all its versions, oldest first. */
  async function getItem(id: string): Promise<{ item: DeskItem; versions: ItemVersion[] }> {
    const row = await mustLoadItem(id)
    const versions = await db.selectFrom('wire_item_versions').selectAll().where('item_id', '=', id).orderBy('number').execute()
    return {
      item: toDeskItem(row),
      versions: versions.map((v) => ({
        number: v.number,
        agencyVersion: v.agency_version,
        receivedAt: v.received_at,
        rawId: v.raw_id,
        item: WireItem.parse(JSON.parse(v.item)),
      })),
    }
  }

  /** A word diff of the headline and text between two versions of an item. */
  async function diffVersions(id: string, from: number, to: number): Promise<DiffPart[]> {
    const { versions } = await getItem(id)
    const a = versions.find((v) => v.number === from)
    const b = versions.find((v) => v.number === to)
    if (!a || !b) throw new DomainError('not_found', WireDeskErrors.WIRE_ITEM_NOT_FOUND, `Item ${id} has no version ${!a ? from : to}.`)
    const text = (v: ItemVersion) => `${v.item.headline}\n\n${bodyText(v.item.body)}`
    return wordDiff(text(a), text(b))
  }

  /** The bytes of one input exactly as received, with what we noted about them. */
  async function getRaw(rawId: string) {
    const row = await db.selectFrom('wire_raw').selectAll().where('id', '=', rawId).executeTakeFirst()
    if (!row) throw new DomainError('not_found', WireDeskErrors.WIRE_RAW_NOT_FOUND, `No raw input with id ${rawId}.`)
    return {
      id: row.id,
      origin: row.origin,
      contentType: row.content_type,
      receivedAt: row.received_at,
      sha256: row.sha256,
      bytes: await unpackRaw(new Uint8Array(row.bytes), row.encoding),
      format: row.format,
      outcome: row.outcome,
      issues: JSON.parse(row.issues) as ParseReport['rejected'],
    }
  }

  /** Parses a stored input again, e.g. after a parser fix; stores nothing. */
  async function reparseRaw(rawId: string): Promise<ParseReport> {
    const raw = await getRaw(rawId)
    return await deps.parse(raw.bytes, raw.contentType ? { contentType: raw.contentType } : {})
  }

  /**
   * The quarantine, newest first: inputs nothing could be read from, and inputs
   * where some items were rejected (the rest of those were imported).
   */
  async function listQuarantine(limit = 50) {
    return db
      .selectFrom('wire_raw')
      .select(['id', 'origin', 'received_at', 'byte_length', 'issues', 'outcome'])
      .where('outcome', 'in', ['rejected', 'partial'])
      .orderBy('received_at', 'desc')
      .limit(limit)
      .execute()
  }

  /** The source articles from this item are credited to: the feed's configured agency, else one named after the agency. */
  async function creditSourceFor(row: WireItemsTable, item: WireItem): Promise<string> {
    if (row.wire_source_id) {
      const configured = await db.selectFrom('wire_sources').select('credit_source_id').where('id', '=', row.wire_source_id).executeTakeFirst()
      if (configured?.credit_source_id) return configured.credit_source_id
    }
    const slug = slugify(row.agency_key) || 'wire'
    const existing = await deps.sources.findBySlug(slug)
    if (existing) return existing.id
    // Whatever the copy calls its agency (markup, quotes, 300 characters), the
    // source gets a plain name and credit that fit, so any readable item can
    // become a draft.
    const agencyKey = row.agency_key.toUpperCase()
    try {
      const created = await deps.sources.createSource({
        slug,
        name: plainName(item.agencyName, 160) ?? plainName(item.agency, 160) ?? plainName(agencyKey, 160) ?? 'Wire agency',
        credit: plainName(item.agency, 80) ?? plainName(item.agencyName, 80) ?? plainName(agencyKey, 80) ?? 'Wire',
        kind: 'agency',
      })
      return created.id
    } catch (error) {
      // Another editor's draft created it a moment ago.
      const winner = error instanceof DomainError && error.code === 'SOURCE_SLUG_TAKEN' ? await deps.sources.findBySlug(slug) : null
      if (winner) return winner.id
      throw error
    }
  }

  /**
   * Makes an article draft from the item's current version: its body, its
   * agency as the source (so the page reads "Source: <agency>"), and the
   * sections and tags routing chose. Editorial notes never go into the draft.
   */
  async function createDraft(id: string, actor: Actor, options: { authorIds?: string[] } = {}): Promise<Article> {
    const row = await mustLoadItem(id)
    if (row.article_id) {
      throw new DomainError('conflict', WireDeskErrors.WIRE_DRAFT_EXISTS, `A draft was already made from this item: ${row.article_id}.`)
    }
    if (row.pub_status !== 'usable') {
      throw new DomainError('conflict', WireDeskErrors.WIRE_ITEM_KILLED, `The agency has ${row.pub_status === 'canceled' ? 'killed' : 'withdrawn'} this item; it must not be published.`)
    }
    if (row.embargo_until && row.embargo_until > nowIso()) {
      throw new DomainError('conflict', WireDeskErrors.WIRE_EMBARGOED, `The item is embargoed until ${row.embargo_until}.`)
    }
    const version = await db
      .selectFrom('wire_item_versions')
      .select('item')
      .where('item_id', '=', id)
      .where('number', '=', row.current_version)
      .executeTakeFirstOrThrow()
    const item = WireItem.parse(JSON.parse(version.item))
    const sourceId = await creditSourceFor(row, item)
    const body = item.body.length > 0 ? item.body : item.summary ? [{ type: 'paragraph' as const, content: [{ text: item.summary }] }] : []
    const base = slugify(item.headline) || 'wire-story'
    let article: Article | null = null
    for (let attempt = 1; !article; attempt++) {
      const slug = attempt === 1 ? base : `${base.slice(0, 74)}-${attempt}`
      try {
        article = await deps.articles.createDraft(
          {
            title: item.headline.slice(0, 300),
            slug,
            dek: item.summary?.slice(0, 1000) ?? null,
            body,
            sectionIds: ids(row.section_ids),
            tagIds: ids(row.tag_ids),
            authorIds: options.authorIds ?? [],
            sourceId,
          },
          actor,
        )
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'ARTICLE_SLUG_TAKEN') || attempt >= 20) throw error
      }
    }
    await db.updateTable('wire_items').set({ article_id: article.id, article_version: row.current_version }).where('id', '=', id).execute()
    return article
  }

  /** Notices for an article made from wire copy: a newer version, or a kill. Empty when it was not. */
  async function noticesForArticle(articleId: string): Promise<WireNotice[]> {
    const rows = await db.selectFrom('wire_items').selectAll().where('article_id', '=', articleId).execute()
    return rows.map((row) => ({
      itemId: row.id,
      draftVersion: row.article_version ?? row.current_version,
      currentVersion: row.current_version,
      hasNewerVersion: row.current_version > (row.article_version ?? row.current_version),
      isKilled: row.pub_status !== 'usable',
      pubStatus: row.pub_status,
    }))
  }

  /** Notices for many articles at once (the newsroom's stories list), keyed by article id. */
  async function noticesForArticles(articleIds: readonly string[]): Promise<Map<string, WireNotice[]>> {
    const map = new Map<string, WireNotice[]>()
    if (articleIds.length === 0) return map
    const rows = await db.selectFrom('wire_items').selectAll().where('article_id', 'in', [...articleIds]).execute()
    for (const row of rows) {
      const notice: WireNotice = {
        itemId: row.id,
        draftVersion: row.article_version ?? row.current_version,
        currentVersion: row.current_version,
        hasNewerVersion: row.current_version > (row.article_version ?? row.current_version),
        isKilled: row.pub_status !== 'usable',
        pubStatus: row.pub_status,
      }
      map.set(row.article_id!, [...(map.get(row.article_id!) ?? []), notice])
    }
    return map
  }

  /**
   * Takes the agency's newest version of an item into the story made from it:
   * headline, summary and text replace the story's (what they replace is kept
   * in the story's history), and the notice goes away.
   */
  async function applyNewerVersion(articleId: string, itemId: string, actor: Actor): Promise<Article> {
    const row = await mustLoadItem(itemId)
    if (row.article_id !== articleId) throw new DomainError('not_found', WireDeskErrors.WIRE_ITEM_NOT_FOUND, 'That wire item is not the source of this story.')
    const version = await db
      .selectFrom('wire_item_versions')
      .select('item')
      .where('item_id', '=', itemId)
      .where('number', '=', row.current_version)
      .executeTakeFirstOrThrow()
    const item = WireItem.parse(JSON.parse(version.item))
    const body = item.body.length > 0 ? item.body : item.summary ? [{ type: 'paragraph' as const, content: [{ text: item.summary }] }] : []
    const article = await deps.articles.applyAgencyUpdate(
      articleId,
      { title: item.headline.slice(0, 300), dek: item.summary?.slice(0, 1000) ?? null, body },
      `Took version ${row.current_version} of the agency's copy (was version ${row.article_version ?? row.current_version}).`,
      actor,
    )
    await db.updateTable('wire_items').set({ article_version: row.current_version }).where('id', '=', itemId).execute()
    return article
  }

  /** Polls due feeds and drop folders; `owner` names this process for the lease. */
  async function pollDue(owner: string): Promise<PollOutcome[]> {
    return pollDueSources({ db, clock, ingest, ingestAll, fetchFeed: deps.fetchFeed, folders: deps.folders }, owner)
  }

  return {
    ingest,
    ingestAll,
    pollDue,
    createRule,
    deleteRule,
    setSourceEnabled,
    listRules,
    createSource,
    listSources,
    findSourceBySlug,
    listDesk,
    groupMembers,
    listAgencies,
    getItem,
    diffVersions,
    getRaw,
    reparseRaw,
    listQuarantine,
    createDraft,
    noticesForArticle,
    noticesForArticles,
    applyNewerVersion,
    /** Fetches an item's picture from the agency (see pictures.ts); for the media library. */
    /** One picture of an item's current version, numbered from 0, with the wire source it came through. */
    getPicture: (itemId: string, index: number) => pictureOf(db, itemId, index),
    fetchPicture: (itemId: string, index: number, maxBytes: number) => fetchWirePicture({ db, fetchFeed: deps.fetchFeed, folders: deps.folders }, itemId, index, maxBytes),
  }
}

export type WireService = ReturnType<typeof createWireService>
