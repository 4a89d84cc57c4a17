import { randomBytes } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defineConfig } from '../../src/server/config.ts'
import { buildContainer, type Container } from '../../src/server/container.ts'
import type { Clock } from '../../src/shared/clock.ts'
import { DomainError } from '../../src/shared/errors.ts'
import { DIALECTS } from '../support/dialects.ts'
import { wireFixture } from '../support/wire-fixtures.ts'
import { EDITOR, makeWorld, type World } from '../support/factories.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'

const fixture = wireFixture

/** A ninjs 2.x item we write inline, so each test states exactly what came in. */
function ninjs(fields: { uri: string; headline: string; body: string; agency?: string; version?: number; at?: string; subject?: string; pubstatus?: string }) {
  return new TextEncoder().encode(
    JSON.stringify({
      uri: fields.uri,
      type: 'text',
      version: String(fields.version ?? 1),
      versioncreated: fields.at ?? '2026-02-03T10:00:00Z',
      pubstatus: fields.pubstatus ?? 'usable',
      language: 'en',
      headlines: [{ value: fields.headline }],
      bodies: [{ contenttype: 'text/plain', value: fields.body }],
      subjects: fields.subject ? [{ uri: `http://cv.iptc.org/newscodes/mediatopic/${fields.subject}`, name: 'economy' }] : [],
      infosources: [{ name: fields.agency ?? 'Agence Continentale de Presse', literal: fields.agency === 'Meridian Wire' ? 'MW' : 'ACP' }],
    }),
  )
}

const RATE_ACP =
  "Brazil's central bank lowered its benchmark Selic rate by half a percentage point to 14.50% on Wednesday, citing slowing consumer inflation and weaker credit growth. The monetary policy committee said further cuts would depend on the fiscal outlook. Economists had expected the reduction after December inflation came in below forecasts."
const RATE_MERIDIAN =
  "The Banco Central do Brasil cut the Selic by 50 basis points to 14.50% on Wednesday, its monetary policy committee said, pointing to cooling inflation and a slowdown in credit. Most economists polled had forecast the cut. The committee signalled that the pace of further easing would hinge on the government's fiscal targets."
const QUAKE =
  'A magnitude 6.1 earthquake struck the Arequipa region of southern Peru early on Thursday, damaging adobe houses and a colonial church, civil defence officials said. No deaths were reported.'

