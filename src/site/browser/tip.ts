import { Encrypter } from 'age-encryption'
import { startProofs } from './proof.ts'

/**
 * The tip form (and /contact, which holds it): the proof of work, and the tip
 * sealed in the browser with age to the newsroom's public key before it is
 * sent. The words and contact details leave the browser only as ciphertext in
 * the hidden field `sealed`; the visible fields lose their names so they are
 * not sent. Attachments are sent as chosen (renamed file-1, file-2, … so their
 * names travel inside the ciphertext) and sealed by the server on arrival.
 */

const SEALED_FIELDS = ['text', 'name', 'email', 'contact'] as const

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot).replace(/[^.a-zA-Z0-9]/g, '').slice(0, 8) : ''
}

function sealTips(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>('form.reader-form[data-recipient]')) {
    const recipient = form.dataset.recipient ?? ''
    const sealed = form.querySelector<HTMLInputElement>('input[name="sealed"]')
    if (!recipient.startsWith('age1') || !sealed || !globalThis.crypto?.subtle) continue
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
        text: text.value,
        name: field('name')?.value.trim() || null,
        email: field('email')?.value.trim() || null,
        contact: field('contact')?.value.trim() || null,
        files: chosen.map((f) => f.name),
      }
      const encrypter = new Encrypter()
      encrypter.addRecipient(recipient)
      encrypter
        .encrypt(JSON.stringify(content))
        .then((ciphertext) => {
          sealed.value = toBase64(ciphertext)
          for (const name of SEALED_FIELDS) {
            const el = field(name)
            if (!el) continue
            el.removeAttribute('name')
            hidden.push([el, name])
          }
          if (files && chosen.length > 0 && typeof DataTransfer === 'function') {
            const renamed = new DataTransfer()
            chosen.forEach((f, i) => renamed.items.add(new File([f], `file-${i + 1}${extension(f.name)}`, { type: f.type })))
            files.files = renamed.files
          }
          form.submit()
        })
        .catch(() => {
          // Sealing failed (an old browser): the form goes as it is and the server seals it on arrival.
          isSealing = false
          sealed.value = ''
          form.submit()
        })
    })
  }
}

startProofs()
sealTips()
