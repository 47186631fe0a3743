// Browser tests of caseboard's pages in headless Chromium: every page
// renders, passes axe-core's WCAG 2.2 AA checks, loads its assets without
// errors, and works by keyboard and without JavaScript.
//
//   node --test tests/browser/                 (make test-browser)
//   SCREENSHOTS=docs/screenshots node --test tests/browser/   (make screenshots)

import { describe, test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { startServer, launchBrowser, signIn, watch, runAxe, describeViolations, screenshotDir } from './harness.mjs'

const TEST_TIMEOUT = 60_000

let server
let browser
let signedIn // browser state of a signed-in user, or undefined
let signedInCaseworker // the same for the head of division, who records casework

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
  signedIn = await signIn(browser, server.url, server.account)
  signedInCaseworker = await signIn(browser, server.url, server.caseworker)
}, { timeout: 90_000 })

after(async () => {
  await browser?.close()
  if (server) {
    // The server's own errors explain a failing page better than the page.
    const errors = server.log.filter((line) => /\blevel=ERROR\b/.test(line))
    if (errors.length) process.stderr.write(`caseboard logged errors during the tests:\n${errors.join('\n')}\n`)
    await server.stop()
  }
})

// newContext is a browser context signed in as the demo's account, or
// anonymous with { anonymous: true }.
async function newContext ({ anonymous, caseworker, ...options } = {}) {
  const state = anonymous ? undefined : caseworker ? signedInCaseworker : signedIn
  const context = await browser.newContext({ baseURL: server.url, storageState: state, ...options })
  context.setDefaultTimeout(15_000)
  return context
}

// The pages every check runs on, signed in unless anonymous. The person page
// has no fixed address: it is reached the way a user reaches it, by
// following the first link to a person.
const pages = [
  { name: 'sign-in', path: '/sign-in', anonymous: true },
  { name: 'home', path: '/' },
  { name: 'organisation', path: '/organisation', h1: 'Organisation' },
  { name: 'organisation-extradition', path: '/organisation?unit=extradition', h1: 'Organisation' },
  { name: 'person', from: '/organisation', follow: 'a[href^="/organisation/people/"]' },
  { name: 'cases', path: '/cases', h1: 'Cases', caseworker: true },
  { name: 'case', from: '/cases', follow: 'tbody a[href^="/cases/"]', caseworker: true },
  { name: 'case-new', path: '/cases/new', h1: 'Open a case', caseworker: true },
  { name: 'case-edit', from: '/cases', follow: 'tbody a[href^="/cases/"]', then: 'a[href$="/edit"]', caseworker: true },
  { name: 'import-outcomes', path: '/imports/outcomes', h1: 'Import outcomes', caseworker: true },
  { name: 'import-cases', path: '/imports/cases', h1: 'Import cases', caseworker: true },
  { name: 'import-findings', path: '/imports/findings', h1: 'Import findings', caseworker: true },
  { name: 'returns', path: '/returns', h1: 'Overseas posts\' monthly returns', caseworker: true },
  { name: 'return', from: '/returns?status=submitted', follow: 'tbody a[href^="/returns/"]', caseworker: true },
  { name: 'risks', path: '/risks', h1: 'Risk register', caseworker: true },
  { name: 'risk', from: '/risks', follow: 'tbody a[href^="/risks/"]', caseworker: true },
  { name: 'risk-new', path: '/risks/new', h1: 'Raise a risk', caseworker: true },
  { name: 'risk-edit', from: '/risks', follow: 'tbody a[href^="/risks/"]', then: 'a[href$="/edit"]', caseworker: true },
  { name: 'risk-heatmap', path: '/risks/heatmap', h1: 'Risk heat map', caseworker: true },
  { name: 'risk-tree', path: '/risks/tree', h1: 'How risks roll up', caseworker: true },
  { name: 'risk-trends', path: '/risks/trends', h1: 'Risk themes and trends', caseworker: true },
  { name: 'risk-appetite', path: '/risks/appetite', h1: 'Risk appetite and scale', caseworker: true },
  { name: 'risk-assurance', path: '/risk-assurance', h1: 'Quarterly assurance', caseworker: true },
  { name: 'risk-snapshot', from: '/risk-assurance', follow: 'tbody a[href^="/risk-assurance/"]', caseworker: true },
  { name: 'risk-certificate', from: '/risk-assurance', follow: 'tbody a[href$="/certificate"]', caseworker: true },
  { name: 'import-risks', path: '/imports/risks', h1: 'Import a risk register', caseworker: true },
  { name: 'continuity', path: '/continuity', h1: 'Business continuity plans', caseworker: true },
  { name: 'continuity-plan', from: '/continuity', follow: 'tbody a[href^="/continuity/"]', caseworker: true },
  { name: 'plans', path: '/plans', h1: 'Inspections and action plans' },
  { name: 'plans-board', path: '/plans/board', h1: 'Board view' },
  { name: 'plans-checks', path: '/plans/checks', h1: 'Evidence checks', caseworker: true },
  { name: 'plans-inspection-new', path: '/plans/inspections/new', h1: 'Record an inspection', caseworker: true },
  { name: 'plans-inspection', from: '/plans', follow: 'tbody a[href^="/plans/inspections/"]' },
  { name: 'plans-inspection-edit', from: '/plans', follow: 'tbody a[href^="/plans/inspections/"]', then: 'a[href$="/edit"]', caseworker: true },
  { name: 'plans-finding', from: '/plans/board', follow: 'tbody a[href^="/plans/findings/"]', caseworker: true },
  { name: 'plans-framework', from: '/plans', follow: 'a[href^="/plans/frameworks/"]' },
  { name: 'plans-criterion', from: '/plans', follow: 'a[href^="/plans/frameworks/"]', then: 'tbody a[href*="/criteria/B1.1"]', caseworker: true },
  { name: 'account', path: '/account', h1: 'Your account' },
  { name: 'audit', path: '/admin/audit', h1: 'Audit trail' },
  { name: 'not-found', path: '/no-such-page', status: 404 }
]

