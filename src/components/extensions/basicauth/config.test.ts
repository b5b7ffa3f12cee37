// The basicauth config through the real validator: the seed's two shapes, Go's messages for both and
// neither, telegate's throttle defaults and rules, the authenticator roles, and the client header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { IssueList } from '../../../config/issues.ts';
import { validateConfig } from '../../../config/validate.ts';
import { parseYamlNode } from '../../../config/yaml-node.ts';
import { testSettings } from '../../../../test/helpers/fakes.ts';
import { isClientAuthenticator, isServerAuthenticator } from '../../../contracts/auth.ts';
import { BasicAuthClient } from './client-authenticator.ts';
import type { BasicAuthConfig } from './config.ts';
import { basicAuthFactory as factory } from './factory.ts';
import { Secret } from '../../../util/secret.ts';

function load(name: string): { config: BasicAuthConfig | undefined; messages: string[] } {
  const text = readFileSync(new URL(`testdata/${name}`, import.meta.url), 'utf8');
  const issues = new IssueList();
  const node = parseYamlNode(text, name, issues);
  const r = validateConfig(factory.configSchema, node, 'extensions.basicauth', undefined);
  const messages = [...issues.items, ...r.issues].map((i) => `${i.path}: ${i.message}`);
  const config = r.value as BasicAuthConfig | undefined;
  if (config !== undefined)
    for (const [path, msg] of factory.validate?.(config) ?? [])
      messages.push(`extensions.basicauth${path ? `.${path}` : ''}: ${msg}`);
  return { config, messages };
}

test('the seed gateway config is a server with throttling on by default', () => {
  const { config, messages } = load('server.yaml');
  assert.deepEqual(messages, []);
  assert.ok(config);
  assert.deepEqual(config.htpasswd, { file: '', inline: new Secret('user-1:1234\n') });
  assert.equal(config.client_auth, undefined);
  assert.deepEqual(config.throttle, {
    enabled: true,
    max_failures: 10,
    max_failures_per_client: 100,
    window: 60_000,
    block: 60_000,
    trusted_proxies: [],
  });
  assert.deepEqual(factory.authenticatorRoles?.(config), ['server']);
  assert.ok(isServerAuthenticator(factory.create(testSettings('extension', 'basicauth/server'), config)));
});

test('the seed edge config is a client', () => {
  const { config, messages } = load('client.yaml');
  assert.deepEqual(messages, []);
  assert.ok(config);
  assert.deepEqual(factory.authenticatorRoles?.(config), ['client']);
  assert.ok(isClientAuthenticator(factory.create(testSettings('extension', 'basicauth/client'), config)));
});

test("both or neither are refused with Go's messages", () => {
  assert.deepEqual(load('both.yaml').messages, [
    'extensions.basicauth: only one of `htpasswd` or `client_auth` can be specified',
  ]);
  assert.deepEqual(load('none.yaml').messages, ['extensions.basicauth: no credential source provided']);
  assert.deepEqual(load('empty_htpasswd.yaml').messages, [
    'extensions.basicauth.htpasswd: no credential source provided: set htpasswd.file or htpasswd.inline',
  ]);
  assert.deepEqual(factory.authenticatorRoles?.(load('both.yaml').config), []);
});

test('a client user name with a colon is refused', () => {
  assert.deepEqual(load('client_colon.yaml').messages, [
    'extensions.basicauth.client_auth.username: invalid authorization format: a Basic user name cannot contain ":"',
  ]);
});

test('throttle settings parse and are checked', () => {
  const ok = load('throttle.yaml');
  assert.deepEqual(ok.messages, []);
  assert.deepEqual(ok.config?.throttle, {
    enabled: true,
    max_failures: 5,
    max_failures_per_client: 50,
    window: 30_000,
    block: 300_000,
    trusted_proxies: ['10.0.0.0/8', '::1'],
  });
  assert.deepEqual(load('bad_throttle.yaml').messages, [
    'extensions.basicauth.throttle.window: window must be greater than 0',
    'extensions.basicauth.throttle.block: block must be greater than 0',
    'extensions.basicauth.throttle.trusted_proxies[1]: "ingress.local" is not an IP address or CIDR range (e.g. 10.0.0.0/8, 127.0.0.1, fd00::/8)',
  ]);
  assert.deepEqual(load('bad_max_failures.yaml').messages, [
    'extensions.basicauth.throttle.max_failures: 0 is out of range: must be at least 1',
  ]);
});

test('the client sends Basic base64(username:password), computed once; nothing prints the password', async () => {
  const { config } = load('client.yaml');
  assert.ok(config);
  const client = new BasicAuthClient('basicauth/client', config);
  await client.start();
  const headers = client.requestHeaders();
  assert.deepEqual(headers, { authorization: `Basic ${Buffer.from('user-1:1234').toString('base64')}` });
  assert.equal(client.requestHeaders(), headers, 'the same object every time');
  assert.equal(client.identity, 'user-1');
  const shown = `${inspect(client)} ${JSON.stringify(client)}`;
  assert.ok(!shown.includes('1234') && !shown.includes(headers['authorization']), shown);
  await client.shutdown();
});

test('a client whose user name has a colon fails to start, as Go does', async () => {
  const config = {
    htpasswd: undefined,
    client_auth: { username: 'a:b', password: new Secret('c') },
  } as unknown as BasicAuthConfig;
  await assert.rejects(new BasicAuthClient('basicauth/client', config).start(), /invalid authorization format/);
});

test('validate reads the htpasswd sources: an unreadable file and malformed lines are errors naming where', () => {
  assert.deepEqual(load('bad_sources.yaml').messages, [
    'extensions.basicauth.htpasswd.file: cannot read htpasswd file /nonexistent/telegate-test/htpasswd: no such file',
    "extensions.basicauth.htpasswd.inline: malformed htpasswd lines: htpasswd.inline:2: no ':' between a user name and a password hash",
  ]);
  const [message] = load('malformed_file.yaml').messages;
  assert.match(
    message ?? '',
    /^extensions\.basicauth\.htpasswd\.file: malformed htpasswd lines: .*malformed\.htpasswd:\d+: /,
  );
});
