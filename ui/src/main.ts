// Entry point of the telegate trace UI: routes the page and wires the trace-id lookup in the top bar.
import { stripBase } from './base.ts';
import { renderDependencies } from './dependencies.ts';
import { errorBox, h } from './dom.ts';
import { renderMonitor } from './monitor.ts';
import { navigate, setRenderer } from './router.ts';
import { renderSearch } from './search.ts';
import { renderCompare } from './trace-compare.ts';
import { renderTrace } from './trace-view.ts';

function render(): void {
  const app = document.getElementById('app');
  if (!app) return;
  const path = stripBase(location.pathname);
  const params = new URLSearchParams(location.search);
  const trace = /^\/trace\/([^/]+)\/?$/.exec(path);
  // Jaeger UI's comparison URL: /trace/{a}...{b}.
  const pair = trace?.[1] ? /^(.+?)\.\.\.(.+)$/.exec(decodeURIComponent(trace[1])) : null;
  let section = 'search';
  if (pair?.[1] && pair[2]) {
    section = 'trace';
    renderCompare(app, pair[1].toLowerCase(), pair[2].toLowerCase());
  } else if (trace?.[1]) {
    section = 'trace';
    renderTrace(app, decodeURIComponent(trace[1]), params);
  } else if (path.startsWith('/dependencies')) {
    section = 'dependencies';
    renderDependencies(app);
  } else if (path.startsWith('/monitor')) {
    section = 'monitor';
    renderMonitor(app, params);
  } else {
    renderSearch(app, params);
  }
  for (const a of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
    a.classList.toggle('active', a.dataset['nav'] === section);
  }
}

/** One id opens its trace; several (space or comma separated) list them, as Jaeger UI's `?traceID=` search. */
function wireLookup(): void {
  const form = document.getElementById('lookup');
  if (!(form instanceof HTMLFormElement)) return;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const input = form.elements.namedItem('traceId');
    const text = input instanceof HTMLInputElement ? input.value.trim().toLowerCase() : '';
    const ids = [...new Set(text.split(/[\s,]+/).filter(Boolean))];
    if (ids.length === 0) return;
    if (input instanceof HTMLInputElement) input.value = '';
    if (ids.length === 1) navigate(`/trace/${encodeURIComponent(ids[0] ?? '')}`);
    else navigate(`/search?${ids.map((id) => `traceID=${encodeURIComponent(id)}`).join('&')}`);
  });
}

/** A bug in a page must leave a message, not a blank or half-drawn screen. */
function showUnexpected(err: unknown): void {
  const app = document.getElementById('app');
  if (!app) return;
  app.prepend(h('div', { class: 'pad' }, errorBox('Something went wrong in the page', err)));
}

window.addEventListener('error', (e) => {
  showUnexpected(e.error ?? e.message);
});
window.addEventListener('unhandledrejection', (e) => {
  showUnexpected(e.reason);
});
function renderSafely(): void {
  try {
    render();
  } catch (err) {
    showUnexpected(err);
  }
}

setRenderer(renderSafely);
wireLookup();
renderSafely();