for (const spec of pages) {
  describe(`page ${spec.name}`, () => {
    const expectedStatus = spec.status ?? 200
    let context, page, response, problems

    before(async () => {
      context = await newContext({ anonymous: spec.anonymous, caseworker: spec.caseworker })
      page = await context.newPage()
      problems = watch(page)
      if (spec.follow) {
        await page.goto(spec.from)
        const link = page.locator(spec.follow).first()
        assert.ok(await link.count(), `${spec.from} has no link matching ${spec.follow}`)
        const [res] = await Promise.all([page.waitForNavigation(), link.click()])
        response = res
        if (spec.then) {
          // A page two links deep: follow the second link from the first page.
          const next = page.locator(spec.then).first()
          assert.ok(await next.count(), `the page after ${spec.from} has no link matching ${spec.then}`)
          const [res2] = await Promise.all([page.waitForNavigation(), next.click()])
          response = res2
        }
      } else {
        response = await page.goto(spec.path)
      }
      await page.waitForLoadState('load')
      if (screenshotDir) {
        await page.screenshot({ path: join(screenshotDir, `${spec.name}.png`), fullPage: true })
      }
    }, { timeout: TEST_TIMEOUT })

    after(async () => { await context?.close() })

    test('renders with its status, a title and one h1', { timeout: TEST_TIMEOUT }, async () => {
      assert.equal(response.status(), expectedStatus, `${page.url()} answered ${response.status()}`)
      assert.match(response.headers()['content-type'] || '', /^text\/html/)
      assert.ok((await page.title()).trim(), 'the page has an empty <title>')
      const h1 = page.locator('h1')
      assert.equal(await h1.count(), 1, 'a page has exactly one h1')
      const text = (await h1.textContent()).trim()
      assert.ok(text, 'the h1 is empty')
      if (spec.h1) assert.equal(text, spec.h1)
    })

    test('has no serious or critical accessibility violations (axe-core, WCAG 2.2 AA)', { timeout: TEST_TIMEOUT }, async () => {
      const violations = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')
      assert.equal(violations.length, 0, `axe-core found on ${page.url()}:\n${describeViolations(violations)}`)
    })

    test('logs no console errors and loads every asset', { timeout: TEST_TIMEOUT }, async () => {
      const documentURL = response.url()
      // A page answered with an error status is logged by Chromium as a
      // failed load of the document itself; that one is expected here.
      const consoleErrors = problems.console.filter((c) =>
        !(expectedStatus >= 400 && c.url === documentURL && c.text.includes(`status of ${expectedStatus}`)))
      const badResponses = problems.badResponses.filter((r) => r.url !== documentURL)
      const report = [
        ...consoleErrors.map((c) => `console error: ${c.text}${c.url ? ` (${c.url})` : ''}`),
        ...problems.exceptions.map((e) => `uncaught exception: ${e}`),
        ...problems.failedRequests.map((r) => `request failed: ${r}`),
        ...badResponses.map((r) => `${r.status} for ${r.url}`)
      ]
      assert.deepEqual(report, [], `on ${documentURL}:\n  ${report.join('\n  ')}`)
    })
  })
}

// cellsOfColumn returns the text of one column of the people table, found by
// its header's text so the test does not depend on the column order.
async function cellsOfColumn (page, header) {
  return page.evaluate((header) => {
    const table = document.querySelector('#people ~ * table, .moj-filter-layout__content table')
    if (!table) throw new Error('no people table')
    const headers = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim())
    const i = headers.indexOf(header)
    if (i < 0) throw new Error(`no "${header}" column in the people table; columns: ${headers.join(', ')}`)
    return [...table.querySelectorAll('tbody tr')].map((tr) => tr.children[i]?.textContent.trim())
  }, header)
}

// peopleHeader is the people table's column header whose text is exactly
// the given one (hasText alone would also match a longer header).
function peopleHeader (page, text) {
  return page.locator('.moj-filter-layout__content thead th').filter({ hasText: new RegExp(`^\\s*${text}\\s*$`) }).first()
}

async function ariaSort (page, header) {
  return peopleHeader(page, header).getAttribute('aria-sort')
}

