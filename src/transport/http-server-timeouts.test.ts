// Go's read_header_timeout / read_timeout as Node's headersTimeout / requestTimeout: Node refuses a
// headersTimeout above requestTimeout, and checks both on an interval that must suit short timeouts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeTimeouts } from './http-server.ts';

test('Go keys map to Node timeouts, headers capped by the whole request', () => {
  const table: [Parameters<typeof nodeTimeouts>[0], ReturnType<typeof nodeTimeouts>][] = [
    [{}, {}],
    [
      { readHeaderTimeoutMs: 60_000, readTimeoutMs: 60_000 },
      { headersTimeout: 60_000, requestTimeout: 60_000, connectionsCheckingInterval: 15_000 },
    ],
    // Go: a zero read_header_timeout uses read_timeout.
    [
      { readHeaderTimeoutMs: 0, readTimeoutMs: 2000 },
      { headersTimeout: 2000, requestTimeout: 2000, connectionsCheckingInterval: 500 },
    ],
    [
      { readHeaderTimeoutMs: 60_000, readTimeoutMs: 1000 },
      { headersTimeout: 1000, requestTimeout: 1000, connectionsCheckingInterval: 250 },
    ],
    // read_timeout 0: no limit on the whole request; headers still bounded.
    [
      { readHeaderTimeoutMs: 200, readTimeoutMs: 0 },
      { headersTimeout: 200, requestTimeout: 0, connectionsCheckingInterval: 100 },
    ],
    [{ readTimeoutMs: 0 }, { headersTimeout: 0, requestTimeout: 0, connectionsCheckingInterval: 30_000 }],
  ];
  for (const [input, expected] of table) assert.deepEqual(nodeTimeouts(input), expected, JSON.stringify(input));
});
