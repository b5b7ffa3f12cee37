// redactSecrets cuts known values (and the credential after a scheme) out of a text a peer may echo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets } from './redact.ts';
import { Secret } from './secret.ts';

test('redactSecrets cuts whole values and the credential after a scheme', () => {
  const cases: [string, (Secret | string)[], string][] = [
    ['echo: Bearer abcd1234', ['Bearer abcd1234'], 'echo: [REDACTED]'],
    ['token abcd1234 refused', ['Bearer abcd1234'], 'token [REDACTED] refused'],
    ['key hunter2-very-secret', [new Secret('hunter2-very-secret')], 'key [REDACTED]'],
    ['short ab stays', ['ab'], 'short ab stays'],
    ['nothing known', [], 'nothing known'],
  ];
  for (const [text, secrets, want] of cases) assert.equal(redactSecrets(text, secrets), want, text);
});
