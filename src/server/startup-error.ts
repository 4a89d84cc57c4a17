/** A problem the person running the server must fix; shown as one line, exit code 1. */
export class StartupError extends Error {
  override readonly name = 'StartupError'
}
