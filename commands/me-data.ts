/**
 * `me export` and `me forget`: a member's rights over their data (GDPR access and erasure).
 *
 * - `me export`: everything held about the member as one JSON file (src/core/data-rights/export.ts),
 *   sent to their direct conversation with the bot through the outbox: in Slack the file itself,
 *   uploaded into their DM; in Teams (bots cannot attach files in channels) a one-time download link,
 *   valid 24 hours, in their 1:1 chat.
 * - `me forget`: a confirmation only the member can answer (its buttons carry a token bound to them),
 *   then the erasure (src/core/data-rights/forget.ts), keeping or deleting their observations.
 */
import { randomBytes } from 'node:crypto';
import { memberDataFile, exportFileName } from '../src/core/data-rights/export.js';
import { issueExportLink, myDataPath } from '../src/core/data-rights/export-link.js';
import { askToForget, cancelForget, forgetMember } from '../src/core/data-rights/forget.js';
import { directTo } from '../src/core/direct.js';
import { enqueue } from '../src/core/outbox.js';
import { Refusal } from '../src/core/refusal.js';
import {
  EXPORT_LINK_ACTION,
  exportFileMessage,
  exportLinkMessage,
  FORGET_ACTION,
  FORGET_CANCEL_ACTION,
  forgetConfirmation,
  forgottenNotice,
} from '../templates/data-rights-views.js';
import { notice } from '../templates/notices.js';
import { message, type ActionHandler, type Context, type Reply } from './types.js';

/** The outbox keys of export messages: `data-export:<time>:<random>`. */
const EXPORT_KEY = 'data-export:';

const nowOf = (ctx: Context) => ctx.scheduler?.now() ?? new Date();

/** `me export`. */
export async function sendExport(ctx: Context): Promise<Reply[]> {
  const now = nowOf(ctx);
  const to = directTo(ctx.member);
  const messageKey = `${EXPORT_KEY}${now.getTime()}:${randomBytes(4).toString('hex')}`;
  if (to.channel === 'slack') {
    const content = await memberDataFile(ctx.db, ctx.member.id, now);
    const view = exportFileMessage(ctx.t, { name: exportFileName(now), content }, now);
    await ctx.db.$transaction(async (tx) => {
      // An earlier export's file, already delivered, is not kept beside the new one.
      await tx.outboxMessage.deleteMany({ where: { ...to, messageKey: { startsWith: EXPORT_KEY }, status: { not: 'pending' } } });
      await enqueue(tx, { ...to, messageKey, view, locale: ctx.language });
    });
    return [message(notice(`📨 ${ctx.t('dataRights.exportSent')}`))];
  }
  if (!ctx.links?.base) throw new Refusal('dataRights.exportNoLink');
  const { token, expiresAt } = await issueExportLink(ctx.db, ctx.member.id, now);
  const url = `${ctx.links.base.replace(/\/+$/, '')}${myDataPath(token)}`;
  const until = `${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  await enqueue(ctx.db, { ...to, messageKey, view: exportLinkMessage(ctx.t, url, until), locale: ctx.language });
  return [message(notice(`📨 ${ctx.t('dataRights.exportSentLink')}`))];
}

/** `me forget`: the confirmation step. */
export async function askForget(ctx: Context): Promise<Reply[]> {
  const token = await askToForget(ctx.db, ctx.member.id, nowOf(ctx));
  return [message(forgetConfirmation(ctx.t, token))];
}

const CHOICE = /^([A-Za-z0-9_-]{16,64}):(keep|delete)$/;

export const dataRightsActions: Record<string, ActionHandler> = {
  [FORGET_ACTION]: {
    needsPlatform: false,
    async click(ctx, value) {
      const chosen = CHOICE.exec(value);
      if (!chosen) throw new Refusal('errors.expired');
      const done = await forgetMember(ctx.db, {
        memberId: ctx.member.id,
        token: chosen[1]!,
        deleteObservations: chosen[2] === 'delete',
        platforms: ctx.platforms,
        links: ctx.links,
        now: nowOf(ctx),
      });
      return [message(forgottenNotice(ctx.t, done, done.former))];
    },
  },
  [FORGET_CANCEL_ACTION]: {
    needsPlatform: false,
    async click(ctx, token) {
      await cancelForget(ctx.db, token, ctx.member.id, nowOf(ctx));
      return [message(notice(ctx.t('dataRights.forgetCancelled')))];
    },
  },
  // The download link opens in the browser; Slack reports the click too: nothing to do.
  [EXPORT_LINK_ACTION]: { needsPlatform: false, click: async () => [] },
};
