/**
 * `GET /my-data/<token>.json`: a member's `me export`, through the one-time link sent in their Teams
 * 1:1 chat (src/core/data-rights/export-link.ts). An unknown, used or expired token is 404 (the
 * answer never says which). HEAD answers without taking the link, so a client that checks a link
 * before opening it does not use it up. Never cached.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { PrismaClient } from '../db/client.js';
import { EXPORT_MIME, exportFileName } from '../core/data-rights/export.js';
import { takeExport } from '../core/data-rights/export-link.js';

const PATH = /^\/my-data\/([A-Za-z0-9_-]{43})\.json$/;

export function myDataPage(db: PrismaClient, log: Logger, now: () => Date = () => new Date()): RequestListener {
  const notFound = (res: ServerResponse) => {
    res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
    res.end('Not Found');
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const token = PATH.exec(url.pathname)?.[1];
    if (!token) return notFound(res);
    if (req.method === 'HEAD') {
      res.writeHead(200, { 'content-type': `${EXPORT_MIME}; charset=utf-8`, 'cache-control': 'no-store' });
      return void res.end();
    }
    void (async () => {
      const at = now();
      const file = await takeExport(db, token, at);
      if (file === undefined) return notFound(res);
      res.writeHead(200, {
        'content-type': `${EXPORT_MIME}; charset=utf-8`,
        'content-disposition': `attachment; filename="${exportFileName(at)}"`,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      });
      res.end(file);
    })().catch((err) => {
      log.error({ err }, 'my-data page failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    });
  };
}
