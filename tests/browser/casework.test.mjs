// Browser tests of the case page's progression forms in headless Chromium:
// a refused direction shows the GOV.UK error summary whose link reaches
// its input, the page stays accessible with errors on it, and recording a
// direction and marking it complied with work end to end.

import { describe, test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser, signIn, runAxe, describeViolations } from './harness.mjs'

const TEST_TIMEOUT = 60_000

let server
let browser
let page

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
  const state = await signIn(browser, server.url, server.caseworker)
  const context = await browser.newContext({ baseURL: server.url, storageState: state })
  context.setDefaultTimeout(15_000)
  page = await context.newPage()
  await page.goto('/cases?kind=organised_crime')
  await page.locator('tbody a[href^="/cases/"]').first().click()
  await page.waitForLoadState()
}, { timeout: 90_000 })

after(async () => {
  await browser?.close()
  await server?.stop()
})

describe('case progression forms', () => {
  test('a direction with an impossible date is refused with an error summary that links to the field', { timeout: TEST_TIMEOUT }, async () => {
    await page.getByText('Record a direction').click()
    await page.fill('#direction-description', 'Serve the expert evidence')
    await page.fill('#direction-due', '2018-02-30')
    await page.getByRole('button', { name: 'Record direction' }).click()
    const summary = page.locator('.govuk-error-summary')
    await summary.waitFor()
    assert.match(await summary.textContent(), /Enter the date as YYYY-MM-DD/)
    await summary.locator('a[href="#direction-due"]').click()
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'direction-due', 'the summary link moves focus to the field')
    assert.equal(await page.inputValue('#direction-description'), 'Serve the expert evidence', 'what was typed is kept')
    const violations = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')
    assert.equal(violations.length, 0, `axe-core found:\n${describeViolations(violations)}`)
  })

  test('a direction is recorded and then marked complied with on time', { timeout: TEST_TIMEOUT }, async () => {
    const due = new Date(Date.now() + 14 * 86400_000).toISOString().slice(0, 10)
    await page.fill('#direction-due', due)
    await page.getByRole('button', { name: 'Record direction' }).click()
    const banner = page.locator('.govuk-notification-banner--success')
    await banner.waitFor()
    assert.match(await banner.textContent(), /Direction recorded/)
    const row = page.locator('tr', { hasText: 'Serve the expert evidence' })
    assert.match(await row.textContent(), /Due/)
    await row.getByText('Mark as complied with').click()
    await row.getByRole('button', { name: 'Save' }).click()
    assert.match(await page.locator('.govuk-notification-banner--success').textContent(), /Direction marked as complied with/)
    const done = page.locator('tr', { hasText: 'Serve the expert evidence' })
    assert.match(await done.textContent(), /Complied with on time/)
  })

  test('an extension of a running custody time limit is recorded and shown with its reason', { timeout: TEST_TIMEOUT }, async () => {
    const day = (offset) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10)
    const extension = page.locator('details', { hasText: 'Record an extension' }).first()
    await extension.locator('summary').click()
    await extension.locator('input[name="until"]').fill(day(300))
    await extension.locator('input[name="granted"]').fill(day(0))
    await extension.locator('input[name="court"]').fill('Southwark Crown Court')
    await extension.locator('textarea[name="reason"]').fill('Expert evidence served late by the defence')
    await extension.getByRole('button', { name: 'Record extension' }).click()
    assert.match(await page.locator('.govuk-notification-banner--success').textContent(), /Extension recorded/)
    assert.match(await page.locator('main').textContent(), /by Southwark Crown Court on .*: Expert evidence served late by the defence/)
  })

  test('a requested person\'s extradition dates: the limits table and the form are accessible, and a refused date links to its day', { timeout: TEST_TIMEOUT }, async () => {
    // The caseload is ordered by the next deadline, so the first
    // extradition case is one whose arrest is recorded.
    await page.goto('/cases?kind=extradition')
    await page.locator('tbody a[href^="/cases/"]').first().click()
    await page.waitForLoadState()
    const limits = page.locator('table', { hasText: 'Date fixed for the extradition hearing' }).first()
    await limits.waitFor()
    assert.match(await limits.textContent(), /Running: \d+ days? left|Expires today/)
    const form = page.locator('details', { hasText: 'Extradition dates' }).first()
    await form.locator('summary').click()
    const day = await form.locator('input[name="arrested-day"]').inputValue()
    const month = await form.locator('input[name="arrested-month"]').inputValue()
    await form.locator('input[name="arrested-day"]').fill('31')
    await form.locator('input[name="arrested-month"]').fill('2')
    await form.getByRole('button', { name: 'Save extradition dates' }).click()
    const summary = page.locator('.govuk-error-summary')
    await summary.waitFor()
    assert.match(await summary.textContent(), /Enter a real date/)
    const link = summary.locator('a[href$="-arrested-day"]')
    const target = (await link.getAttribute('href')).slice(1)
    await link.click()
    assert.equal(await page.evaluate(() => document.activeElement?.id), target, 'the summary link moves focus to the day')
    let violations = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')
    assert.equal(violations.length, 0, `axe-core found with the form refused:\n${describeViolations(violations)}`)

    // Put the recorded arrest back and fix the hearing for today in
    // England, within the 21 days of the demo's arrests.
    const open = page.locator('details[open]', { hasText: 'Extradition dates' }).first()
    await open.locator('input[name="arrested-day"]').fill(day)
    await open.locator('input[name="arrested-month"]').fill(month)
    assert.equal(await open.locator('input[name="arrested-time"]').inputValue() !== '', true, 'the time typed is kept')
    const today = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric' })
      .formatToParts(new Date()).map((p) => [p.type, p.value]))
    await open.locator('input[name="hearing_fixed_for-day"]').fill(today.day)
    await open.locator('input[name="hearing_fixed_for-month"]').fill(today.month)
    await open.locator('input[name="hearing_fixed_for-year"]').fill(today.year)
    await open.getByRole('button', { name: 'Save extradition dates' }).click()
    assert.match(await page.locator('.govuk-notification-banner--success').textContent(), /Extradition dates saved/)
    const row = page.locator('tr', { hasText: 'Date fixed for the extradition hearing' }).first()
    assert.match(await row.textContent(), /Met/)
    violations = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')
    assert.equal(violations.length, 0, `axe-core found with the limits shown:\n${describeViolations(violations)}`)
  })

  test('a cases spreadsheet uploads with progress shown and the result replaces the page', { timeout: TEST_TIMEOUT }, async () => {
    await page.goto('/imports/cases')
    const csv = 'reference,kind,unit,location,status,opened_on,title\n' +
      'UPLOAD/2018/1,organised_crime,organised_crime,petty_france,charged,2018-04-02,Operation Upload\n'
    await page.setInputFiles('#file', { name: 'cases.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().includes('/imports/cases') && r.resourceType() === 'xhr')
    await page.getByRole('button', { name: 'Import' }).click()
    await sent
    const panel = page.locator('.govuk-panel--confirmation')
    await panel.waitFor()
    assert.match(await panel.textContent(), /1 rows: 1 added, 0 changed, 0 unchanged/)
    const violations = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')
    assert.equal(violations.length, 0, `axe-core found:\n${describeViolations(violations)}`)
  })
})
