// Shared set-up for the browser tests: a caseboard server on a fresh demo
// database, and Debian's Chromium driven by playwright-core.
//
// It builds nothing: bin/caseboard must exist (make test builds it, with the
// assets embedded, before it runs these tests).

import { spawn, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const bin = join(root, 'bin/caseboard')

// Playwright cannot download its own browser here, so it drives Debian's.
// The flags are what this machine needs: no sandbox as root, no GPU, and no
// background connections to Google's hosts, which the closed network refuses.
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

// The environment for caseboard: the test's own, less any CASEBOARD_*
// setting a developer has exported, which could point it at their database
// or change its log format.
function serverEnv () {
  const env = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('CASEBOARD_')) env[k] = v
  }
  return env
}

// startServer loads the demo division into a new SQLite file and serves it
// on a free port that the server chooses itself (--addr 127.0.0.1:0); the
// URL comes from its "caseboard serving" log line.
export async function startServer () {
  if (!existsSync(bin)) {
    throw new Error(`${bin} does not exist: run make build (make test does) before the browser tests`)
  }
  const dir = mkdtempSync(join(tmpdir(), 'caseboard-browser-'))
  const db = join(dir, 'c.db')
  const env = serverEnv()
  const demoOut = execFileSync(bin, ['demo', '--db', db], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  // The demo says whom to sign in as: "sign in as admin@caseboard.example
  // (administrator) ... with the password PASSWORD".
  const m = /sign in as (\S+@\S+)\b.*\bpassword (\S+)/.exec(demoOut)
  const account = m ? { email: m[1], password: m[2] } : null
  // And who records casework: "the head of division ... is EMAIL".
  const hod = /head of division, .* is (\S+@\S+)/.exec(demoOut)
  const caseworker = hod && account ? { email: hod[1], password: account.password } : null

  const proc = spawn(bin, ['serve', '--db', db, '--addr', '127.0.0.1:0', '--log-format', 'text', '--log-level', 'info'],
    { env, stdio: ['ignore', 'ignore', 'pipe'] })
  // Keep what the server logs, in memory: the tests show its warnings and
  // errors when they fail (a template error, say, is explained only there).
  const log = []
  let url
  let buffered = ''
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`caseboard serve printed no URL in 30s; it logged:\n${log.join('\n')}`)), 30_000)
    proc.stderr.setEncoding('utf8')
    proc.stderr.on('data', (chunk) => {
      buffered += chunk
      let nl
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl)
        buffered = buffered.slice(nl + 1)
        log.push(line)
        const m = /msg="?caseboard serving"? .*\burl=(\S+)/.exec(line)
        if (m && !url) {
          url = m[1].replace(/^"|"$/g, '')
          clearTimeout(timer)
          resolve()
        }
      }
    })
    proc.on('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`caseboard serve exited (${code ?? signal}) before serving; it logged:\n${log.join('\n')}`))
    })
  })
  await ready.catch(async (err) => { proc.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); throw err })

  const stopOnExit = () => proc.kill('SIGKILL')
  process.on('exit', stopOnExit)
  return {
    url,
    log,
    account,
    caseworker,
    async stop () {
      process.off('exit', stopOnExit)
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((resolve) => proc.once('exit', resolve))
        proc.kill('SIGTERM')
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

export async function launchBrowser () {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} does not exist: run bash scripts/ensure-chromium.sh (make test does)`)
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs })
}

// signIn signs in through the sign-in form, as a user does, and returns the
// browser state (the session cookie) for new contexts to start from, so the
// tests sign in once rather than paying for a password hash in every one.
// With no demo account it returns undefined: the pages are then open.
export async function signIn (browser, baseURL, account) {
  if (!account) return undefined
  const context = await browser.newContext({ baseURL })
  try {
    const page = await context.newPage()
    await page.goto('/sign-in')
    await page.locator('#email').fill(account.email)
    await page.locator('#password').fill(account.password)
    await Promise.all([
      page.waitForURL((u) => u.pathname !== '/sign-in', { timeout: 15_000 }),
      page.getByRole('button', { name: 'Sign in' }).click()
    ]).catch(async (err) => {
      const h1 = await page.locator('h1').textContent().catch(() => '')
      const problem = await page.locator('.govuk-error-summary').textContent().catch(() => '')
      throw new Error(`signing in as ${account.email} failed: still on ${page.url()} (${h1?.trim()}) ${problem?.replace(/\s+/g, ' ').trim()}: ${err.message}`)
    })
    return await context.storageState()
  } finally {
    await context.close()
  }
}

// watch records what goes wrong while a page is open: console errors,
// uncaught exceptions, requests that fail, and static assets that do not
// answer 200 or 304. A console error's text for a failed load names no URL,
// so failed responses are recorded separately and matched by the tests.
export function watch (page) {
  const problems = { console: [], exceptions: [], failedRequests: [], badResponses: [] }
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location()
      problems.console.push({ text: msg.text(), url: loc && loc.url })
    }
  })
  page.on('pageerror', (err) => problems.exceptions.push(String(err && err.stack ? err.stack : err)))
  page.on('requestfailed', (req) => problems.failedRequests.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText}`))
  page.on('response', (res) => {
    if (res.status() >= 400) problems.badResponses.push({ status: res.status(), url: res.url() })
  })
  return problems
}

// The axe-core source, injected into pages for the accessibility checks.
const axeSource = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8')

// WCAG 2.0, 2.1 and 2.2, levels A and AA: what GOV.UK services must meet.
export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

// runAxe checks the page as it is now and returns axe's violations.
//
// Why page.evaluate and not page.addScriptTag: caseboard's content security
// policy is script-src 'self', and addScriptTag({path}) inserts the file as an
// inline <script>, which that policy blocks (addScriptTag throws "Executing
// inline script violates the following Content Security Policy directive";
// tried with Chromium 156). page.evaluate runs the source through the
// DevTools protocol, which a page's CSP does not govern, so the page is
// checked exactly as served, with its real policy, unlike bypassCSP, which
// would also hide the policy's effects from the other tests on the page.
export async function runAxe (page) {
  const loaded = await page.evaluate(`${axeSource};\ntypeof window.axe === 'object'`)
  if (!loaded) throw new Error('axe-core did not load into the page')
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary }))
    }))
  }, axeTags)
}

export function describeViolations (violations) {
  return violations.map((v) => `  ${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\n` +
    v.nodes.map((n) => `    at ${n.target}\n      ${n.html.slice(0, 300)}\n      ${(n.summary || '').replace(/\n/g, '\n      ')}`).join('\n')
  ).join('\n')
}

// screenshotDir is where screenshot mode (SCREENSHOTS=docs/screenshots, as
// make screenshots sets it) saves full-page PNGs, or null.
export const screenshotDir = process.env.SCREENSHOTS ? resolve(root, process.env.SCREENSHOTS) : null
if (screenshotDir) mkdirSync(screenshotDir, { recursive: true })
