import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paragraph } from '../../src/articles/index.ts'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { textOf } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { wireFixture } from '../support/wire-fixtures.ts'

const EDITOR = { email: 'dash.editor@ledger.example', password: 'dash editor password' }
const AUTHOR = { email: 'dash.author@ledger.example', password: 'dash author password' }
const CONTRIBUTOR = { email: 'dash.contributor@ledger.example', password: 'dash contributor password' }

for (const dialect of DIALECTS) {
  describe(`${dialect}: the dashboard at /admin`, () => {
    let t: TestServer
    const clients: Record<'editor' | 'author' | 'contributor', AdminClient> = {} as never

    beforeAll(async () => {
      t = await startTestServer(dialect, { wirePollSeconds: 0 })
      const { auth, articles, sections, authors, sources, wire } = t.server.container
      const editorId = (await auth.createUser({ ...EDITOR, name: 'Dana Desk', role: 'editor' })).user.id
      const authorId = (await auth.createUser({ ...AUTHOR, name: 'Abe Author', role: 'author' })).user.id
      const contributorId = (await auth.createUser({ ...CONTRIBUTOR, name: 'Cora Contributor', role: 'contributor' })).user.id
      const politics = (await sections.listSections()).find((s) => s.slug === 'politics')!
      const desk = (await authors.listAll()).find((a) => a.kind === 'desk')!
      const staff = (await sources.listAll()).find((s) => s.kind === 'staff')!
      const story = (title: string) => ({ title, body: [paragraph(`${title}: the text.`)], sectionIds: [politics.id], authorIds: [desk.id], sourceId: staff.id, tagIds: [] })
      const author = { userId: authorId, role: 'author' as const }
      const editor = { userId: editorId, role: 'editor' as const }
      const inReview = await articles.createDraft(story('Harbour fees go to review'), author)
      await articles.submitForReview(inReview.id, author)
      await articles.createDraft(story('Abe keeps this draft'), author)
      await articles.createDraft(story('Dana drafts the night note'), editor)
      await articles.createDraft(story('Cora writes a letter'), { userId: contributorId, role: 'contributor' })
      const later = await articles.createDraft(story('Scheduled for Friday'), editor)
      await articles.schedule(later.id, { at: new Date(Date.now() + 3 * 86_400_000).toISOString() }, editor)
      const sooner = await articles.createDraft(story('Scheduled for tomorrow'), editor)
      await articles.schedule(sooner.id, { at: new Date(Date.now() + 86_400_000).toISOString() }, editor)
      await wire.ingest({ bytes: wireFixture('newsml-g2/acp-harbour-talks-v1.xml'), origin: 'acp-harbour-talks-v1.xml', contentType: 'application/xml' })
      for (const [role, who] of [['editor', EDITOR], ['author', AUTHOR], ['contributor', CONTRIBUTOR]] as const) {
        clients[role] = new AdminClient(t.url)
        await clients[role].signIn(who.email, who.password)
      }
    })
    afterAll(async () => t?.cleanup())

    const sectionText = (page: Awaited<ReturnType<AdminClient['get']>>, id: string) => textOf(page.$, `section[aria-labelledby="${id}"]`)

    it('shows an editor the review queue, what goes out next (soonest first), the latest wire copy and their own drafts', async () => {
      const page = await clients.editor.get('/admin')
      expect(page.response.status).toBe(200)
      expect(textOf(page.$, 'h1')).toBe('Dashboard')
      expect(sectionText(page, 'review-title')).toContain('Waiting for review (1)')
      expect(sectionText(page, 'review-title')).toContain('Harbour fees go to review')
      const scheduled = page.$('section[aria-labelledby="scheduled-title"] li a').map((_, a) => page.$(a).text()).get()
      expect(scheduled).toEqual(['Scheduled for tomorrow', 'Scheduled for Friday'])
      expect(sectionText(page, 'wire-title')).toContain('Coastal neighbours reopen talks on shared harbour')
      const drafts = sectionText(page, 'drafts-title')
      expect(drafts).toContain('Your drafts (1)')
      expect(drafts).toContain('Dana drafts the night note')
      expect(drafts).not.toContain('Abe keeps this draft')
      expect(page.$('nav a[href="/admin"][aria-current="page"]').length).toBe(1)
    })

    it('shows an author the wire and their own drafts, without the review queue', async () => {
      const page = await clients.author.get('/admin')
      expect(page.$('#review-title').length).toBe(0)
      expect(sectionText(page, 'wire-title')).toContain('Coastal neighbours')
      expect(sectionText(page, 'drafts-title')).toContain('Abe keeps this draft')
      expect(sectionText(page, 'drafts-title')).not.toContain('Dana drafts')
    })

    it('shows a contributor only their own work: no review queue, no wire, nobody else’s stories', async () => {
      const page = await clients.contributor.get('/admin')
      expect(page.response.status).toBe(200)
      expect(page.$('#review-title').length).toBe(0)
      expect(page.$('#wire-title').length).toBe(0)
      expect(sectionText(page, 'drafts-title')).toContain('Cora writes a letter')
      expect(sectionText(page, 'scheduled-title')).toContain('Nothing is scheduled.')
      expect(textOf(page.$, 'main')).not.toContain('Harbour fees')
    })

    it('sends someone signed out to the sign-in page and back', async () => {
      const response = await t.fetch('/admin')
      expect(response.status).toBe(303)
      expect(response.headers.get('location')).toBe('/admin/sign-in?next=%2Fadmin')
    })
  })
}
