// What `telegate gen` prints: a live progress line (terminal only) and the final summary, as text and
// optionally one JSON line. Never prints credentials (reasons were redacted by the exporter).
import type { GenProgress, GenSummary } from './run-generator.ts';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A progress line from two snapshots (the current rate is between them). */
export function progressLine(unit: string, p: GenProgress, previous: GenProgress | undefined): string {
  const dt = previous === undefined ? p.elapsedMs : p.elapsedMs - previous.elapsedMs;
  const sent = previous === undefined ? p.sentItems : p.sentItems - previous.sentItems;
  const now = dt > 0 ? (sent * 1000) / dt : 0;
  return `sent ${fmt(p.sentItems)} ${unit}, failed ${fmt(p.failedItems)}, ${fmt(now)} ${unit}/s, ${(p.elapsedMs / 1000).toFixed(1)} s`;
}

/** The summary as text lines. */
export function summaryText(s: GenSummary): string {
  const seconds = s.elapsedMs / 1000;
  const perMillion = s.sentItems > 0 ? (s.cpuMs / 1000 / s.sentItems) * 1e6 : 0;
  const lines = [
    `telegate gen ${s.signal}: sent ${fmt(s.sentItems)} ${s.unit} in ${fmt(s.requests - s.failedRequests)} requests, ` +
      `failed ${fmt(s.failedItems)} ${s.unit} in ${fmt(s.failedRequests)} requests; ` +
      `${seconds.toFixed(2)} s, ${fmt(s.itemsPerSecond)} ${s.unit}/s; CPU ${(s.cpuMs / 1000).toFixed(2)} s` +
      (s.sentItems > 0 ? ` (${perMillion.toFixed(2)} CPU-s per million ${s.unit})` : ''),
  ];
  if (s.interrupted) lines.push('interrupted: stopped before the end of the run');
  for (const f of s.failures) lines.push(`export failed (${fmt(f.requests)} requests): ${f.reason}`);
  if (s.stoppedOnFailure) lines.push('stopped at the first failed export (--allow-export-failures keeps going)');
  return `${lines.join('\n')}\n`;
}

/** The summary as one JSON line. */
export function summaryJson(s: GenSummary): string {
  return `${JSON.stringify({ summary: s })}\n`;
}
