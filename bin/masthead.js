#!/usr/bin/env node
// Masthead's command line. TypeScript sources run through tsx's loader, so
// there is no build step between a checkout and `npm start`.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/main.ts')
