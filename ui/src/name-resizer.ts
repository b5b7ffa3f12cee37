// The resizable name column of the timeline: dragging the handle at the right edge of the header's name
// cell sets the column width (a CSS variable on the timeline), kept for the next trace in localStorage.

const KEY = 'telegate.nameColumnPx';
const MIN_PX = 160;

/** The width the user chose last, if any. */
export function savedNameWidth(): number | undefined {
  try {
    const v = Number(localStorage.getItem(KEY));
    return Number.isFinite(v) && v >= MIN_PX ? v : undefined;
  } catch {
    // Storage can be disabled (private mode, policy): the default width applies.
    return undefined;
  }
}

/** Applies a width to the timeline element. */
export function setNameWidth(timeline: HTMLElement, px: number): void {
  timeline.style.setProperty('--name-w', `${Math.round(px)}px`);
}

/** Makes `handle` resize the name column of `timeline` by dragging (and with the arrow keys). */
export function wireNameResizer(handle: HTMLElement, timeline: HTMLElement): void {
  const apply = (px: number): void => {
    const max = Math.max(MIN_PX, timeline.clientWidth - 200);
    const w = Math.min(max, Math.max(MIN_PX, px));
    setNameWidth(timeline, w);
    try {
      localStorage.setItem(KEY, String(Math.round(w)));
    } catch {
      // Not kept: the width still applies to this page.
    }
  };
  handle.addEventListener('pointerdown', (down) => {
    down.preventDefault();
    down.stopPropagation();
    const left = timeline.getBoundingClientRect().left;
    handle.setPointerCapture(down.pointerId);
    const move = (e: PointerEvent): void => {
      apply(e.clientX - left);
    };
    const up = (): void => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  });
  handle.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const now = handle.parentElement?.getBoundingClientRect().width ?? MIN_PX;
    apply(now + (e.key === 'ArrowLeft' ? -20 : 20));
  });
}
