import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { DomainError } from '../../shared/errors.ts'
import { SubmissionErrors } from '../errors.ts'
import type { TipSealer } from '../service.ts'

/**
 * Tips sealed with age (age-encryption.org/v1) to the newsroom's key, kept in
 * a file outside the database: a stolen database or backup holds only
 * ciphertext. The file holds one `AGE-SECRET-KEY-1…` line per key, oldest
 * first; new tips are sealed to the newest, and every key in it can open old ones.
 */

/** The keys in the file, oldest first; null when the file does not exist. */
// The age library is loaded with the first tip or key command, not at start.
const loadAge = () => import('age-encryption')

async function readKeys(file: string): Promise<string[] | null> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('AGE-SECRET-KEY-'))
}

async function writeKeys(file: string, keys: readonly string[]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 })
  const text = `# Masthead tip keys (age). Keep this file secret and backed up apart from the database.\n# Newest last; tips are sealed to the newest; every key here can open the tips sealed to it.\n${keys.join('\n')}\n`
  await writeFile(file, text, { mode: 0o600 })
  await chmod(file, 0o600)
}

/** Creates the key file with one key; refuses when it exists. Returns the public key (recipient). */
export async function initTipKeys(file: string): Promise<string> {
  if ((await readKeys(file)) !== null) throw new DomainError('conflict', SubmissionErrors.SUBMISSION_TIP_KEY_EXISTS, `${file} exists already; use "masthead keys rotate" to add a new key.`)
  const { generateX25519Identity, identityToRecipient } = await loadAge()
  const key = await generateX25519Identity()
  await writeKeys(file, [key])
  return identityToRecipient(key)
}

/** Adds a new key that new tips are sealed to; old keys stay so old tips stay readable. Returns the new public key. */
export async function rotateTipKeys(file: string): Promise<string> {
  const keys = await readKeys(file)
  if (keys === null || keys.length === 0) throw new DomainError('unavailable', SubmissionErrors.SUBMISSION_TIP_KEY_MISSING, `There is no tip key file at ${file}; create it with "masthead keys init".`)
  const { generateX25519Identity, identityToRecipient } = await loadAge()
  const key = await generateX25519Identity()
  await writeKeys(file, [...keys, key])
  return identityToRecipient(key)
}

/**
 * A sealer over the key file. With `createIfMissing`, the first tip makes the
 * file (so `npm start` takes tips at once); otherwise a missing file refuses.
 */
export function createAgeTipSealer(options: { file: string; createIfMissing: boolean }): TipSealer {
  const missing = () =>
    new DomainError('unavailable', SubmissionErrors.SUBMISSION_TIP_KEY_MISSING, `The tip key file (${options.file}) is missing. An admin must restore it, or create one with "masthead keys init"; tips sealed to a lost key cannot be read.`)
  const notForUs = (cause?: unknown) =>
    new DomainError('invalid', SubmissionErrors.SUBMISSION_SEALED_INVALID, 'The locked tip your browser sent is not one we can open: it is damaged or was locked to a key that is not ours.', [], { cause })
  // Only sealing may make the file: opening with a fresh key would hide that the real one is lost.
  async function keys(mayCreate: boolean): Promise<string[]> {
    let found = await readKeys(options.file)
    if ((found === null || found.length === 0) && options.createIfMissing && mayCreate) {
      await initTipKeys(options.file).catch(() => {})
      found = await readKeys(options.file)
    }
    if (!found || found.length === 0) throw missing()
    return found
  }
  return {
    async seal(bytes) {
      const all = await keys(true)
      const { Encrypter, identityToRecipient } = await loadAge()
      const encrypter = new Encrypter()
      encrypter.addRecipient(await identityToRecipient(all[all.length - 1]!))
      return encrypter.encrypt(bytes)
    },
    async recipient() {
      const all = await keys(true)
      const { identityToRecipient } = await loadAge()
      return identityToRecipient(all[all.length - 1]!)
    },
    async openFromBrowser(bytes) {
      const all = await keys(false)
      const text = new TextDecoder().decode(bytes.subarray(0, 22))
      if (text !== 'age-encryption.org/v1\n') throw notForUs()
      // Every key in the file: a page opened before a rotation sealed to the key that was newest then, and the
      // tip it sealed is still readable with the file. What was made on our page is told by the form token inside.
      const { Decrypter } = await loadAge()
      const decrypter = new Decrypter()
      for (const key of all) decrypter.addIdentity(key)
      try {
        return await decrypter.decrypt(bytes)
      } catch (error) {
        throw notForUs(error)
      }
    },
    async open(bytes) {
      const all = await keys(false)
      const { Decrypter } = await loadAge()
      const decrypter = new Decrypter()
      for (const key of all) decrypter.addIdentity(key)
      try {
        return await decrypter.decrypt(bytes)
      } catch (error) {
        throw new DomainError('unavailable', SubmissionErrors.SUBMISSION_TIP_KEY_WRONG, `No key in ${options.file} opens this tip: it was sealed to a key that is not in the file (restore the file from its backup).`, [], { cause: error })
      }
    },
  }
}
