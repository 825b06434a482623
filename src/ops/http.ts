import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpRoute } from '../core/platform.ts';
import type { Logger } from '../logger.ts';
import type { Health } from './health.ts';
import type { Metrics } from './metrics.ts';

/**
 * The operator's routes: `/healthz` (the process is up: 200), `/readyz` (200 when the database
 * answers and every platform is connected, else 503; a small JSON body names each check) and
 * `/metrics` (Prometheus text). Nothing they answer names a person.
 */
export function opsRoutes(input: {
  health: Pick<Health, 'readiness'>;
  metrics: Pick<Metrics, 'exposition' | 'contentType'>;
  logger: Logger;
}): HttpRoute[] {
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const failed = (res: ServerResponse, error: unknown, what: string) => {
    input.logger.error({ err: error }, `${what} failed`);
    if (!res.headersSent) json(res, 500, { error: `${what} failed` });
    else res.end();
  };
  return [
    { path: '/healthz', method: 'GET', handler: (_req, res) => json(res, 200, { status: 'ok' }) },
    {
      path: '/readyz',
      method: 'GET',
      handler: (_req, res) => {
        input.health
          .readiness()
          .then((r) => json(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', checks: r.checks }))
          .catch((error: unknown) => failed(res, error, 'readiness'));
      },
    },
    {
      path: '/metrics',
      method: 'GET',
      handler: (_req, res) => {
        input.metrics
          .exposition()
          .then((text) => {
            res.writeHead(200, { 'content-type': input.metrics.contentType });
            res.end(text);
          })
          .catch((error: unknown) => failed(res, error, 'metrics'));
      },
    },
  ];
}

/**
 * A small HTTP server for `routes`, where no adapter listens on the port (Discord, Slack's Socket
 * Mode, jobs only). Anything else is 404. Resolves once listening; `port` is the one bound (`PORT=0`
 * picks a free one).
 */
export async function startOpsServer(input: { port: number; routes: readonly HttpRoute[] }) {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = input.routes.find((r) => r.path === path && r.method === req.method);
    if (route) return route.handler(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(input.port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