for (const dialect of DIALECTS) {
  describe(`${dialect}: wire ingest`, () => {
    let ctx: TestContainer
    let c: Container
    let world: World
    let now: Date
    const clock: Clock = { now: () => new Date(now) }

    beforeEach(async () => {
      now = new Date('2026-02-03T12:00:00Z')
      ctx = await buildTestContainer(dialect, { clock })
      c = ctx.container
      world = await makeWorld(c)
    })
    afterEach(async () => ctx.cleanup())

    it('keeps the raw bytes exactly, and a re-delivery is unchanged rather than a duplicate', async () => {
      const bytes = fixture('newsml-g2/acp-harbour-talks-v1.xml')
      const first = await c.wire.ingest({ bytes, origin: 'acp-harbour-talks-v1.xml', contentType: 'application/xml' })
      expect(first).toMatchObject({ format: 'newsml-g2', imported: 1, updated: 0, unchanged: 0, rejected: [] })
      const raw = await c.wire.getRaw(first.rawId)
      expect(Buffer.from(raw.bytes).equals(Buffer.from(bytes))).toBe(true)
      expect(raw).toMatchObject({ origin: 'acp-harbour-talks-v1.xml', contentType: 'application/xml', outcome: 'accepted' })

      const again = await c.wire.ingest({ bytes, origin: 'acp-harbour-talks-v1.xml' })
      expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 1 })
      const desk = await c.wire.listDesk({}, { page: 1, perPage: 10 })
      expect(desk.items.flatMap((g) => g.items)).toHaveLength(1)
      // The stored input can be read again as it came in.
      expect((await c.wire.reparseRaw(first.rawId)).items[0]?.headline).toBe('Coastal neighbours reopen talks on shared harbour')
    })

    it('stores a large input compressed and gives back its bytes exactly (and those of one stored gzipped by an earlier version); a small one and an incompressible one as received', async () => {
      const paragraph = 'The harbour authority said the ferry timetable would change from Monday. '
      const large = ninjs({ uri: 'urn:acp:large', headline: 'Ferry timetable changes', body: paragraph.repeat(200) })
      const report = await c.wire.ingest({ bytes: large, origin: 'large.json', contentType: 'application/json' })
      expect(report.imported).toBe(1)
      const stored = await c.database.db.selectFrom('wire_raw').select(['encoding', 'bytes', 'byte_length']).where('id', '=', report.rawId).executeTakeFirstOrThrow()
      expect(stored.encoding).toBe('br')
      expect(stored.bytes.byteLength).toBeLessThan(large.byteLength / 4)
      expect(stored.byte_length).toBe(large.byteLength)
      const raw = await c.wire.getRaw(report.rawId)
      expect(Buffer.from(raw.bytes).equals(Buffer.from(large))).toBe(true)
      expect((await c.wire.reparseRaw(report.rawId)).items[0]?.headline).toBe('Ferry timetable changes')

      // Inputs stored gzipped before Brotli was used are still given back exactly.
      await c.database.db.updateTable('wire_raw').set({ bytes: gzipSync(large), encoding: 'gzip' }).where('id', '=', report.rawId).execute()
      expect(Buffer.from((await c.wire.getRaw(report.rawId)).bytes).equals(Buffer.from(large))).toBe(true)
      expect((await c.wire.reparseRaw(report.rawId)).items[0]?.headline).toBe('Ferry timetable changes')

      const small = ninjs({ uri: 'urn:acp:small', headline: 'Short', body: 'Brief.' })
      const smallReport = await c.wire.ingest({ bytes: small, origin: 'small.json' })
      expect((await c.database.db.selectFrom('wire_raw').select('encoding').where('id', '=', smallReport.rawId).executeTakeFirstOrThrow()).encoding).toBeNull()
      expect(Buffer.from((await c.wire.getRaw(smallReport.rawId)).bytes).equals(Buffer.from(small))).toBe(true)

      // Random bytes do not shrink: kept as received (and quarantined, since nothing in them is readable).
      const noise = new Uint8Array(randomBytes(8192))
      const noiseReport = await c.wire.ingest({ bytes: noise, origin: 'noise.bin' })
      expect((await c.database.db.selectFrom('wire_raw').select('encoding').where('id', '=', noiseReport.rawId).executeTakeFirstOrThrow()).encoding).toBeNull()
      expect(Buffer.from((await c.wire.getRaw(noiseReport.rawId)).bytes).equals(Buffer.from(noise))).toBe(true)
    })

    it('the desk text filter finds any piece of any word of an item, the last word of a long body included', async () => {
      const body = `${'The council met again on Tuesday to discuss the harbour budget. '.repeat(200)}Finally the ferry-operators' union (ACP) agreed.`
      const report = await c.wire.ingest({ bytes: ninjs({ uri: 'urn:acp:long', headline: 'Council meets over harbour budget', body }), origin: 'long.json' })
      expect(report.imported).toBe(1)
      const find = async (text: string) => (await c.wire.listDesk({ text }, { page: 1, perPage: 10 })).items.length
      expect(await find('operators')).toBe(1)
      expect(await find("ferry-operators' (acp)")).toBe(1)
      expect(await find('HARBOUR budg')).toBe(1)
      expect(await find('agreed.')).toBe(1)
      expect(await find('tuesday harbour ferry')).toBe(1)
      expect(await find('budget agreed tram')).toBe(0)
      // Words never match across a space.
      expect(await find('harbourbudget')).toBe(0)
    })

    it('a new version of the same agency item updates it, keeps every version, and diffs them', async () => {
      const v1 = await c.wire.ingest({ bytes: fixture('newsml-g2/acp-harbour-talks-v1.xml'), origin: 'v1' })
      const v2 = await c.wire.ingest({ bytes: fixture('newsml-g2/acp-harbour-talks-v2-correction.xml'), origin: 'v2' })
      expect(v2).toMatchObject({ imported: 0, updated: 1 })
      const itemId = v1.items[0]!.itemId
      expect(v2.items[0]!.itemId).toBe(itemId)

      const { item, versions } = await c.wire.getItem(itemId)
      expect(item).toMatchObject({ versionCount: 2, currentVersion: 2, agencyKey: 'acp', headline: 'Coastal neighbours reopen talks on shared harbour (CORRECTED)' })
      expect(versions.map((v) => [v.number, v.agencyVersion])).toEqual([
        [1, 1],
        [2, 2],
      ])
      const diff = await c.wire.diffVersions(itemId, 1, 2)
      expect(diff.some((p) => p.kind === 'added' && p.text.includes('CORRECTED'))).toBe(true)
      expect(diff.filter((p) => p.kind === 'same').length).toBeGreaterThan(0)

      // A late copy of version 1 is not a new current version.
      const late = await c.wire.ingest({ bytes: fixture('newsml-g2/acp-harbour-talks-v1.xml'), origin: 'v1 again' })
      expect(late).toMatchObject({ updated: 0, unchanged: 1 })
      expect((await c.wire.getItem(itemId)).item.currentVersion).toBe(2)
    })

    it('turns an item into a draft credited to its agency, then warns about newer versions and kills', async () => {
      const v1 = await c.wire.ingest({ bytes: fixture('newsml-g2/acp-harbour-talks-v1.xml'), origin: 'v1' })
      const itemId = v1.items[0]!.itemId
      const draft = await c.wire.createDraft(itemId, EDITOR, { authorIds: [world.desk.id] })
      expect(draft.status).toBe('draft')
      expect(draft.title).toBe('Coastal neighbours reopen talks on shared harbour')
      expect(draft.body.length).toBeGreaterThan(0)
      const [source] = await c.sources.byIds([draft.sourceId!])
      expect(source).toMatchObject({ kind: 'agency', credit: 'ACP', name: 'Agence Continentale de Presse' })
      // Desk-only notes never reach the draft.
      const { versions } = await c.wire.getItem(itemId)
      const note = versions[0]!.item.editorialNotes[0]!
      expect(JSON.stringify(draft)).not.toContain(note.slice(0, 30))
      await expect(c.wire.createDraft(itemId, EDITOR)).rejects.toMatchObject({ code: 'WIRE_DRAFT_EXISTS' })

      expect(await c.wire.noticesForArticle(draft.id)).toEqual([
        { itemId, draftVersion: 1, currentVersion: 1, hasNewerVersion: false, isKilled: false, pubStatus: 'usable' },
      ])
      await c.wire.ingest({ bytes: fixture('newsml-g2/acp-harbour-talks-v2-correction.xml'), origin: 'v2' })
      expect((await c.wire.noticesForArticle(draft.id))[0]).toMatchObject({ hasNewerVersion: true, currentVersion: 2, isKilled: false })
      await c.wire.ingest({ bytes: fixture('newsml-g2/acp-harbour-talks-v3-kill.xml'), origin: 'v3' })
      expect((await c.wire.noticesForArticle(draft.id))[0]).toMatchObject({ isKilled: true, pubStatus: 'canceled', currentVersion: 3 })
      expect((await c.wire.listDesk({ status: 'canceled' }, { page: 1, perPage: 10 })).items).toHaveLength(1)
    })

    it('refuses drafts from killed items and from embargoed items until the embargo passes', async () => {
      await c.wire.ingest({ bytes: fixture('newsml-g2/acp-harbour-talks-v1.xml'), origin: 'v1' })
      const killed = await c.wire.ingest({ bytes: fixture('newsml-g2/acp-harbour-talks-v3-kill.xml'), origin: 'v3' })
      await expect(c.wire.createDraft(killed.items[0]!.itemId, EDITOR)).rejects.toMatchObject({ code: 'WIRE_ITEM_KILLED', kind: 'conflict' })

      const embargoed = await c.wire.ingest({ bytes: fixture('newsml-g2/an-budget-embargoed.xml'), origin: 'budget' })
      const id = embargoed.items[0]!.itemId
      const error = await c.wire.createDraft(id, EDITOR).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DomainError)
      expect((error as DomainError).code).toBe('WIRE_EMBARGOED')
      expect((await c.wire.getItem(id)).item.embargoUntil).toBe('2026-02-04T09:30:00.000Z')
      now = new Date('2026-02-04T09:30:01Z')
      const draft = await c.wire.createDraft(id, EDITOR)
      expect(draft.title).toBe('Budget to freeze fuel duty for a third year')
    })

    it('routes by agency, subject and keyword to sections and tags, on the item and the draft', async () => {
      await c.wire.createRule({ name: 'Economy', subjectCode: 'medtop:04000000', sectionIds: [world.topic.id] })
      await c.wire.createRule({ name: 'ACP harbour stories', agency: 'ACP', keyword: 'harbour', sectionIds: [world.country.id], tagIds: [world.tag.id], priority: 10 })
      await c.wire.createRule({ name: 'Meridian only', agency: 'mw', sectionIds: [world.region.id] })
      await expect(c.wire.createRule({ name: 'Empty', sectionIds: [world.topic.id] })).rejects.toMatchObject({ code: 'WIRE_RULE_INVALID' })

      const harbour = await c.wire.ingest({ bytes: fixture('newsml-g2/acp-harbour-talks-v1.xml'), origin: 'v1' })
      const economy = await c.wire.ingest({ bytes: ninjs({ uri: 'urn:acp:rate-1', headline: 'Brazil cuts rates', body: RATE_ACP, subject: '04000000' }), origin: 'inline' })
      const h = (await c.wire.getItem(harbour.items[0]!.itemId)).item
      expect(h.sectionIds).toEqual([world.country.id])
      expect(h.tagIds).toEqual([world.tag.id])
      const e = (await c.wire.getItem(economy.items[0]!.itemId)).item
      expect(e.sectionIds).toEqual([world.topic.id])
      expect((await c.wire.listDesk({ sectionId: world.topic.id }, { page: 1, perPage: 10 })).items.map((g) => g.groupId)).toEqual([e.groupId])

      const draft = await c.wire.createDraft(h.id, EDITOR)
      expect(draft.sectionIds).toEqual([world.country.id])
      expect(draft.tagIds).toEqual([world.tag.id])
    })

    it('groups the same event from different agencies, and keeps other stories apart', async () => {
      const acp = await c.wire.ingest({ bytes: ninjs({ uri: 'urn:acp:rate', headline: 'Brazil central bank cuts Selic rate to 14.50%', body: RATE_ACP }), origin: 'a' })
      const mw = await c.wire.ingest({
        bytes: ninjs({ uri: 'urn:mw:rate', headline: 'Brazil trims benchmark rate by 50 basis points', body: RATE_MERIDIAN, agency: 'Meridian Wire', at: '2026-02-03T10:20:00Z' }),
        origin: 'b',
      })
      const quake = await c.wire.ingest({ bytes: ninjs({ uri: 'urn:mw:quake', headline: 'Quake shakes southern Peru', body: QUAKE, agency: 'Meridian Wire' }), origin: 'c' })
      const [a, b, q] = await Promise.all([acp, mw, quake].map(async (r) => (await c.wire.getItem(r.items[0]!.itemId)).item))
      expect(a!.agencyKey).not.toBe(b!.agencyKey)
      expect(b!.groupId).toBe(a!.groupId)
      expect(q!.groupId).not.toBe(a!.groupId)

      const desk = await c.wire.listDesk({}, { page: 1, perPage: 10 })
      expect(desk.items).toHaveLength(2)
      const rateGroup = desk.items.find((g) => g.groupId === a!.groupId)!
      expect(rateGroup.items.map((i) => i.agencyKey).sort()).toEqual(['acp', 'mw'])
      expect((await c.wire.listDesk({ text: 'selic' }, { page: 1, perPage: 10 })).items).toHaveLength(1)
      expect((await c.wire.listDesk({ agency: 'MW' }, { page: 1, perPage: 10 })).items.flatMap((g) => g.items.map((i) => i.id))).toContain(q!.id)
    })

    it('groups copy stored by another process, and copy stored before a restart (the band index is per process)', async () => {
      // Another node on the same database; its clock runs with ours.
      const other = await buildContainer(defineConfig({ dataDir: ctx.database.dataDir, database: ctx.database.target, loadDemo: false, logLevel: 'silent' }), { clock })
      try {
        // The other node reads that day into its index before this node stores its item.
        await other.wire.ingest({ bytes: ninjs({ uri: 'urn:mw:quake', headline: 'Quake shakes southern Peru', body: QUAKE, agency: 'Meridian Wire' }), origin: 'q' })
        const acp = await c.wire.ingest({ bytes: ninjs({ uri: 'urn:acp:rate', headline: 'Brazil central bank cuts Selic rate to 14.50%', body: RATE_ACP }), origin: 'a' })
        // It reads other nodes' copy at most once a second.
        now = new Date('2026-02-03T12:00:02Z')
        const mw = await other.wire.ingest({
          bytes: ninjs({ uri: 'urn:mw:rate', headline: 'Brazil trims benchmark rate by 50 basis points', body: RATE_MERIDIAN, agency: 'Meridian Wire', at: '2026-02-03T10:20:00Z' }),
          origin: 'b',
        })
        const [a, b] = await Promise.all([acp, mw].map(async (r) => (await c.wire.getItem(r.items[0]!.itemId)).item))
        expect(b!.groupId).toBe(a!.groupId)
      } finally {
        await other.close()
      }
      // A node started afterwards reads the day from the database.
      const fresh = await buildContainer(defineConfig({ dataDir: ctx.database.dataDir, database: ctx.database.target, loadDemo: false, logLevel: 'silent' }), { clock })
      try {
        const third = await fresh.wire.ingest({
          bytes: ninjs({ uri: 'urn:xa:rate', headline: 'Brazil central bank cuts Selic rate to 14.50%', body: RATE_ACP, agency: 'Xagency', at: '2026-02-03T10:40:00Z' }),
          origin: 'c',
        })
        const [first] = (await c.wire.listDesk({ text: 'selic' }, { page: 1, perPage: 10 })).items
        expect(first!.items.map((i) => i.id)).toContain(third.items[0]!.itemId)
        expect(first!.items).toHaveLength(3)
      } finally {
        await fresh.close()
      }
    }, 60_000)

    it('turns any readable item into a draft, whatever its agency is called (issue 12)', async () => {
      const names = [
        ['<b>"Agence" & \'Co\'</b>', '<i>ACP</i> "wire"'],
        [`Agence ${'très '.repeat(60)}longue`, `A${'B'.repeat(190)}`],
        ['   ', '""'],
        ['<>', '<script>alert(1)</script>'],
      ]
      for (const [index, [name, literal]] of names.entries()) {
        const bytes = new TextEncoder().encode(
          JSON.stringify({
            uri: `urn:odd:${index}`,
            type: 'text',
            version: '1',
            versioncreated: '2026-02-03T10:00:00Z',
            language: 'en',
            headlines: [{ value: `Odd agency ${index}` }],
            bodies: [{ contenttype: 'text/plain', value: 'Some copy to make a draft from.' }],
            infosources: [{ name, literal }],
          }),
        )
        const report = await c.wire.ingest({ bytes, origin: `odd-${index}` })
        expect(report.rejected).toEqual([])
        expect(report.imported).toBe(1)
        const draft = await c.wire.createDraft(report.items[0]!.itemId, EDITOR)
        const [source] = await c.sources.byIds([draft.sourceId!])
        expect(source!.name.length).toBeGreaterThan(0)
        expect(source!.name.length).toBeLessThanOrEqual(160)
        expect(source!.credit.length).toBeGreaterThan(0)
        expect(source!.credit.length).toBeLessThanOrEqual(80)
        expect(`${source!.name} ${source!.credit}`).not.toMatch(/[<>]/)
      }
    })

    it('never groups templated copy of one agency with itself, and still groups the same event from two agencies', async () => {
      // Issue 13: results copy from one template, near-identical item after item.
      const words = 'harbour council ferry minister election budget strike port river school vaccine court grid energy oil talks migration border trade farm'.split(' ')
      const pick = (i: number, n: number) => Array.from({ length: n }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ')
      const feed = (agency: string, from: number, count: number) =>
        new TextEncoder().encode(
          `<?xml version="1.0"?><rss version="2.0"><channel><title>${agency}</title><link>https://results.example/</link><description>x</description>` +
            Array.from({ length: count }, (_, k) => `<item><guid>urn:t:${from + k}</guid><title>${pick(from + k, 8)} ${from + k}</title><description>${pick(from + k, 120)}</description></item>`).join('') +
            '</channel></rss>',
        )
      const templated = await c.wire.ingest({ bytes: feed('Results Agency', 0, 120), origin: 'results' })
      expect(templated.imported).toBe(120)
      // One more near-identical item from another agency: every band it has is shared by over 50 items, so it is noise too.
      const other = await c.wire.ingest({ bytes: feed('Other Results', 500, 1), origin: 'other' })
      const groups = await c.database.db.selectFrom('wire_items').select('group_id').distinct().execute()
      expect(groups).toHaveLength(121)
      expect(other.imported).toBe(1)

      const acp = await c.wire.ingest({ bytes: ninjs({ uri: 'urn:acp:rate', headline: 'Brazil central bank cuts Selic rate to 14.50%', body: RATE_ACP }), origin: 'a' })
      const mw = await c.wire.ingest({
        bytes: ninjs({ uri: 'urn:mw:rate', headline: 'Brazil trims benchmark rate by 50 basis points', body: RATE_MERIDIAN, agency: 'Meridian Wire', at: '2026-02-03T10:20:00Z' }),
        origin: 'b',
      })
      const [a, b] = await Promise.all([acp, mw].map(async (r) => (await c.wire.getItem(r.items[0]!.itemId)).item))
      expect(b!.groupId).toBe(a!.groupId)
    })

    it('groups a backfill from three agencies, read by several parser processes, event by event and nothing else', async () => {
      // Made-up words from a seeded generator, so the grouping is the same on every run: each of 12 events is
      // covered by all three agencies in their own words (about 30 of the event's 40 key words, and filler),
      // among 60 unrelated stories per agency. Files above 32 KB are read in the parser processes.
      let seed = 20261203
      const random = () => {
        seed = (seed + 0x6d2b79f5) | 0
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296
      }
      const syllables = ['ka', 'lo', 'mi', 'ren', 'sa', 'tor', 'vel', 'an', 'bri', 'cu', 'dor', 'el', 'fa', 'gun', 'hal', 'jo', 'ker', 'lum', 'nor', 'pa']
      const word = () => Array.from({ length: 2 + Math.floor(random() * 3) }, () => syllables[Math.floor(random() * syllables.length)]).join('')
      const sample = <T,>(list: T[], n: number) => [...list].sort(() => random() - 0.5).slice(0, n)
      const events = Array.from({ length: 12 }, () => Array.from({ length: 40 }, word))
      const agencies = ['ACP', 'MW', 'AN']
      const files = agencies.map((agency, a) => {
        const stories = [
          ...events.map((keyWords, e) => ({ id: `urn:${agency}:event-${e}`, words: [...sample(keyWords, 30), ...Array.from({ length: 12 }, word)] })),
          ...Array.from({ length: 60 }, (_, k) => ({ id: `urn:${agency}:other-${k}`, words: Array.from({ length: 42 }, word) })),
        ]
        const items = sample(stories, stories.length).map((story, k) => ({
          uri: story.id,
          type: 'text',
          versioncreated: new Date(Date.UTC(2026, 1, 3, 8, a * 20 + k)).toISOString(),
          headlines: [{ value: story.words.slice(0, 6).join(' ') }],
          bodies: [{ contenttype: 'text/html', value: `<p>${story.words.slice(6, 24).join(' ')}.</p><p><b>${story.words.slice(24).join(' ')}</b>.</p>` }],
          infosources: [{ name: agency, literal: agency }],
        }))
        return { bytes: new TextEncoder().encode(JSON.stringify(items, null, 2).padEnd(40_000)), origin: `${agency}.json` }
      })
      expect(files.every((f) => f.bytes.byteLength > 32 * 1024)).toBe(true)
      let imported = 0
      for await (const report of c.wire.ingestAll(files)) imported += report.imported
      expect(imported).toBe(3 * 72)

      const rows = await c.database.db.selectFrom('wire_items').select(['agency_item_id', 'group_id']).execute()
      const groups = new Map<string, string[]>()
      for (const row of rows) groups.set(row.group_id, [...(groups.get(row.group_id) ?? []), row.agency_item_id])
      const found = [...groups.values()].filter((ids) => ids.length > 1).map((ids) => ids.sort().join(' ')).sort()
      const expected = events.map((_, e) => agencies.map((agency) => `urn:${agency}:event-${e}`).sort().join(' ')).sort()
      expect(found).toEqual(expected)
      expect(groups.size).toBe(12 + 3 * 60)
    }, 60_000)

    it('stores a large batch in chunks, and an item the database refuses costs only itself', async () => {
      // A trigger stands in for any failure while storing one item (disk full, a constraint).
      if (dialect === 'sqlite') {
        await sql`create trigger refuse_item before insert on wire_items when new.headline = 'Refuse me' begin select raise(abort, 'refused by the test trigger'); end`.execute(c.database.db)
      } else {
        await sql`create function refuse_item() returns trigger language plpgsql as $$ begin if new.headline = 'Refuse me' then raise exception 'refused by the test trigger'; end if; return new; end $$`.execute(c.database.db)
        await sql`create trigger refuse_item before insert on wire_items for each row execute function refuse_item()`.execute(c.database.db)
      }
      const items = Array.from({ length: 120 }, (_, i) => ({
        uri: `urn:acp:batch-${i}`,
        type: 'text',
        versioncreated: '2026-02-03T10:00:00Z',
        headlines: [{ value: i === 77 ? 'Refuse me' : `Batch story ${i}` }],
        bodies: [{ contenttype: 'text/plain', value: `Text of story ${i} about reservoir ${i * 7} and bridge ${i * 13}.` }],
        infosources: [{ name: 'Agence Continentale de Presse', literal: 'ACP' }],
      }))
      const report = await c.wire.ingest({ bytes: new TextEncoder().encode(JSON.stringify(items)), origin: 'batch.json' })
      expect(report.imported).toBe(119)
      expect(report.rejected).toEqual([
        { where: 'item[77] id=urn:acp:batch-77', code: 'WIRE_STORE_FAILED', message: expect.stringContaining('refused by the test trigger') },
      ])
      const stored = (await c.wire.listDesk({}, { page: 1, perPage: 200 })).items.flatMap((g) => g.items)
      expect(stored).toHaveLength(119)
      expect(stored.some((i) => i.headline === 'Refuse me')).toBe(false)
      expect((await c.wire.getRaw(report.rawId)).outcome).toBe('partial')
    })

    it('quarantines unreadable input with its bytes, and one bad item never stops the rest', async () => {
      for (const name of ['broken/malformed.xml', 'broken/xxe.xml', 'broken/billion-laughs.xml', 'broken/binary-junk.bin', 'broken/malformed.json']) {
        const bytes = fixture(name)
        const report = await c.wire.ingest({ bytes, origin: name })
        expect(report.imported, name).toBe(0)
        expect(report.rejected.length, name).toBeGreaterThan(0)
        expect(report.rejected[0]!.code, name).toMatch(/^WIRE_/)
        expect(report.rejected[0]!.where, name).toBeTruthy()
        const raw = await c.wire.getRaw(report.rawId)
        expect(raw.outcome).toBe('rejected')
        expect(Buffer.from(raw.bytes).equals(Buffer.from(bytes))).toBe(true)
      }
      expect(await c.wire.listQuarantine()).toHaveLength(5)

      const batch = await c.wire.ingest({ bytes: fixture('ninjs/batch-mixed.json'), origin: 'batch-mixed.json' })
      expect(batch.imported).toBeGreaterThan(0)
      expect(batch.rejected.length).toBeGreaterThan(0)
      expect(batch.rejected.every((r) => /item\[\d+\]|line \d+/.test(r.where))).toBe(true)
      expect((await c.wire.getRaw(batch.rawId)).outcome).toBe('partial')
      expect((await c.wire.listQuarantine()).map((q) => q.outcome).sort()).toEqual(['partial', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected'])
      const stored = (await c.wire.listDesk({}, { page: 1, perPage: 50 })).items.flatMap((g) => g.items)
      expect(stored).toHaveLength(batch.imported)
    })
  })
}
