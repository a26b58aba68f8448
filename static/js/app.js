// Starts GOV.UK Frontend and MoJ Frontend on every page (loaded as a module from
// base.html: no inline scripts, so a strict Content Security Policy can forbid them).
//
// GOV.UK's page template marks the body with an inline script; a module only runs in
// browsers that GOV.UK Frontend supports, so marking it here is equivalent.
import { initAll as initGovukFrontend } from '../vendor/js/govuk-frontend.min.js'
import { initAll as initMojFrontend } from '../vendor/js/moj-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initGovukFrontend()
initMojFrontend()
