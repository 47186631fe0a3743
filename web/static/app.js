// Caseboard's only first-party script. Every page works without it: it
// just lets GOV.UK Frontend and MOJ Frontend enhance the server-rendered
// markup. It is an ES module file because the content security policy
// forbids inline script, which is where GOV.UK's own boilerplate puts this.

import { initAll as initGovukFrontend } from '/static/dist/govuk-frontend.min.js'
import { initAll as initMojFrontend } from '/static/dist/moj-frontend.min.js'

// GOV.UK Frontend components only initialise, and its CSS only hides
// JavaScript-dependent content, once the body carries this class; browsers
// too old for ES modules never run this file and keep the plain pages.
document.body.classList.add('govuk-frontend-supported')

initGovukFrontend()
initMojFrontend()

// Uploads of large spreadsheets show how far they have got: the file is
// sent with XMLHttpRequest, whose upload events give the progress; then,
// while caseboard reads the rows, the page asks it every second how many
// it has read (the form names its run in a hidden field). The page the
// server answers with replaces this one, as after a plain form post.
// Without JavaScript the form posts as usual.
for (const form of document.querySelectorAll('form[data-module="app-upload-progress"]')) {
  form.addEventListener('submit', (event) => {
    const file = form.querySelector('input[type="file"]')
    if (!file || file.files.length === 0 || typeof FormData === 'undefined') return
    event.preventDefault()
    const panel = form.querySelector('.app-upload-progress')
    const bar = panel.querySelector('progress')
    const status = panel.querySelector('[data-upload-status]')
    const button = form.querySelector('button')
    panel.hidden = false
    button.disabled = true
    status.textContent = 'Uploading ' + file.files[0].name
    const request = new XMLHttpRequest()
    request.open('POST', form.action)
    request.upload.addEventListener('progress', (e) => {
      if (!e.lengthComputable) return
      const percent = Math.floor(100 * e.loaded / e.total)
      bar.value = percent
      status.textContent = 'Uploaded ' + percent + '%'
    })
    let polling
    request.upload.addEventListener('load', () => {
      bar.value = 100
      status.textContent = 'Uploaded: every row is being checked, which takes a while for a long file'
      polling = setInterval(() => showRowsRead(form.dataset.progressUrl, status), 1000)
    })
    request.addEventListener('loadend', () => clearInterval(polling))
    request.addEventListener('load', () => {
      document.open()
      document.write(request.responseText)
      document.close()
    })
    request.addEventListener('error', () => {
      button.disabled = false
      status.textContent = 'The upload did not reach caseboard: check the connection and try again'
    })
    request.send(new FormData(form))
  })
}

// showRowsRead puts the rows read so far in the status line. A failed
// question leaves the line as it was: the upload's own answer will come.
async function showRowsRead (url, status) {
  try {
    const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    if (!response.ok) return
    const run = await response.json()
    if (run.done || run.rows === 0) return
    const rate = Math.round(run.rows_per_second)
    status.textContent = 'Checked ' + run.rows.toLocaleString('en-GB') + ' rows so far' +
      (rate > 0 ? ' (' + rate.toLocaleString('en-GB') + ' a second)' : '')
  } catch (_) {}
}
