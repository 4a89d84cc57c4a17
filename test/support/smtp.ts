import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** A real SMTP server on a loopback port that keeps every message it receives, parsed. */
export interface TestSmtp {
  url: string
  messages: ParsedMail[]
  /** Waits until at least `count` messages have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>
  /** With `holdGreeting`: lets the held connections (and later ones) go on. */
  release(): void
  close(): Promise<void>
}

export interface TestSmtpOptions {
  /** Refuses every recipient with a permanent error that names the address, as a mail server that will not relay does. */
  refuse?: boolean
  /** Keeps each new connection waiting for the server's greeting until release(): a slow mail server. */
  holdGreeting?: boolean
}

export async function startSmtp(options: TestSmtpOptions = {}): Promise<TestSmtp> {
  const messages: ParsedMail[] = []
  let released = !options.holdGreeting
  const held: (() => void)[] = []
  const server = new SMTPServer({
    onConnect(_session, callback) {
      if (released) callback()
      else held.push(() => callback())
    },
    onRcptTo(address, _session, callback) {
      if (!options.refuse) return callback()
      const error = Object.assign(new Error(`Mailbox <${address.address}> unavailable`), { responseCode: 550 })
      callback(error)
    },
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
    release() {
      released = true
      for (const go of held.splice(0)) go()
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
