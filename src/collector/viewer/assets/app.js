// Entry point: client-side routing between the search, trace and dependencies pages, and the
// header's "open trace" box.
import {renderSearchPage} from './search-page.js';
import {renderTracePage} from './trace-page.js';
import {renderDependenciesPage} from './deps-page.js';
import {parseTraceInput} from './trace-input.js';

const main = document.getElementById('main');
let current = null;  // {abort: AbortController} of the page being shown

// Shows the page for the current location; aborts the fetches of the previous page.
function route() {
  if (current) current.abort.abort();
  const abort = new AbortController();
  current = {abort};
  const url = new URL(window.location.href);
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const ctx = {main, url, signal: abort.signal, navigate};
  let traceMatch = path.match(/^\/trace\/([^/]+)$/);
  let page = 'search';
  if (traceMatch) {
    page = 'trace';
    renderTracePage(ctx, decodeURIComponent(traceMatch[1]));
  } else if (path === '/dependencies') {
    page = 'dependencies';
    renderDependenciesPage(ctx);
  } else {
    renderSearchPage(ctx);
  }
  for (const a of document.querySelectorAll('.nav-link')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// Goes to an in-app URL; `replace` keeps the history entry (for URL state updates).
export function navigate(href, {replace = false} = {}) {
  if (replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  route();
  if (!replace) window.scrollTo(0, 0);
}

document.addEventListener('click', (event) => {
  const a = event.target.closest('a[data-route]');
  if (!a || event.defaultPrevented || event.button !== 0 ||
      event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', route);

const traceForm = document.getElementById('open-trace');
const traceBox = document.getElementById('open-trace-id');
const traceError = document.getElementById('open-trace-error');
traceForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const parsed = parseTraceInput(traceBox.value);
  if (!parsed) {
    traceError.textContent = 'Enter a trace id (32 hex digits) or a traceresponse header value';
    traceError.hidden = false;
    traceBox.setAttribute('aria-invalid', 'true');
    traceBox.focus();
    return;
  }
  traceError.hidden = true;
  traceBox.removeAttribute('aria-invalid');
  traceBox.value = '';
  navigate(`/trace/${parsed.traceId}${parsed.spanId ? `?span=${parsed.spanId}` : ''}`);
});
traceBox.addEventListener('input', () => {
  traceError.hidden = true;
  traceBox.removeAttribute('aria-invalid');
});

route();
