// Terminal rendering of config issues and the summary line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIssue, formatIssues, formatSummary } from './format.ts';
import type { ConfigIssue } from './issues.ts';

const err: ConfigIssue = {
  severity: 'error',
  path: 'receivers.otlp.protocols.grcp',
  source: { file: 'c.yaml', line: 4, column: 7 },
  message: 'unknown key `grcp`; did you mean `grpc`?',
  hint: 'Valid keys here: grpc, http.',
  code: 'TG_CONFIG_UNKNOWN_KEY',
};
const warn: ConfigIssue = {
  severity: 'warning',
  path: 'processors.resource',
  source: { file: 'c.yaml', line: 9, column: 3 },
  message: 'unused',
  code: 'TG_CONFIG_UNUSED',
};

test('an issue is one line with its path and file:line:col, then its hint', () => {
  assert.equal(
    formatIssue(err),
    'error: receivers.otlp.protocols.grcp (c.yaml:4:7): unknown key `grcp`; did you mean `grpc`?\n  hint: Valid keys here: grpc, http.',
  );
  assert.equal(
    formatIssue({ ...warn, source: { file: '--set a=b', line: 0, column: 0 } }),
    'warning: processors.resource (--set a=b): unused',
  );
  assert.equal(
    formatIssue({ severity: 'error', path: '', message: 'no config given', code: 'TG_CONFIG_READ' }),
    'error: no config given',
  );
});

test('the summary counts errors and warnings; errors are listed first', () => {
  assert.equal(formatSummary([err, err, warn]), '2 errors, 1 warning');
  assert.equal(formatSummary([warn]), '1 warning');
  assert.equal(formatSummary([]), 'no problems');
  const text = formatIssues([warn, err]);
  assert.ok(text.indexOf('error:') < text.indexOf('warning:'));
  assert.ok(text.endsWith('1 error, 1 warning'));
});
