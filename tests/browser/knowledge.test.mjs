// Browser tests of the knowledge repository: its pages render with one h1,
// pass axe-core's WCAG 2.2 AA checks and log no errors; an article is
// written through the form, its errors are shown in an error summary, and
// it is submitted for review; an administrator keeps the directory of
// national leads through its form.
//
//   node --test tests/browser/knowledge.test.mjs

import { describe, test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { startServer, launchBrowser, signIn, watch, runAxe, describeViolations, screenshotDir } from './harness.mjs'

const TEST_TIMEOUT = 60_000

let server
let browser
let signedIn // the head of division, who writes in the strategy and policy unit

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
  signedIn = await signIn(browser, server.url, server.caseworker)
}, { timeout: 90_000 })

after(async () => {
  await browser?.close()
  if (server) {
    const errors = server.log.filter((line) => /\blevel=ERROR\b/.test(line))
    if (errors.length) process.stderr.write(`caseboard logged errors during the tests:\n${errors.join('\n')}\n`)
    await server.stop()
  }
})

async function newPage () {
  const context = await browser.newContext({ baseURL: server.url, storageState: signedIn })
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  return { context, page, problems: watch(page) }
}

// checkPage checks the page as it is; a form refused with 422 is logged by
// Chromium as a failed load of the document itself, which is expected.
async function checkPage (page, problems, name, status = 200) {
  await page.waitForLoadState('load')
  if (screenshotDir) await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true })
  assert.equal(await page.locator('h1').count(), 1, `${name}: a page has exactly one h1`)
  const violations = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')
  assert.equal(violations.length, 0, `axe-core found on ${page.url()}:\n${describeViolations(violations)}`)
  const report = [...problems.console.map((c) => c.text).filter((t) => !t.includes(`status of ${status}`)), ...problems.exceptions, ...problems.failedRequests]
  assert.deepEqual(report, [], `${name}: ${report.join('\n')}`)
}

const pages = [
  { name: 'knowledge', path: '/knowledge', h1: 'Knowledge' },
  { name: 'knowledge-search', path: '/knowledge?q=prison+conditions', text: 'Results' },
  { name: 'knowledge-did-you-mean', path: '/knowledge?q=extradtion', text: 'Did you mean' },
  { name: 'knowledge-stale', path: '/knowledge/stale', h1: 'Guidance overdue for review', text: 'Bars to extradition' },
  { name: 'knowledge-new', path: '/knowledge/new', h1: 'Write an article' },
  { name: 'knowledge-experts', path: '/knowledge/experts', h1: 'National leads and specialisms', text: 'Liaison prosecutor: Madrid (Spain)' },
  { name: 'knowledge-help', path: '/knowledge/help', h1: 'Ask a specialist', text: 'How fast each queue answers' },
  { name: 'knowledge-gaps', path: '/knowledge/gaps', h1: 'Requests for guidance', text: 'Checklist for joint investigation team agreements' },
  { name: 'knowledge-desk-guide', from: '/knowledge?q=%22desk+guide%22&kind=desk_guide', follow: 'a:text("Extradition desk guide")', text: 'Chapters' },
  { name: 'knowledge-stale-article', from: '/knowledge/stale', follow: 'a:text("Bars to extradition")', text: 'This guidance may be out of date' },
  { name: 'knowledge-diff', from: '/knowledge?q=poland&kind=jurisdiction_note', follow: 'h3 a', then: 'a:text("Compare with version 1")', text: 'lines added' }
]

for (const spec of pages) {
  test(`page ${spec.name} renders and is accessible`, { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, problems } = await newPage()
    try {
      if (spec.follow) {
        await page.goto(spec.from)
        await Promise.all([page.waitForNavigation(), page.locator(spec.follow).first().click()])
        if (spec.then) await Promise.all([page.waitForNavigation(), page.locator(spec.then).first().click()])
      } else {
        const res = await page.goto(spec.path)
        assert.equal(res.status(), 200)
      }
      if (spec.h1) assert.equal((await page.locator('h1').textContent()).trim(), spec.h1)
      if (spec.text) assert.ok((await page.content()).includes(spec.text), `${spec.name} lacks "${spec.text}"`)
      await checkPage(page, problems, spec.name)
    } finally {
      await context.close()
    }
  })
}

