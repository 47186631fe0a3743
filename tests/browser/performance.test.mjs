// Browser tests of the Performance pages: the dashboard and a figure's
// records render with one h1 and no serious accessibility violations, a
// period is chosen through the form, a bad period is shown as an error
// first, and a figure opens to its records; the Board's pack for a quarter
// takes commentary on its exceptions, is issued and then offers no forms,
// and its PDF and a unit's poster are PDFs.

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
  context.setDefaultTimeout(30_000)
  return { context, page: await context.newPage() }
}

async function checkAxe (page) {
  const violations = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')
  assert.equal(violations.length, 0, `axe-core found on ${page.url()}:\n${describeViolations(violations)}`)
}

const pages = [
  { name: 'performance', path: '/performance?period=2017-18', h1: 'Performance' },
  { name: 'performance-unit', path: '/performance?period=r12-2018-03&unit=extradition', h1: 'Performance' },
  { name: 'performance-records', path: '/performance/conviction_rate_cc?period=2017-18', h1: 'Conviction rate (Crown Court)' },
  { name: 'performance-packs', path: '/performance/packs', h1: 'Board performance packs' },
  { name: 'performance-pack', path: '/performance/packs/2016-17-Q3', h1: 'Q3 2016-17' },
  { name: 'performance-poster', path: '/performance/poster?unit=extradition&quarter=2017-18-Q4', h1: 'Performance poster' },
  { name: 'performance-control-chart', path: '/performance/in_house_advocacy?period=2017-18&unit=organised_crime', h1: 'In-house advocacy' },
  { name: 'performance-by-location', path: '/performance?period=2017-18&by=location', h1: 'Performance' },
  { name: 'performance-by-team', path: '/performance?period=2017-18&by=team', h1: 'Performance' },
  { name: 'performance-one-location', path: '/performance?period=2017-18&by=location&group=petty_france', h1: 'Performance' },
  { name: 'performance-annex-a', path: '/performance/annex-a?to=2018-06', h1: 'Annex A: division performance data' },
  { name: 'performance-unit-returns', path: '/performance/returns?unit=organised_crime&month=2018-06', h1: "Units' monthly returns" }
]

