// A real nginx (Debian's nginx-light) as the TLS-terminating gRPC ingress of the seed: it listens
// with TLS + HTTP/2 on 127.0.0.1 and passes gRPC to a backend with `grpc_pass`, as ingress-nginx does
// for `nginx.ingress.kubernetes.io/backend-protocol: GRPC`. Started in the foreground per test, with
// its own prefix, and stopped (and waited for) at the end.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../../src/errors/thrown.ts';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

/** Why nginx cannot be used here, or undefined when it can. */
export function nginxMissing(): string | undefined {
  return NGINX === undefined ? 'nginx is not installed: apt-get install -y nginx-light' : undefined;
}

export interface Nginx {
  readonly port: number;
  readonly errorLog: () => string;
  stop(): Promise<void>;
}

export interface NginxOptions {
  readonly port: number;
  readonly backendPort: number;
  readonly certFile: string;
  readonly keyFile: string;
  /** Directives added to the `location /` block (e.g. `grpc_set_header X-Real-IP $remote_addr;`). */
  readonly locationExtra?: string;
  /**
   * How the backend is reached: `grpc` (grpc_pass, as ingress-nginx with `backend-protocol: GRPC`, the
   * default) or `http1` (proxy_pass over HTTP/1.1, as an ingress without that annotation).
   */
  readonly upstream?: 'grpc' | 'http1';
  /** Whether clients may speak HTTP/2 (default true); false is an HTTP/1.1-only TLS front. */
  readonly http2?: boolean;
  /** client_max_body_size (ingress-nginx's proxy-body-size); default 16m. */
  readonly clientMaxBodySize?: string;
}

function config(dir: string, o: NginxOptions): string {
  return `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${o.port} ssl${o.http2 === false ? '' : ' http2'};
    ssl_certificate ${o.certFile};
    ssl_certificate_key ${o.keyFile};
    client_max_body_size ${o.clientMaxBodySize ?? '16m'};
    location / {
      ${o.upstream === 'http1' ? `proxy_http_version 1.1; proxy_pass http://127.0.0.1:${o.backendPort}` : `grpc_pass grpc://127.0.0.1:${o.backendPort}`};
      ${o.locationExtra ?? ''}
    }
  }
}
`;
}

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) {
        reject(new Error(`nginx exited with ${child.exitCode}`));
        return;
      }
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nginx did not listen on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Starts nginx in the foreground; rejects with its error log when it cannot start. */
export async function startNginx(o: NginxOptions): Promise<Nginx> {
  const why = nginxMissing();
  if (why !== undefined || NGINX === undefined) throw new Error(why);
  const dir = mkdtempSync(join(tmpdir(), 'tg-nginx-'));
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, config(dir, o));
  const check = spawnSync(NGINX, ['-t', '-q', '-p', dir, '-c', conf], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx rejected its config: ${check.stderr}`);
  const child = spawn(NGINX, ['-p', dir, '-c', conf], { stdio: 'ignore' });
  const errorLog = (): string =>
    existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
  try {
    await waitForPort(o.port, child, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${errorMessage(err)}; error log:\n${errorLog()}`, { cause: err });
  }
  return {
    port: o.port,
    errorLog,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => {
          resolve();
        });
        child.kill('SIGQUIT');
      }),
  };
}
