// Browser tests of the quality assurance pages: each renders with one h1
// and no serious accessibility violations, the calibration page flags the
// demo's lenient assessor, a theme of the trends is shared as a
// lessons-learned draft, and an assessment is recorded through the form,
// with its errors shown first.

import { describe, test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { startServer, launchBrowser, signIn, runAxe, describeViolations, screenshotDir } from './harness.mjs'

const TEST_TIMEOUT = 90_000

let server
let browser
let state

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
  state = await signIn(browser, server.url, server.caseworker) // the head of division
}, { timeout: 120_000 })

after(async () => {
  await browser?.close()
  await server?.stop()
})

async function newPage () {
  const context = await browser.newContext({ baseURL: server.url, storageState: state })
  context.setDefaultTimeout(20_000)
  return { context, page: await context.newPage() }
}

async function checkAxe (page) {
  const violations = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')
  assert.equal(violations.length, 0, `axe-core found on ${page.url()}:\n${describeViolations(violations)}`)
}

const pages = [
  { name: 'quality', path: '/quality', h1: 'Quality' },
  { name: 'quality-completion', path: '/quality/completion', h1: 'IQA completion' },
  { name: 'quality-trends', path: '/quality/trends?unit=organised_crime', h1: 'What IQAs find' },
  { name: 'quality-calibration', path: '/quality/calibration?unit=organised_crime', h1: 'Calibration: Organised Crime' },
  { name: 'quality-assessment-new', path: '/quality/assessments/new', h1: 'Record an assessment' },
  { name: 'quality-compliance', path: '/quality/compliance?unit=organised_crime&by=team', h1: 'Compliance checks' },
  { name: 'my-work-iqas', path: '/my-work', h1: 'My work' }
]

describe('quality pages', () => {
  for (const spec of pages) {
    test(`${spec.name} renders, one h1, no serious axe violations`, { timeout: TEST_TIMEOUT }, async () => {
      const { context, page } = await newPage()
      try {
        const res = await page.goto(spec.path)
        assert.equal(res.status(), 200)
        assert.equal(await page.locator('h1').count(), 1)
        assert.equal((await page.locator('h1').textContent()).trim(), spec.h1)
        if (screenshotDir) await page.screenshot({ path: join(screenshotDir, `${spec.name}.png`), fullPage: true })
        await checkAxe(page)
      } finally {
        await context.close()
      }
    })
  }

  test('the calibration page flags the lenient assessor', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage()
    try {
      await page.goto('/quality/calibration?unit=organised_crime')
      const flagged = page.locator('tbody tr').filter({ hasText: 'Marks leniently' })
      assert.equal(await flagged.count(), 1, 'exactly one assessor is flagged')
    } finally {
      await context.close()
    }
  })

  test('a theme of the trends is shared as a lessons-learned draft naming no one', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage()
    try {
      await page.goto('/quality/trends?unit=organised_crime')
      const first = page.locator('tbody tr').first()
      const question = (await first.locator('th').textContent()).trim()
      await Promise.all([page.waitForURL(/\/knowledge\/\d+\/edit/), first.getByRole('button', { name: /Share this theme/ }).click()])
      const body = await page.locator('textarea#body').inputValue()
      assert.match(body, /not met in \d+ of \d+ marks \(\d+%\)/)
      assert.match(body, /## What to do differently/)
      assert.ok(body.includes('Organised Crime'), 'the draft names the unit')
      assert.ok(question.length > 0 && !/\d{2}[A-Z]{2}\d{7}|EX\/\d{4}\//.test(body), 'the draft holds no case reference')
      if (screenshotDir) await page.screenshot({ path: join(screenshotDir, 'quality-theme-draft.png'), fullPage: true })
      await checkAxe(page)
    } finally {
      await context.close()
    }
  })

  test('an assessment is recorded through the form, errors first', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage()
    try {
      await page.goto('/quality/assessments/new')
      const people = await page.locator('select#assessed_id option').evaluateAll((os) =>
        os.filter((o) => o.textContent.includes('(legal)')).map((o) => o.value))
      let found = false
      for (const id of people.slice(0, 40)) {
        await page.goto(`/quality/assessments/new?assessed_id=${id}&activity=legal_casework`)
        if (await page.locator('select#case_id option').count() > 1) { found = true; break }
      }
      assert.ok(found, 'no lawyer with a case to assess')
      await page.locator('select#case_id').selectOption({ index: 1 })
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Save assessment' }).click()])
      await page.waitForSelector('.govuk-error-summary')
      assert.match(await page.locator('.govuk-error-summary').textContent(), /Answer: /)
      if (screenshotDir) await page.screenshot({ path: join(screenshotDir, 'quality-assessment-form-errors.png'), fullPage: true })
      await checkAxe(page)
      const radios = page.locator('input[type=radio][value=fully_meets]')
      for (let i = 0; i < await radios.count(); i++) await radios.nth(i).check()
      await page.locator('#feedback').fill('Clear analysis; disclosure handled well.')
      await Promise.all([page.waitForURL(/\/quality\/assessments\/\d+/), page.getByRole('button', { name: 'Save assessment' }).click()])
      assert.match(await page.locator('h1').textContent(), /Legal casework/)
      assert.match(await page.locator('.govuk-notification-banner').textContent(), /Assessment recorded/)
      if (screenshotDir) await page.screenshot({ path: join(screenshotDir, 'quality-assessment.png'), fullPage: true })
      await checkAxe(page)
    } finally {
      await context.close()
    }
  })
})
