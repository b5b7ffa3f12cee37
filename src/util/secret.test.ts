// A Secret prints `[REDACTED]` every way a value gets printed, only reveal() gives the value, and
// deep equality still tells two secrets apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { format, inspect } from 'node:util';
import { TelegateError } from '../errors/catalogue.ts';
import { REDACTED, Secret } from './secret.ts';

const VALUE = 'hunter2-very-secret';

test('reveal() gives the value; isEmpty tells an unset one', () => {
  assert.equal(new Secret(VALUE).reveal(), VALUE);
  assert.equal(new Secret('').isEmpty, true);
  assert.equal(new Secret(VALUE).isEmpty, false);
});

test('deep equality compares the values of secrets', () => {
  assert.deepStrictEqual({ p: new Secret(VALUE) }, { p: new Secret(VALUE) });
  assert.notDeepStrictEqual({ p: new Secret(VALUE) }, { p: new Secret('other') });
  assert.notDeepStrictEqual(new Secret(VALUE), VALUE);
});

test('every way of printing shows [REDACTED]', () => {
  const secret = new Secret(VALUE);
  const config = { auth: { password: secret }, list: [secret] };
  const printed: [string, string][] = [
    ['template string', `password=${secret.toString()} ${String(secret)}`],
    ['concatenation', 'password=' + String(secret)],
    ['JSON.stringify', JSON.stringify(config)],
    ['util.inspect', inspect(config, { depth: Infinity, showHidden: true })],
    ['util.format %o %O %s %j', format('%o %O %s %j', config, config, secret, config)],
    ['Object.entries', JSON.stringify(Object.entries(secret))],
    ['structuredClone', inspect(structuredClone(config))],
    ['Object.assign', inspect(Object.assign({}, secret), { showHidden: true })],
  ];
  for (const [how, text] of printed) {
    assert.ok(!text.includes(VALUE), `${how} shows the secret: ${text}`);
  }
  assert.equal(String(secret), REDACTED);
  assert.equal(JSON.stringify({ p: secret }), '{"p":"[REDACTED]"}');
  assert.equal(inspect(secret), REDACTED);
});

test('a thrown error carrying a secret (message or cause) does not show it', () => {
  const secret = new Secret(VALUE);
  const err = new TelegateError('TG_START_FAILED', `bad password ${String(secret)}`, { cause: { password: secret } });
  const shown = [err.message, String(err), inspect(err, { depth: Infinity }), JSON.stringify({ error: err })];
  for (const text of shown) assert.ok(!text.includes(VALUE), text);
});
