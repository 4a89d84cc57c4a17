/**
 * A one-line progress bar on standard error when it is a terminal; nothing
 * when output is piped or in CI logs, so reports stay clean.
 */
export function progress(total: number, stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY === true
  return {
    step(done: number, label: string) {
      if (!tty || total < 2) return
      const width = 30
      const filled = Math.round((done / total) * width)
      const name = label.length > 40 ? `…${label.slice(-39)}` : label
      stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} ${name}`.padEnd(100))
    },
    end() {
      if (tty && total >= 2) stream.write('\r'.padEnd(101) + '\r')
    },
  }
}
