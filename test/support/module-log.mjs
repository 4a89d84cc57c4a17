// `node --import=…/module-log.mjs`: registers module-log-hooks.mjs, which writes
// every module URL Node loads to the file in MASTHEAD_MODULE_LOG.
import { register } from 'node:module'

register('./module-log-hooks.mjs', import.meta.url)
