import { readFileSync } from 'node:fs'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { createFormGuard, createMemorySpentStore, createProofOfWork, createRedisSpentStore, formSecret, solveProof, type SpentStore } from '../../src/submissions/index.ts'
import { rotateTipKeys } from '../../src/submissions/stores/age-keys.ts'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { parseHtml, textOf } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const EDITOR = { email: 'proof.editor@example.org', password: 'a proof editor password' }
const REDIS_URL = 'redis://127.0.0.1:6379'
const LETTER = { name: 'Ada Reader', town: 'Lyon', email: 'ada@example.org', website: '' }

async function openForm(t: TestServer, path: string) {
  const response = await t.fetch(path)
  const html = await response.text()
  const $ = parseHtml(html)
  return { response, $, token: $('input[name="_form"]').first().attr('value') ?? '', proof: $('input[name="_proof"]').first().attr('value') ?? '' }
}

async function postForm(t: TestServer, path: string, fields: Record<string, string>) {
  const response = await t.fetch(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) })
  const html = await response.text()
  return { response, html, $: parseHtml(html) }
}

async function postMultipart(t: TestServer, path: string, fields: Record<string, string>, files: { name: string; bytes: Uint8Array }[] = []) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  for (const f of files) form.append('files', new Blob([Buffer.from(f.bytes)]), f.name)
  const response = await t.fetch(path, { method: 'POST', body: form })
  const html = await response.text()
  return { response, html, $: parseHtml(html) }
}

/** A letter form's fields with its proof solved, as the page's script would. */
async function solvedLetter(t: TestServer, text: string) {
  const form = await openForm(t, '/contact/letter')
  return { _form: form.token, _proof: form.proof, _proof_answer: solveProof(form.proof), ...LETTER, text }
}

