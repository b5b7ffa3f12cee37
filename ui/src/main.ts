// Entry point of the telegate trace UI: routes the page and wires the trace-id lookup in the top bar.
import { stripBase } from './base.ts';
import { renderDependencies } from './dependencies.ts';
import { errorBox, h } from './dom.ts';
import { navigate, setRenderer } from './router.ts';
import { renderSearch } from './search.ts';
import { renderTrace } from './trace-view.ts';

function render(): void {
  const app = document.getElementById('app');
  if (!app) return;
  const path = stripBase(location.pathname);
  const trace = /^\/trace\/([^/]+)\/?$/.exec(path);
  let section = 'search';
  if (trace?.[1]) {
    section = 'trace';
    renderTrace(app, decodeURIComponent(trace[1]));
  } else if (path.startsWith('/dependencies')) {
    section = 'dependencies';
    renderDependencies(app);
  } else {
    renderSearch(app, new URLSearchParams(location.search));
  }
  for (const a of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
    a.classList.toggle('active', a.dataset['nav'] === section);
  }
}

function wireLookup(): void {
  const form = document.getElementById('lookup');
  if (!(form instanceof HTMLFormElement)) return;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const input = form.elements.namedItem('traceId');
    const id = input instanceof HTMLInputElement ? input.value.trim().toLowerCase() : '';
    if (id === '') return;
    if (input instanceof HTMLInputElement) input.value = '';
    navigate(`/trace/${encodeURIComponent(id)}`);
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
