import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Transporter } from 'nodemailer'

/** One plain-text message to one person. */
export interface MailMessage {
  to: string
  subject: string
  text: string
}

/** What became of a message: its id, and the file it was written to when there is no SMTP server. */
export interface SentMail {
  messageId: string
  file: string | null
}

/** Sends the newsroom's mail. Built once by the composition root; features receive it as a dependency. */
export interface Mailer {
  send(message: MailMessage): Promise<SentMail>
  /** Where messages go, for logs and the README: `smtp://host:port` or the outbox folder. */
  readonly destination: string
  /**
   * True when messages are written as files under the outbox folder (no SMTP
   * server): whatever they say lies unencrypted on the server's disk, so
   * mail about tips is not sent through it.
   */
  readonly isKeptOnDisk: boolean
  close(): void
}

/** Where the mailer says what it did: pino's shape (the server's logger). */
export interface MailLog {
  info(details: object, message: string): void
  warn(details: object, message: string): void
}

/**
 * A failure as it may be logged: its code and message with any email
 * address taken out (an SMTP server's refusal often quotes the recipient).
 */
export function mailFailure(error: unknown): { code?: string; message: string } {
  const e = error as { code?: unknown; message?: unknown } | null
  const message = String(e?.message ?? error).replace(/[^\s<>"',;:()]+@[^\s<>"',;:()]+/g, '[address]')
  return typeof e?.code === 'string' ? { code: e.code, message } : { message }
}

export interface MailerOptions {
  /** `smtp://user:pass@host:587` or `smtps://…`; null writes .eml files to `outboxDir` instead. */
  smtpUrl: string | null
  outboxDir: string
  /** The From address, e.g. `"The Ledger newsroom" <newsroom@example.org>`. */
  from: string
  /** Hears each message sent (its outbox file, or its id over SMTP), never its recipient; none by default. */
  log?: MailLog
}

/**
 * Mail through nodemailer: over SMTP when a server is configured, otherwise
 * each message is written as an .eml file under the outbox folder, so someone
 * trying Masthead sees its mail without running a mail server.
 */
export function createMailer(options: MailerOptions): Mailer {
  // nodemailer is loaded with the first message, not at start: most processes send none.
  let transport: Promise<Transporter> | null = null
  let opened: Transporter | null = null
  const transportOnce = (settings: Parameters<typeof import('nodemailer').createTransport>[0]) =>
    (transport ??= import('nodemailer').then((nodemailer) => (opened = nodemailer.default.createTransport(settings))))
  const close = () => opened?.close()
  if (options.smtpUrl) {
    const smtpUrl = options.smtpUrl
    const url = new URL(smtpUrl)
    return {
      destination: `${url.protocol}//${url.host}`,
      isKeptOnDisk: false,
      async send(message) {
        const info = await (await transportOnce(smtpUrl)).sendMail({ from: options.from, ...message })
        options.log?.info({ messageId: String(info.messageId), via: `${url.protocol}//${url.host}` }, 'mail sent')
        return { messageId: String(info.messageId), file: null }
      },
      close,
    }
  }
  return {
    destination: options.outboxDir,
    isKeptOnDisk: true,
    async send(message) {
      const info = await (await transportOnce({ streamTransport: true, buffer: true, newline: 'unix' })).sendMail({ from: options.from, ...message })
      await mkdir(options.outboxDir, { recursive: true })
      // Sortable by time, unique, and safe as a file name whatever the subject says.
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(info.messageId).replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}.eml`
      const file = path.join(options.outboxDir, name)
      await writeFile(file, info.message as Buffer)
      // Without a mail server this line is how someone trying Masthead finds the message.
      options.log?.info({ file }, `mail written to ${file}`)
      return { messageId: String(info.messageId), file }
    },
    close,
  }
}
