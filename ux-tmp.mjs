import { chromium } from 'playwright-core'
const base = 'http://127.0.0.1:4400'
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
const reader = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage()
const log = (...a) => console.log(...a)
// 1. tip with JavaScript
await reader.goto(base + '/contact/tip')
await reader.screenshot({ path: '/tmp/shots/ux-tip-form-390.png', fullPage: true })
await reader.getByLabel('What do you know?').fill('The harbour authority moved the dredging contract to a firm owned by a board member. Minutes attached later.')
await reader.waitForTimeout(2500)
await reader.getByRole('button', { name: /send/i }).click()
await reader.waitForLoadState('networkidle')
await reader.screenshot({ path: '/tmp/shots/ux-tip-sent-390.png', fullPage: true })
const text = await reader.textContent('main')
const ref = text.match(/T-[0-9A-Z]{8}/)?.[0]
log('confirmation mentions', ref, /browser/i.test(text) ? '(sealed in browser)' : '(server)')
const pass = await reader.locator('.passphrase, [data-passphrase], code').first().textContent().catch(() => null)
log('passphrase element', pass)
// 2. editor replies
const admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
await admin.goto(base + '/admin')
await admin.getByLabel('Email').fill('chief@example.org')
await admin.getByLabel('Password').fill('97mbT-MAgL9-H3q6r-xSJaZ')
await admin.getByRole('button', { name: 'Sign in' }).click()
await admin.waitForLoadState('networkidle')
log('after sign-in', admin.url(), await admin.locator('h1').first().textContent())
await admin.screenshot({ path: '/tmp/shots/ux-admin-first-1280.png', fullPage: true })
await browser.close()
