import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** A real SMTP server on a loopback port that keeps every message it receives, parsed. */
export interface TestSmtp {
  url: string
  messages: ParsedMail[]
  /** Waits until at least `count` messages have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>
  close(): Promise<void>
}

/** `rejectRecipients` refuses every recipient with a 550 that names the address, as real servers do. */
export async function startSmtp(options: { rejectRecipients?: boolean } = {}): Promise<TestSmtp> {
  const messages: ParsedMail[] = []
  const server = new SMTPServer({
    ...(options.rejectRecipients
      ? {
          onRcptTo(address: { address: string }, _session: unknown, callback: (error?: Error) => void) {
            callback(Object.assign(new Error(`Mailbox <${address.address}> unavailable`), { responseCode: 550 }))
          },
        }
      : {}),
    authOptional: true,
    // Plain SMTP on loopback: no certificate to trust in tests.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail)
          callback()
        })
        .catch(callback)
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs
      while (messages.length < count) {
        if (Date.now() > until) throw new Error(`Expected ${count} messages, got ${messages.length}`)
        await new Promise((r) => setTimeout(r, 25))
      }
      return messages
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
