// The export page checks itself again while the file is being made: it fetches the
// page and swaps in the new progress panel's content, until the panel says it is finished (no
// data-refresh-seconds). A file, not an inline script: the CSP forbids inline scripts.
const panelId = 'export-progress'

function schedule (panel) {
  const seconds = Number(panel.dataset.refreshSeconds || 0)
  if (seconds > 0) window.setTimeout(check, seconds * 1000)
}

async function check () {
  let response
  try {
    response = await window.fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
  } catch (error) {
    schedule(document.getElementById(panelId))
    return
  }
  if (!response.ok) return
  const page = new window.DOMParser().parseFromString(await response.text(), 'text/html')
  const fresh = page.getElementById(panelId)
  const current = document.getElementById(panelId)
  if (!fresh || !current) return
  // The panel stays (it is the live region that reads the change out); its content and
  // whether to check again come from the fresh page.
  current.innerHTML = fresh.innerHTML
  if (fresh.dataset.refreshSeconds) {
    current.dataset.refreshSeconds = fresh.dataset.refreshSeconds
  } else {
    delete current.dataset.refreshSeconds
  }
  schedule(current)
}

const panel = document.getElementById(panelId)
if (panel) schedule(panel)