describe('writing an article', () => {
  test('a form without a title shows an error summary, keeps what was typed, and is accessible', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, problems } = await newPage()
    try {
      await page.goto('/knowledge/new')
      await page.locator('#summary').fill('A summary kept after the error')
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save draft' }).click()])
      const summary = page.locator('.govuk-error-summary')
      assert.ok(await summary.count(), 'no error summary')
      assert.match(await summary.textContent(), /Enter a title/)
      assert.equal(await page.locator('#summary').inputValue(), 'A summary kept after the error')
      await checkPage(page, problems, 'knowledge-form-errors', 422)
    } finally {
      await context.close()
    }
  })

  test('an article is saved as a draft, renders its Markdown safely, and is submitted for review', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, problems } = await newPage()
    try {
      await page.goto('/knowledge/new')
      await page.locator('#title').fill('Working with liaison magistrates')
      await page.locator('#summary').fill('When and how to ask a liaison magistrate for help.')
      await page.locator('#body').fill('## When\n\nBefore sending a **letter of request**.\n\n<script>document.title="owned"</script>')
      await page.locator('#tags').fill('mla, liaison')
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save draft' }).click()])
      assert.equal((await page.locator('h1').textContent()).trim(), 'Working with liaison magistrates')
      assert.ok((await page.content()).includes('Draft saved'))
      assert.equal(await page.locator('.app-article-body h3').textContent(), 'When')
      assert.notEqual(await page.title(), 'owned', 'a script in the article ran')
      assert.ok((await page.locator('.app-article-body').textContent()).includes('<script>'), 'the script is not shown as text')
      await checkPage(page, problems, 'knowledge-article')
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Submit for review' }).click()])
      assert.ok((await page.content()).includes('Submitted for review'))
      assert.ok((await page.content()).includes('waits for a reviewer'))
    } finally {
      await context.close()
    }
  })
})

describe('keeping the directory of national leads', () => {
  test('an administrator changes an entry: errors in a summary, then saved; every step accessible', { timeout: TEST_TIMEOUT }, async () => {
    const adminState = await signIn(browser, server.url, server.account)
    const context = await browser.newContext({ baseURL: server.url, storageState: adminState })
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    const problems = watch(page)
    try {
      await page.goto('/knowledge/experts')
      await Promise.all([page.waitForNavigation(), page.locator('a.govuk-button:text("Add an entry")').click()])
      assert.equal((await page.locator('h1').textContent()).trim(), 'Add a directory entry')
      await checkPage(page, problems, 'knowledge-expert-new')

      await page.goto('/knowledge/experts')
      await Promise.all([page.waitForNavigation(), page.locator('a[href^="/knowledge/experts/edit/"]').first().click()])
      assert.equal((await page.locator('h1').textContent()).trim(), 'Change a directory entry')
      const name = await page.locator('#name').inputValue()
      assert.ok(name, 'the form shows the entry')
      await checkPage(page, problems, 'knowledge-expert-edit')

      await page.locator('#name').fill('')
      await page.locator('#country').fill('Spain')
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save' }).click()])
      const summary = page.locator('.govuk-error-summary')
      assert.ok(await summary.count(), 'no error summary')
      assert.match(await summary.textContent(), /Enter the specialism's name/)
      assert.match(await summary.textContent(), /two-letter code/)
      assert.equal(await page.locator('#country').inputValue(), 'Spain', 'what was typed is kept')
      await checkPage(page, problems, 'knowledge-expert-errors', 422)
      problems.console.length = 0 // the refused form's 422, checked above

      await page.locator('#name').fill(name)
      await page.locator('#country').fill('')
      await page.locator('#contact').fill('Directory mailbox, 9am to 5pm')
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save' }).click()])
      assert.equal((await page.locator('h1').textContent()).trim(), 'National leads and specialisms')
      assert.ok((await page.content()).includes('Directory mailbox, 9am to 5pm'))
      await checkPage(page, problems, 'knowledge-experts-saved')
    } finally {
      await context.close()
    }
  })
})
