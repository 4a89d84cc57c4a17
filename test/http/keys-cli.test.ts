import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Decrypter, identityToRecipient } from 'age-encryption'
import { describe, expect, it } from 'vitest'
import { createAgeTipSealer } from '../../src/submissions/stores/age-keys.ts'
import { runCli } from '../support/cli.ts'

const keysIn = (file: string) => readFileSync(file, 'utf8').match(/^AGE-SECRET-KEY-1\S+$/gm) ?? []

// Several runs of the real command, each starting Node and compiling the sources: slow on a busy machine.
describe('masthead keys init and rotate', { timeout: 180_000 }, () => {
  it('init makes a private key file and prints its public key; a second init refuses; rotate adds a key and old tips still open', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'masthead-keys-cli-'))
    const env = { DATA_DIR: dir, MASTHEAD_DEMO: 'false' }
    const file = path.join(dir, 'keys', 'tips.key')
    try {
      const early = await runCli(['keys', 'rotate'], env)
      expect(early.code).toBe(1)
      expect(early.stderr).toContain('masthead keys init')
      expect(existsSync(file)).toBe(false)

      const init = await runCli(['keys', 'init'], env)
      expect(init.code, init.stderr).toBe(0)
      const [first] = keysIn(file)
      expect(keysIn(file)).toHaveLength(1)
      expect(statSync(file).mode & 0o777).toBe(0o600)
      expect(init.stdout).toContain(`Made ${file} (public key ${await identityToRecipient(first!)})`)

      const sealer = createAgeTipSealer({ file, createIfMissing: false })
      const before = await sealer.seal(new TextEncoder().encode('sealed before the rotation'))

      const again = await runCli(['keys', 'init'], env)
      expect(again.code).toBe(1)
      expect(again.stderr).toContain('exists already')
      expect(keysIn(file)).toEqual([first])

      const rotate = await runCli(['keys', 'rotate'], env)
      expect(rotate.code, rotate.stderr).toBe(0)
      const keys = keysIn(file)
      expect(keys).toHaveLength(2)
      expect(keys[0]).toBe(first)
      expect(rotate.stdout).toContain(`public key ${await identityToRecipient(keys[1]!)}`)
      expect(statSync(file).mode & 0o777).toBe(0o600)

      // Old tips open with the file as it is now; new ones are sealed to the new key alone.
      expect(new TextDecoder().decode(await sealer.open(before))).toBe('sealed before the rotation')
      const after = await sealer.seal(new TextEncoder().encode('sealed after'))
      const onlyNew = new Decrypter()
      onlyNew.addIdentity(keys[1]!)
      expect(new TextDecoder().decode(await onlyNew.decrypt(after))).toBe('sealed after')
      const onlyOld = new Decrypter()
      onlyOld.addIdentity(first!)
      await expect(onlyOld.decrypt(after)).rejects.toThrow()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('MASTHEAD_TIP_KEY_FILE puts the key file where it says', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'masthead-keys-cli-'))
    const file = path.join(dir, 'elsewhere', 'newsroom.key')
    try {
      const init = await runCli(['keys', 'init'], { DATA_DIR: path.join(dir, 'data'), MASTHEAD_DEMO: 'false', MASTHEAD_TIP_KEY_FILE: file })
      expect(init.code, init.stderr).toBe(0)
      expect(keysIn(file)).toHaveLength(1)
      expect(existsSync(path.join(dir, 'data', 'keys', 'tips.key'))).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
