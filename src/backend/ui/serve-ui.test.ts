import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUiHandler, resolveUiPath, UI_DIR } from './serve-ui.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

// A raw request: fetch and URL would normalise `..` away before it reaches the server.
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveUi', () => {
  let dir: string;
  let secretDir: string;
  let server: Server;
  let port: number;

  before(async () => {
    const base = mkdtempSync(join(tmpdir(), 'telegate-ui-'));
    dir = join(base, 'ui');
    secretDir = join(base, 'ui-secret');
    mkdirSync(dir);
    mkdirSync(secretDir);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>index</title>');
    writeFileSync(join(dir, 'main.js'), 'export {};');
    writeFileSync(join(dir, 'styles.css'), 'body{}');
    writeFileSync(join(base, 'secret.txt'), 'secret');
    writeFileSync(join(secretDir, 'x.txt'), 'sibling');
    const handle = createUiHandler(dir);
    server = createServer((req, res) => {
      if (!handle(req, res)) {
        res.writeHead(404);
        res.end('not ui');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.close();
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  const cases: readonly [string, number, string | undefined][] = [
    ['/', 200, 'text/html; charset=utf-8'],
    ['/search?service=frontend', 200, 'text/html; charset=utf-8'],
    ['/trace/0af7651916cd43dd8448eb211c80319c', 200, 'text/html; charset=utf-8'],
    ['/dependencies', 200, 'text/html; charset=utf-8'],
    ['/monitor?service=frontend', 200, 'text/html; charset=utf-8'],
    ['/trace/0af7651916cd43dd8448eb211c80319c...1af7651916cd43dd8448eb211c80319c', 200, 'text/html; charset=utf-8'],
    ['/main.js', 200, 'text/javascript; charset=utf-8'],
    ['/styles.css', 200, 'text/css; charset=utf-8'],
    ['/api/services', 404, undefined],
    ['/missing.js', 404, undefined],
    ['/trace/a/b', 404, undefined],
  ];
  for (const [path, status, type] of cases) {
    test(`GET ${path} → ${status}`, async () => {
      const a = await get(port, path);
      assert.equal(a.status, status);
      if (type) assert.equal(a.headers['content-type'], type);
      if (status === 200) assert.equal(a.headers['cache-control'], 'no-cache');
      if (status === 404) assert.equal(a.body, 'not ui');
    });
  }

  test('SPA routes answer with index.html', async () => {
    const a = await get(port, '/trace/abc');
    assert.match(a.body, /<title>index<\/title>/);
  });

  test('an unchanged file is answered 304 with its ETag', async () => {
    const first = await get(port, '/main.js');
    const etag = first.headers.etag;
    assert.equal(typeof etag, 'string');
    const again = await get(port, '/main.js', { 'If-None-Match': etag as string });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
  });

  test('HEAD has headers but no body; other methods are not the UI', async () => {
    const head = await get(port, '/styles.css', {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '6');
    assert.equal(head.body, '');
    assert.equal((await get(port, '/styles.css', {}, 'POST')).status, 404);
  });

  for (const path of [
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%2f..%2fetc/passwd',
    '/../ui-secret/x.txt',
    '/main.js%00.css',
    '/%E0%A4%A',
  ]) {
    test(`path traversal ${path} is refused`, async () => {
      const a = await get(port, path);
      assert.equal(a.status, 404);
      assert.doesNotMatch(a.body, /secret|sibling/);
    });
  }

  test('below a base path: routes and files under it, index.html told the base, the rest refused', async () => {
    const handle = createUiHandler(dir);
    const s = createServer((req, res) => {
      if (!handle(req, res, '/jaeger/')) res.writeHead(404).end('not ui');
    });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><base href="/" /><title>index</title>');
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    try {
      const p = (s.address() as AddressInfo).port;
      const page = await get(p, '/jaeger/trace/abc');
      assert.equal(page.status, 200);
      assert.match(page.body, /<base href="\/jaeger\/" \/>/);
      assert.equal((await get(p, '/jaeger')).status, 200);
      assert.equal((await get(p, '/jaeger/main.js')).body, 'export {};');
      assert.equal((await get(p, '/main.js')).status, 404);
      assert.equal((await get(p, '/jaegerx/main.js')).status, 404);
      assert.equal((await get(p, '/jaeger/api/services')).status, 404);
      const etag = String(page.headers.etag);
      assert.equal((await get(p, '/jaeger/', { 'If-None-Match': etag })).status, 304);
      assert.ok(etag.endsWith(`-${Buffer.from('/jaeger').toString('base64url')}"`), 'the base is part of the ETag');
    } finally {
      s.close();
    }
  });

  test('resolveUiPath keeps paths inside the root', () => {
    assert.equal(resolveUiPath('/srv/ui', '/a/b.js'), '/srv/ui/a/b.js');
    assert.equal(resolveUiPath('/srv/ui', '/a/../b.js'), '/srv/ui/b.js');
    assert.equal(resolveUiPath('/srv/ui', '/a/../../b.js'), '/srv/ui/b.js');
    assert.equal(resolveUiPath('/srv/ui', '../b.js'), undefined);
    assert.equal(resolveUiPath('/srv/ui', '/..\\x'), undefined);
    assert.equal(resolveUiPath('/srv/ui', '/%00'), undefined);
  });

  test('the package UI directory is dist/ui beside package.json', () => {
    assert.match(UI_DIR, /[/\\]dist[/\\]ui[/\\]$/);
  });

  test('a missing build answers 503 naming the fix', async () => {
    const handle = createUiHandler(join(dir, 'nope'));
    const s = createServer((req, res) => {
      if (!handle(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    try {
      const a = await get((s.address() as AddressInfo).port, '/');
      assert.equal(a.status, 503);
      assert.match(a.body, /npm run build/);
    } finally {
      s.close();
    }
  });
});