describe('performance pages', () => {
  test('a unit\'s return is corrected through the form, and a bad figure is shown as an error first', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage()
    try {
      await page.goto('/performance/returns?unit=extradition&month=2018-05')
      await page.getByRole('heading', { name: 'Correct the return' }).waitFor()
      await page.getByLabel('Working days lost to sickness absence').fill('2.25')
      await page.getByRole('button', { name: 'Save the correction' }).click()
      await page.locator('.govuk-error-summary').waitFor()
      assert.match(await page.locator('.govuk-error-summary').textContent(), /whole or half days/)
      await checkAxe(page)
      await page.getByLabel('Working days lost to sickness absence').fill('2.5')
      await page.getByRole('button', { name: 'Save the correction' }).click()
      await page.getByText('Return corrected: version 2').waitFor()
      await page.goto('/performance/returns?unit=extradition&month=2018-05')
      assert.match(await page.locator('main').textContent(), /Version 1: entered by/)
    } finally {
      await context.close()
    }
  })

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

  test('a period is chosen through the form, a bad one shown as an error, and a figure opens to its records', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage()
    try {
      await page.goto('/performance')
      await page.getByLabel('Period', { exact: true }).fill('2017-19')
      await page.getByRole('button', { name: 'Show figures' }).click()
      await page.locator('.govuk-error-summary').waitFor()
      assert.match(await page.locator('.govuk-error-summary').textContent(), /the year after 2017 ends in 18/)
      await checkAxe(page)

      await page.getByLabel('Period', { exact: true }).fill('2017-18')
      await page.getByLabel('Unit').selectOption('extradition')
      await page.getByRole('button', { name: 'Show figures' }).click()
      await page.getByRole('heading', { level: 2, name: '2017-18' }).waitFor()
      const row = page.locator('tbody tr').filter({ hasText: 'Export: extradition ordered' }).first()
      assert.match(await row.textContent(), /1,121/)
      assert.ok(await row.locator('svg[role="img"]').getAttribute('aria-label'), 'the trend has a text alternative')

      await row.getByRole('link').first().click()
      await page.locator('h1', { hasText: 'Extradition: Export: extradition ordered' }).waitFor()
      const records = page.locator('table', { has: page.locator('caption', { hasText: 'The records behind the figure' }) })
      assert.equal(await records.locator('tbody tr').count(), 1121)
      // The figure against its benchmarks, and its control charts described in words.
      assert.match(await page.locator('main').textContent(), /Own average/)
      assert.match(await page.locator('svg.app-chart').first().getAttribute('aria-label'), /control limits|Trend of/)
    } finally {
      await context.close()
    }
  })

  test('a measure is shared with a partner from its page, and the sharing stopped', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage()
    try {
      await page.goto('/performance/caseload?period=2017-18')
      await page.getByRole('heading', { name: 'Shared with partners' }).waitFor()
      const shares = page.locator('table', { has: page.locator('caption', { hasText: 'partner organisations this measure is shared with' }) })
      // The demo shares the caseload with the National Crime Agency.
      assert.match(await shares.textContent(), /National Crime Agency/)
      await page.getByRole('button', { name: 'Share the measure' }).click()
      await page.locator('.govuk-error-summary').waitFor()
      assert.match(await page.locator('.govuk-error-summary').textContent(), /There is no partner organisation/)
      await checkAxe(page)

      await page.getByLabel('Share with a partner organisation').selectOption({ label: 'Immigration Enforcement' })
      await page.getByRole('button', { name: 'Share the measure' }).click()
      await page.locator('.govuk-notification-banner', { hasText: 'Shared with the partner organisation' }).waitFor()
      assert.match(await shares.textContent(), /Immigration Enforcement/)
      await checkAxe(page)

      await page.getByRole('button', { name: 'Stop sharing with Immigration Enforcement' }).click()
      await page.locator('.govuk-notification-banner', { hasText: 'No longer shared' }).waitFor()
      const left = await shares.textContent()
      assert.doesNotMatch(left, /Immigration Enforcement/)
      assert.match(left, /National Crime Agency/)
    } finally {
      await context.close()
    }
  })

  test('a quarter\'s pack takes commentary on its exceptions, is issued, and then changes no more', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage()
    try {
      await page.goto('/performance/packs')
      await page.getByLabel('Quarter').fill('2017-18-Q5')
      await page.getByRole('button', { name: 'Open the pack' }).click()
      await page.locator('.govuk-error-summary').waitFor()
      assert.match(await page.locator('.govuk-error-summary').textContent(), /Q1 to Q4/)
      await checkAxe(page)

      await page.getByLabel('Quarter').fill('2017-18-Q4')
      await page.getByRole('button', { name: 'Open the pack' }).click()
      await page.locator('h1', { hasText: 'Q4 2017-18' }).waitFor()
      assert.match(await page.locator('main').textContent(), /Draft/)
      await checkAxe(page)

      const ids = await page.locator('textarea[id^="commentary-"]:not(#commentary-other)').evaluateAll((els) => els.map((el) => el.id))
      for (const id of ids) {
        await page.locator(`#${id}`).fill('Explained to the Board: the figures follow the change in how the work is counted.')
        await page.locator(`form:has(#${id})`).getByRole('button', { name: 'Save commentary' }).click()
        await page.locator('.govuk-notification-banner').waitFor()
      }
      await page.getByRole('button', { name: 'Issue the pack to the Board' }).click()
      await page.locator('.govuk-notification-banner', { hasText: 'Pack issued to the Board' }).waitFor()
      assert.match(await page.locator('main').textContent(), /later changes to the records do not alter it/)
      assert.equal(await page.getByRole('button', { name: 'Save commentary' }).count(), 0)
      await checkAxe(page)

      const pdf = await page.request.get(await page.getByRole('link', { name: 'Download the pack (PDF)' }).getAttribute('href'))
      assert.equal(pdf.headers()['content-type'], 'application/pdf')
      assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-')

      const poster = await page.request.get('/performance/poster.pdf?unit=extradition&quarter=2017-18-Q4')
      assert.equal(poster.headers()['content-type'], 'application/pdf')
      const png = await page.request.get('/performance/poster.png?unit=extradition&quarter=2017-18-Q4&size=A3')
      assert.equal(png.headers()['content-type'], 'image/png')
      assert.equal((await png.body()).subarray(1, 4).toString(), 'PNG')
    } finally {
      await context.close()
    }
  })
})
