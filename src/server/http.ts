/** Passerelle's one HTTP port: health, and each chat channel's webhook. */
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';

export type Routes = Map<string, RequestListener>;
/** Pages read with GET, by path prefix (e.g. `/ics/` for exchange invitations). */
export type Pages = Map<string, RequestListener>;

export function createHttpServer(routes: Routes, health: () => Promise<object>, log: Logger, pages: Pages = new Map()): http.Server {
  return http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      health().then(
        (body) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        (err) => {
          log.error({ err }, 'health check failed');
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'unavailable' }));
        },
      );
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      for (const [prefix, page] of pages) if (path.startsWith(prefix)) return void page(req, res);
    }
    const route = routes.get(path);
    if (route && req.method === 'POST') return void route(req, res);
    res.writeHead(route ? 405 : 404, { 'content-type': 'text/plain' });
    res.end(route ? 'Method Not Allowed' : 'Not Found');
  });
}
