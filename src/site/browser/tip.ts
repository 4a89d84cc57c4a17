import { Encrypter } from 'age-encryption'
import { startProofs } from './proof.ts'

/**
 * The tip form (and /contact, which holds it): the proof of work, and the tip
 * sealed in the browser with age to the newsroom's public key before it is
 * sent. The words and contact details leave the browser only as ciphertext in
 * the hidden field `sealed`; the visible fields lose their names so they are
 * not sent. Each attachment is sealed too and sent as `file-1.age`, … (its
 * name travels inside the tip's ciphertext). Without DataTransfer (very old
 * browsers) nothing is sealed here and the server seals on arrival.
 */

const SEALED_FIELDS = ['text', 'name', 'email', 'contact'] as const

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

function sealTips(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>('form.reader-form[data-recipient]')) {
    const recipient = form.dataset.recipient ?? ''
    const sealed = form.querySelector<HTMLInputElement>('input[name="sealed"]')
    if (!recipient.startsWith('age1') || !sealed || !globalThis.crypto?.subtle || typeof DataTransfer !== 'function') continue
    let isSealing = false
    let hidden: [HTMLElement, string][] = []
    // Back to this page from the next one (the browser's page cache): the fields get their names back and nothing stays sealed.
    window.addEventListener('pageshow', (event) => {
      if (!event.persisted) return
      for (const [el, name] of hidden) el.setAttribute('name', name)
      hidden = []
      sealed.value = ''
      isSealing = false
    })
    form.addEventListener('submit', (event) => {
      if (isSealing) return
      const field = (name: string) => form.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${name}"]`)
      const text = field('text')
      // An empty tip goes as it is, so the server's message comes back at the field; there is nothing to protect.
      if (!text || text.value.trim() === '') return
      event.preventDefault()
      isSealing = true
      const files = form.querySelector<HTMLInputElement>('input[type="file"][name="files"]')
      const chosen = files?.files ? Array.from(files.files) : []
      const content = {
        // Binds the sealed tip to this page: the server refuses it with any other form token.
        form: field('_form')?.value ?? '',
        text: text.value,
        name: field('name')?.value.trim() || null,
        email: field('email')?.value.trim() || null,
        contact: field('contact')?.value.trim() || null,
        files: chosen.map((f) => f.name),
      }
      const encrypter = new Encrypter()
      encrypter.addRecipient(recipient)
      // Each file is sealed on its own, to the same key, and sent as file-1.age, file-2.age, …
      Promise.all([encrypter.encrypt(JSON.stringify(content)), ...chosen.map(async (f) => encrypter.encrypt(new Uint8Array(await f.arrayBuffer())))])
        .then(([ciphertext, ...sealedFiles]) => {
          sealed.value = toBase64(ciphertext!)
          for (const name of SEALED_FIELDS) {
            const el = field(name)
            if (!el) continue
            el.removeAttribute('name')
            hidden.push([el, name])
          }
          if (files && chosen.length > 0) {
            const replaced = new DataTransfer()
            sealedFiles.forEach((bytes, i) => replaced.items.add(new File([bytes as Uint8Array<ArrayBuffer>], `file-${i + 1}.age`, { type: 'application/octet-stream' })))
            files.files = replaced.files
          }
          form.submit()
        })
        .catch(() => {
          // Sealing failed (an old browser): the form goes as it is and the server seals it on arrival.
          isSealing = false
          sealed.value = ''
          for (const [el, name] of hidden) el.setAttribute('name', name)
          hidden = []
          form.submit()
        })
    })
  }
}

startProofs()
sealTips()
