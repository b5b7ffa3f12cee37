// Client-side routing with the History API: /search, /trace/{id}, /dependencies (and / for search).
// The server answers each of these paths with index.html (src/backend/ui/serve-ui.ts).
import { appUrl, stripBase } from './base.ts';

type Render = () => void;
let onChange: Render = () => undefined;

/** Sets the function that renders the page for the current location. */
export function setRenderer(render: Render): void {
  onChange = render;
  window.addEventListener('popstate', render);
  // Internal links (`data-link`) navigate without a page load; modified clicks keep browser behaviour.
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target instanceof Element ? e.target.closest('a[data-link]') : null;
    if (!(a instanceof HTMLAnchorElement)) return;
    e.preventDefault();
    navigate(stripBase(a.pathname) + a.search);
  });
}

/** Goes to an app path ('/trace/…'), adding a history entry (or replacing the current one). */
export function navigate(path: string, replace = false): void {
  const url = appUrl(path);
  if (url === location.pathname + location.search) {
    onChange();
    return;
  }
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  onChange();
}
