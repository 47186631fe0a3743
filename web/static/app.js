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
