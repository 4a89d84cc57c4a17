// Module loader hooks that write every module URL Node loads to the file in
// MASTHEAD_MODULE_LOG, one a line: a test's way to see what a child process
// really ran (see test/http/built-start.test.ts). Registered with
//   node --import=test/support/module-log.mjs
import { appendFileSync } from 'node:fs'

const file = process.env.MASTHEAD_MODULE_LOG

export async function load(url, context, next) {
  if (file) appendFileSync(file, `${url}\n`)
  return next(url, context)
}
