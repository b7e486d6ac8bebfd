/**
 * `GET /ics/<token>.ics[?lang=fr]`: a confirmed (or cancelled) exchange's invitation, for calendars
 * and browsers. The token is the exchange's 32-byte random secret; an unknown token, or an exchange
 * whose time is not fixed yet, is 404 (the answer never says which).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { PrismaClient } from '../db/client.js';
import type { PlatformDirectory } from '../core/platforms.js';
import { exchangeData } from '../core/exchanges/details.js';
import { ICS_MIME, invitationIcs } from '../core/exchanges/ics.js';
import { pickLanguage, speaks } from '../../templates/i18n.js';

export const ICS_PREFIX = '/ics/';
const PATH = /^\/ics\/([A-Za-z0-9_-]{43})\.ics$/;

export function icsPage(db: PrismaClient, platforms: PlatformDirectory, log: Logger): RequestListener {
  const notFound = (res: ServerResponse) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not Found');
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const token = PATH.exec(url.pathname)?.[1];
    if (!token) return notFound(res);
    void (async () => {
      const row = await db.exchange.findUnique({ where: { icsToken: token }, select: { id: true, status: true, platformId: true } });
      if (!row || row.status === 'polling') return notFound(res);
      const d = await exchangeData(db, row.id);
      const asked = url.searchParams.get('lang');
      const language = speaks(asked) ? asked : pickLanguage(platforms.get(row.platformId)?.languages[0]);
      const body = invitationIcs(d, language, Object.fromEntries(platforms.all.map((p) => [p.id, p.name])));
      res.writeHead(200, {
        'content-type': `${ICS_MIME}; charset=utf-8`,
        'content-disposition': `attachment; filename="exchange-${row.id}.ics"`,
        'cache-control': 'private, no-cache',
        'x-content-type-options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    })().catch((err) => {
      log.error({ err }, 'ics page failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    });
  };
}