// filterByUnit chooses the extradition unit (or the first unit, if the demo
// has none by that code) and applies the filter by submitting the form.
async function filterByUnit (page) {
  await page.goto('/organisation')
  const select = page.locator('select#unit')
  const values = await select.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean))
  assert.ok(values.length, 'the unit filter offers no units')
  const value = values.includes('extradition') ? 'extradition' : values[0]
  await select.selectOption(value)
  const label = (await select.locator(`option[value="${value}"]`).textContent()).trim()
  await Promise.all([page.waitForURL((u) => u.searchParams.get('unit') === value), page.getByRole('button', { name: 'Apply filters' }).click()])
  assert.equal(await page.locator('select#unit').inputValue(), value, 'the chosen unit is still selected after filtering')
  const units = await cellsOfColumn(page, 'Unit')
  assert.ok(units.length > 0, `filtering by ${label} shows nobody`)
  assert.ok(units.every((u) => u === label), `filtered by "${label}", but the Unit column holds: ${[...new Set(units)].join(', ')}`)
}

// sortByUnit follows the Unit column's header link twice and checks that
// aria-sort follows: ascending, then descending, and Name no longer sorted.
async function sortByUnit (page) {
  await page.goto('/organisation')
  assert.equal(await ariaSort(page, 'Name'), 'ascending', 'the people table is sorted by name at first')
  assert.equal(await ariaSort(page, 'Unit'), 'none')
  const link = peopleHeader(page, 'Unit').locator('a')
  if (!(await link.count())) {
    const html = await peopleHeader(page, 'Unit').evaluate((th) => th.outerHTML)
    assert.fail(`the Unit column header has no sort link: ${html}`)
  }
  await Promise.all([page.waitForURL((u) => u.searchParams.get('sort') === 'unit'), link.click()])
  assert.equal(await ariaSort(page, 'Unit'), 'ascending')
  assert.equal(await ariaSort(page, 'Name'), 'none')
  await Promise.all([page.waitForURL((u) => u.searchParams.get('order') === 'desc'), peopleHeader(page, 'Unit').locator('a').click()])
  assert.equal(await ariaSort(page, 'Unit'), 'descending')
}

describe('keyboard', () => {
  let context, page
  before(async () => { context = await newContext(); page = await context.newPage() })
  after(async () => { await context?.close() })

  test('the first Tab focuses the skip link, and Enter on it moves focus to the main content', { timeout: TEST_TIMEOUT }, async () => {
    await page.goto('/')
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => ({ href: document.activeElement.getAttribute('href'), text: document.activeElement.textContent.trim() }))
    assert.deepEqual(focused, { href: '#main-content', text: 'Skip to main content' }, 'the first Tab focuses the skip link')
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'main-content', null, { timeout: 5_000 })
      .catch(async () => {
        const now = await page.evaluate(() => document.activeElement.outerHTML.slice(0, 200))
        assert.fail(`after Enter on the skip link, focus is on ${now}, not #main-content`)
      })
  })

  test('Tab reaches the service navigation, and Enter on Organisation goes there', { timeout: TEST_TIMEOUT }, async () => {
    await page.goto('/')
    const path = []
    let reached = false
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab')
      const el = await page.evaluate(() => {
        const a = document.activeElement
        return { text: a.textContent.trim(), inNav: !!a.closest('.govuk-service-navigation'), tag: a.tagName.toLowerCase() }
      })
      path.push(`${el.tag} "${el.text.slice(0, 40)}"${el.inNav ? ' (service navigation)' : ''}`)
      reached = el.inNav && el.tag === 'a' && el.text === 'Organisation'
    }
    assert.ok(reached, `Tab never reached the service navigation's Organisation link; it went through:\n  ${path.join('\n  ')}`)
    await Promise.all([page.waitForURL((u) => u.pathname === '/organisation'), page.keyboard.press('Enter')])
    assert.equal((await page.locator('h1').textContent()).trim(), 'Organisation')
  })
})

describe('people table with JavaScript', () => {
  let context, page
  before(async () => { context = await newContext(); page = await context.newPage() })
  after(async () => { await context?.close() })

  test('filtering by unit shows only that unit', { timeout: TEST_TIMEOUT }, () => filterByUnit(page))
  test('sorting by a header link changes aria-sort', { timeout: TEST_TIMEOUT }, () => sortByUnit(page))
})

describe('people table without JavaScript', () => {
  let context, page
  before(async () => { context = await newContext({ javaScriptEnabled: false }); page = await context.newPage() })
  after(async () => { await context?.close() })

  test('the table renders', { timeout: TEST_TIMEOUT }, async () => {
    await page.goto('/organisation')
    const names = await cellsOfColumn(page, 'Name')
    assert.ok(names.length > 0, 'the people table has no rows')
    assert.ok(names.every(Boolean), 'a row has no name')
  })
  test('filtering by unit works by submitting the form', { timeout: TEST_TIMEOUT }, () => filterByUnit(page))
  test('sorting by a header link changes aria-sort', { timeout: TEST_TIMEOUT }, () => sortByUnit(page))
})