const count = async (t: TestServer) => Number((await t.server.container.database.db.selectFrom('submissions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

for (const dialect of DIALECTS) {
  describe(`${dialect}: the reader forms' proof of work`, () => {
    let t: TestServer
    beforeAll(async () => {
      t = await startTestServer(dialect, { wirePollSeconds: 0, pageCache: false, readerForms: { minSeconds: 0, perAddress: 1000, perHour: 10000, perAddressWithoutProof: 2 } })
      await t.server.container.auth.createUser({ ...EDITOR, name: 'Proof Editor', role: 'editor' })
    })
    afterAll(async () => {
      await t?.cleanup()
    })

    it('each form carries a signed challenge and our own script, allowed by the page policy and served under its hash', async () => {
      for (const kind of ['letter', 'opinion', 'tip']) {
        const form = await openForm(t, `/contact/${kind}`)
        expect(form.response.headers.get('content-security-policy')).toContain("script-src 'self'")
        expect(form.response.headers.get('content-security-policy')).toContain("connect-src 'none'")
        expect(form.proof).toMatch(/^v1\.\d+\.[\w-]+\.16\.[\w-]+$/)
        const src = form.$('script').attr('src')!
        expect(src).toMatch(kind === 'tip' ? /^\/assets\/reader-tip\.[0-9a-f]{12}\.js$/ : /^\/assets\/reader-forms\.[0-9a-f]{12}\.js$/)
        const script = await t.fetch(src)
        expect(script.status).toBe(200)
        expect(script.headers.get('content-type')).toMatch(/^text\/javascript/)
        expect(script.headers.get('cache-control')).toContain('immutable')
        expect((await script.text()).length).toBeGreaterThan(200)
      }
      expect((await t.fetch('/assets/reader-tip.000000000000.js')).status).toBe(404)
      // The follow-up page and the rest of the site still run no script.
      expect((await t.fetch('/contact/tip/follow-up')).headers.get('content-security-policy')).toContain("script-src 'none'")
      expect((await t.fetch('/')).headers.get('content-security-policy')).toContain("script-src 'none'")
    })

    it('a letter with a solved proof is accepted; the same proof again is refused with the letter kept', async () => {
      const fields = await solvedLetter(t, 'Proof once.')
      const first = await postForm(t, '/contact/letter', fields)
      expect(first.response.status).toBe(200)
      expect(textOf(first.$, '.reference')).toMatch(/^L-/)
      const before = await count(t)
      const again = await postForm(t, '/contact/letter', { ...fields, _form: (await openForm(t, '/contact/letter')).token, text: 'Proof twice.' })
      expect(again.response.status).toBe(409)
      expect(textOf(again.$, '.form-problem')).toMatch(/already sent once with this check/)
      expect(again.$('#letter-text').text()).toBe('Proof twice.')
      expect(again.$('#letter-name').attr('value')).toBe('Ada Reader')
      // The page comes back with a fresh challenge for the script to solve.
      expect(again.$('input[name="_proof"]').attr('value')).not.toBe(fields._proof)
      expect(await count(t)).toBe(before)
    })

    it('a stale proof, a forged signature, another form kind\'s proof or a wrong answer are refused, keeping the form', async () => {
      const secret = await formSecret(t.server.container.database.db)
      const before = await count(t)
      const old = createProofOfWork({ secret, now: () => Date.now() - 3 * 3600_000, bits: 8, maxAgeSeconds: 7200, spent: createMemorySpentStore() }).issue('letter')
      const stale = await postForm(t, '/contact/letter', { ...(await solvedLetter(t, 'Stale words.')), _proof: old, _proof_answer: solveProof(old) })
      expect(stale.response.status).toBe(422)
      expect(textOf(stale.$, '.form-problem')).toMatch(/too old/)
      expect(stale.$('#letter-text').text()).toBe('Stale words.')

      const good = await solvedLetter(t, 'Forged words.')
      const parts = good._proof.split('.')
      const forgedChallenge = [...parts.slice(0, 4), `${parts[4]!.slice(0, -2)}AA`].join('.')
      const forged = await postForm(t, '/contact/letter', { ...good, _proof: forgedChallenge, _proof_answer: solveProof(forgedChallenge) })
      expect(forged.response.status).toBe(400)
      expect(textOf(forged.$, '.form-problem')).toMatch(/did not come from this site/)
      expect(forged.$('#letter-text').text()).toBe('Forged words.')

      // An easier challenge signed with another key does not pass either.
      const otherKey = createProofOfWork({ secret: 'not our key', now: Date.now, bits: 1, maxAgeSeconds: 7200, spent: createMemorySpentStore() }).issue('letter')
      expect((await postForm(t, '/contact/letter', { ...(await solvedLetter(t, 'Other key.')), _proof: otherKey, _proof_answer: solveProof(otherKey) })).response.status).toBe(400)

      const tipProof = (await openForm(t, '/contact/tip')).proof
      const crossed = await postForm(t, '/contact/letter', { ...(await solvedLetter(t, 'Crossed.')), _proof: tipProof, _proof_answer: solveProof(tipProof) })
      expect(crossed.response.status).toBe(400)

      const wrong = await solvedLetter(t, 'Wrong answer.')
      let answer = 0
      // The first answer that does not reach 16 zero bits.
      const isEnough = (a: string) => {
        const bytes = createHash('sha256').update(`${wrong._proof}:${a}`).digest()
        return bytes[0] === 0 && bytes[1] === 0
      }
      while (isEnough(answer.toString(36))) answer++
      const refused = await postForm(t, '/contact/letter', { ...wrong, _proof_answer: answer.toString(36) })
      expect(refused.response.status).toBe(400)
      expect(refused.$('#letter-text').text()).toBe('Wrong answer.')
      expect(await count(t)).toBe(before)
    })

    it('without a proof (no JavaScript) a letter is taken under the lower per-address limit, which a proof does not touch', async () => {
      const plain = async (text: string) => postForm(t, '/contact/letter', { _form: (await openForm(t, '/contact/letter')).token, ...LETTER, text })
      expect((await plain('No script one.')).response.status).toBe(200)
      expect((await plain('No script two.')).response.status).toBe(200)
      const third = await plain('No script three, kept.')
      expect(third.response.status).toBe(429)
      expect(textOf(third.$, '.form-problem')).toMatch(/did not work out the form’s check/)
      expect(third.$('#letter-text').text()).toBe('No script three, kept.')
      expect((await postForm(t, '/contact/letter', await solvedLetter(t, 'With a proof.'))).response.status).toBe(200)
    })

    it('a tip sealed with age to the page\'s key is stored as it came and opens in the inbox like any tip', async () => {
      const form = await openForm(t, '/contact/tip')
      const recipient = form.$('form[data-recipient]').attr('data-recipient')!
      expect(recipient).toMatch(/^age1[0-9a-z]+$/)
      expect(recipient).toBe(await t.server.container.submissions.recipient())
      const encrypter = new Encrypter()
      encrypter.addRecipient(recipient)
      // As the page's script does: sealed with the token of the page it was written on.
      const content = { text: 'The ferry contract was signed twice.', name: 'Quiet Source', email: null, contact: 'Signal +33 6 00 00 00 00', files: ['contract scan.txt'] }
      const sealTo = (token: string) => encrypter.encrypt(JSON.stringify({ form: token, ...content }))
      const sealedFile = await encrypter.encrypt(new TextEncoder().encode('scan lines\n'))
      const fields = { _form: form.token, _proof: form.proof, _proof_answer: solveProof(form.proof), sealed: Buffer.from(await sealTo(form.token)).toString('base64'), website: '' }
      // A file not sealed with the tip is refused, with the words back in the form.
      const unsealedFile = await postMultipart(t, '/contact/tip', fields, [{ name: 'file-1.age', bytes: new TextEncoder().encode('scan lines\n') }])
      expect(unsealedFile.response.status).toBe(422)
      expect(unsealedFile.$('#tip-files-error').text()).toMatch(/do not match the locked tip/)
      expect(unsealedFile.$('#tip-text').text()).toBe(content.text)
      const fresh = await openForm(t, '/contact/tip')
      const sealed = await sealTo(fresh.token)
      const sent = await postMultipart(t, '/contact/tip', { ...fields, _form: fresh.token, _proof: fresh.proof, _proof_answer: solveProof(fresh.proof), sealed: Buffer.from(sealed).toString('base64') }, [{ name: 'file-1.age', bytes: sealedFile }])
      expect(sent.response.status).toBe(200)
      expect(sent.html).toContain('Your browser locked your words, contact details and files')
      const reference = textOf(sent.$, '.reference')
      const row = await t.server.container.database.db.selectFrom('submissions').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow()
      expect(Buffer.from(row.sealed!, 'base64').equals(Buffer.from(sealed))).toBe(true)
      expect(row.body).toBe('')
      expect(row.contact).toBeNull()
      const editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      const page = await editor.get(`/admin/inbox/${row.id}`)
      expect(page.$('.reader-body').text()).toBe(content.text)
      expect(page.html).toContain('Signal +33 6 00 00 00 00')
      const link = page.$('a').filter((_, a) => page.$(a).text() === 'contract scan.txt')
      expect(link).toHaveLength(1)
      const download = await fetch(`${t.url}${link.attr('href')}`, { headers: { cookie: editor.cookieHeader() } })
      expect(await download.text()).toBe('scan lines\n')
      // The file's stored bytes are the browser's age file, as sent.
      const stored = await t.server.container.database.db.selectFrom('submission_attachments').select('storage_key').where('submission_id', '=', row.id).executeTakeFirstOrThrow()
      expect(readFileSync(path.join(t.server.container.config.dataDir, 'submissions', stored.storage_key)).equals(Buffer.from(sealedFile))).toBe(true)
    })

    it('a sealed tip that is not ours or not whole is refused with a clear message; a refused sealed tip comes back readable', async () => {
      const before = await count(t)
      const stranger = new Encrypter()
      stranger.addRecipient(await identityToRecipient(await generateX25519Identity()))
      const notOurs = await stranger.encrypt(JSON.stringify({ text: 'Sealed to someone else.' }))
      const form = await openForm(t, '/contact/tip')
      const wrongKey = await postMultipart(t, '/contact/tip', { _form: form.token, _proof: form.proof, _proof_answer: solveProof(form.proof), sealed: Buffer.from(notOurs).toString('base64'), website: '' })
      expect(wrongKey.response.status).toBe(422)
      expect(textOf(wrongKey.$, '.form-problem')).toMatch(/not one we can open/)
      const again = await openForm(t, '/contact/tip')
      const garbage = await postMultipart(t, '/contact/tip', { _form: again.token, sealed: '!!not base64!!', text: '', website: '' })
      expect(garbage.response.status).toBe(422)
      expect(textOf(garbage.$, '.form-problem')).toMatch(/damaged/)

      // Ours and whole, but the spent proof refuses it: the words come back into the form from the sealed tip.
      const recipient = again.$('form[data-recipient]').attr('data-recipient')!
      const ours = new Encrypter()
      ours.addRecipient(recipient)
      const form3 = await openForm(t, '/contact/tip')
      const sealed = await ours.encrypt(JSON.stringify({ form: form3.token, text: 'Kept words.', name: null, email: null, contact: 'Kept contact', files: [] }))
      const replayFields = { _form: form3.token, _proof: form3.proof, _proof_answer: solveProof(form3.proof), sealed: Buffer.from(sealed).toString('base64'), website: '' }
      expect((await postMultipart(t, '/contact/tip', replayFields)).response.status).toBe(200)
      const replayed = await postMultipart(t, '/contact/tip', replayFields)
      expect(replayed.response.status).toBe(409)
      expect(replayed.$('#tip-text').text()).toBe('Kept words.')
      expect(replayed.$('#tip-contact').attr('value')).toBe('Kept contact')
      expect(await count(t)).toBe(before + 1)

      // The same sealed tip sent from another page (as someone holding a copy of the database could, with a
      // tripped trap to make the form come back): refused, and its words are not shown.
      const other = await openForm(t, '/contact/tip')
      const copied = await postMultipart(t, '/contact/tip', { ...replayFields, _form: other.token, _proof: other.proof, _proof_answer: solveProof(other.proof), website: 'trap' })
      expect(copied.response.status).toBe(422)
      expect(copied.html).not.toContain('Kept words.')
      expect(copied.html).not.toContain('Kept contact')
      expect(await count(t)).toBe(before + 1)
    })

    it('a sealed tip sent after its form token\'s day comes back into the form, words and all; one sealed on another page does not', async () => {
      const before = await count(t)
      const form = await openForm(t, '/contact/tip')
      const recipient = form.$('form[data-recipient]').attr('data-recipient')!
      const secret = await formSecret(t.server.container.database.db)
      // The page was opened two days ago: its token is ours, signed, and past its day.
      const old = createFormGuard({ secret, now: () => Date.now() - 2 * 86400_000, minSeconds: 0, maxAgeSeconds: 86400 }).issue('tip')
      const encrypter = new Encrypter()
      encrypter.addRecipient(recipient)
      const sealed = await encrypter.encrypt(JSON.stringify({ form: old, text: 'Written slowly over two days.', name: 'Patient Source', email: null, contact: 'Kept line', files: [] }))
      const late = await postMultipart(t, '/contact/tip', { _form: old, _proof: form.proof, _proof_answer: solveProof(form.proof), sealed: Buffer.from(sealed).toString('base64'), website: '' })
      expect(late.response.status).toBe(422)
      expect(textOf(late.$, '.form-problem')).toMatch(/open for more than a day.*everything you wrote is still here/)
      expect(late.$('#tip-text').text()).toBe('Written slowly over two days.')
      expect(late.$('#tip-name').attr('value')).toBe('Patient Source')
      expect(late.$('#tip-contact').attr('value')).toBe('Kept line')
      // The page comes back with a fresh token: sent from it, the tip arrives.
      const again = { token: late.$('input[name="_form"]').attr('value')!, proof: late.$('input[name="_proof"]').attr('value')! }
      const resealed = await encrypter.encrypt(JSON.stringify({ form: again.token, text: 'Written slowly over two days.', name: 'Patient Source', email: null, contact: 'Kept line', files: [] }))
      const sent = await postMultipart(t, '/contact/tip', { _form: again.token, _proof: again.proof, _proof_answer: solveProof(again.proof), sealed: Buffer.from(resealed).toString('base64'), website: '' })
      expect(sent.response.status).toBe(200)
      expect(await count(t)).toBe(before + 1)

      // An old token with a sealed tip made on another page (a copy from storage): refused, its words not shown.
      const elsewhere = await encrypter.encrypt(JSON.stringify({ form: form.token, text: 'Not for this page.', name: null, email: null, contact: null, files: [] }))
      const copied = await postMultipart(t, '/contact/tip', { _form: old, sealed: Buffer.from(elsewhere).toString('base64'), website: '' })
      expect(copied.response.status).toBe(422)
      expect(copied.html).not.toContain('Not for this page.')
      expect(await count(t)).toBe(before + 1)
    })

    it('a tip sealed to the key that was newest when its page opened is taken after a key rotation, and opens in the inbox', async () => {
      const form = await openForm(t, '/contact/tip')
      const oldRecipient = form.$('form[data-recipient]').attr('data-recipient')!
      const keyFile = t.server.container.config.tipKeyFile ?? path.join(t.server.container.config.dataDir, 'keys', 'tips.key')
      const newRecipient = await rotateTipKeys(keyFile)
      expect(newRecipient).not.toBe(oldRecipient)
      const encrypter = new Encrypter()
      encrypter.addRecipient(oldRecipient)
      const sealed = await encrypter.encrypt(JSON.stringify({ form: form.token, text: 'Sealed before the rotation.', name: null, email: null, contact: null, files: ['note.txt'] }))
      const file = await encrypter.encrypt(new TextEncoder().encode('note lines\n'))
      const sent = await postMultipart(t, '/contact/tip', { _form: form.token, _proof: form.proof, _proof_answer: solveProof(form.proof), sealed: Buffer.from(sealed).toString('base64'), website: '' }, [{ name: 'file-1.age', bytes: file }])
      expect(sent.response.status, textOf(sent.$, '.form-problem')).toBe(200)
      const row = await t.server.container.database.db.selectFrom('submissions').select('id').where('reference', '=', textOf(sent.$, '.reference')).executeTakeFirstOrThrow()
      const editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      const page = await editor.get(`/admin/inbox/${row.id}`)
      expect(page.$('.reader-body').text()).toBe('Sealed before the rotation.')
      expect(page.$('a').filter((_, a) => page.$(a).text() === 'note.txt')).toHaveLength(1)
      // New pages carry the new key.
      expect((await openForm(t, '/contact/tip')).$('form[data-recipient]').attr('data-recipient')).toBe(newRecipient)
    })
  })
}

describe('spent proofs with Redis', () => {
  const servers: TestServer[] = []
  const redis = new Redis(REDIS_URL, { lazyConnect: true })
  afterAll(async () => {
    for (const s of servers) await s.cleanup()
    await redis.quit()
  })

  it('a server with REDIS_URL keeps spent challenges in Redis and refuses a replay, keeping the form', async () => {
    const prefix = `masthead-test-proof-${process.pid}-${Date.now()}:`
    const t = await startTestServer('sqlite', { wirePollSeconds: 0, redisUrl: REDIS_URL, redisPrefix: prefix, readerForms: { minSeconds: 0, perAddress: 100, perHour: 1000 } })
    servers.push(t)
    const fields = await solvedLetter(t, 'Once with Redis.')
    expect((await postForm(t, '/contact/letter', fields)).response.status).toBe(200)
    const keys = await redis.keys(`${prefix}proof:*`)
    expect(keys).toHaveLength(1)
    const ttl = await redis.pttl(keys[0]!)
    expect(ttl).toBeGreaterThan(3600_000)
    expect(ttl).toBeLessThanOrEqual(2 * 3600_000 + 1000)
    const again = await postForm(t, '/contact/letter', { ...fields, _form: (await openForm(t, '/contact/letter')).token })
    expect(again.response.status).toBe(409)
    expect(again.$('#letter-text').text()).toBe('Once with Redis.')
  })

  it('two processes share the spent challenges: a proof spent by one is refused by the other', async () => {
    const prefix = `masthead-test-proof-${process.pid}-${Date.now()}-b:`
    const failures: unknown[] = []
    const store = () => createRedisSpentStore({ redis, prefix, fallback: createMemorySpentStore(), onError: (error) => failures.push(error) })
    const pow = (spent: SpentStore) => createProofOfWork({ secret: 'shared key', now: Date.now, bits: 8, maxAgeSeconds: 7200, spent })
    const [one, two] = [pow(store()), pow(store())]
    const challenge = one.issue('tip')
    const answer = solveProof(challenge)
    expect(await one.check('tip', challenge, answer)).toBe('ok')
    expect(await two.check('tip', challenge, answer)).toBe('replayed')
    expect(await one.check('tip', challenge, answer)).toBe('replayed')
    expect(failures).toEqual([])
  })
})
