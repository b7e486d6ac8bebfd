/**
 * An exchange's messages in every channel of every taking-part platform, through the outbox, each in
 * the channel's language and time zone. Keys:
 * - `exchange:<id>:poll` — the card: the time poll, updated in place at every answer, then the
 *   confirmed (or cancelled) exchange;
 * - `exchange:<id>:confirmed` — the confirmation, and in Slack `exchange:<id>:ics`, the invitation file;
 * - `exchange:<id>:reminder:24h` and `:1h`; `exchange:<id>:cancelled`; `exchange:<id>:minutes`.
 */
import { translator } from '../../../templates/i18n.js';
import { cancellationView, confirmationView, exchangeCard, invitationFile, minutesView, reminderView, type Reader, type ReminderKind } from '../../../templates/exchange-views.js';
import type { MessageView } from '../../../templates/view.js';
import type { TFunction } from '../../../templates/i18n.js';
import type { Db } from '../groups.js';
import { enqueue, isKnown } from '../outbox.js';
import type { ChatChannel, Platform, PlatformDirectory } from '../platforms.js';
import { exchangeData, type ExchangeData } from './details.js';
import { invitationIcs } from './ics.js';

/** Passerelle's public address, for links to its own pages (the .ics invitations); absent, no link is shown. */
export interface Links {
  base?: string;
}

export const icsPath = (token: string) => `/ics/${token}.ics`;
export const icsLink = (links: Links, token: string, language: string) =>
  links.base ? `${links.base.replace(/\/+$/, '')}${icsPath(token)}?lang=${encodeURIComponent(language)}` : undefined;

export const exchangeKey = (id: number, what: string) => `exchange:${id}:${what}`;

interface Place {
  platform: Platform;
  channel: ChatChannel;
  conversationId: string;
  language: string;
  t: TFunction;
  reader: Reader;
}

/** Every conversation of every taking-part platform, with how it reads. */
function placesOf(platforms: PlatformDirectory, d: ExchangeData, links: Links): Place[] {
  const names = Object.fromEntries(platforms.all.map((p) => [p.id, p.name]));
  const out: Place[] = [];
  for (const id of d.platformIds) {
    const platform = platforms.get(id);
    if (!platform) continue;
    const language = platform.languages[0]!;
    const reader: Reader = { platformId: id, zone: platform.timezone, language, names, ics: icsLink(links, d.icsToken, language) };
    for (const channel of ['slack', 'teams'] as const) {
      for (const conversationId of platforms.conversationsOf(platform, channel)) {
        out.push({ platform, channel, conversationId, language, t: translator(language, channel), reader });
      }
    }
  }
  return out;
}

async function each(tx: Db, platforms: PlatformDirectory, id: number, links: Links, what: string, view: (p: Place, d: ExchangeData) => MessageView | undefined, once = false) {
  const d = await exchangeData(tx, id);
  for (const p of placesOf(platforms, d, links)) {
    const message = view(p, d);
    if (!message) continue;
    const target = { channel: p.channel, conversationId: p.conversationId, messageKey: exchangeKey(id, what) };
    if (once && (await isKnown(tx, target))) continue;
    await enqueue(tx, { ...target, view: message, locale: p.language });
  }
}

/** Posts or updates the exchange's card in every taking-part channel. */
export const queueCards = (tx: Db, platforms: PlatformDirectory, id: number, links: Links) =>
  each(tx, platforms, id, links, 'poll', (p, d) => exchangeCard(p.t, d, p.reader));

/** The confirmation in every taking-part channel, and the invitation file where the channel shares files (Slack). */
export async function queueConfirmation(tx: Db, platforms: PlatformDirectory, id: number, links: Links): Promise<void> {
  await each(tx, platforms, id, links, 'confirmed', (p, d) => confirmationView(p.t, d, p.reader));
  await each(tx, platforms, id, links, 'ics', (p, d) => (p.channel === 'slack' ? invitationFile(p.t, d, invitationIcs(d, p.language, p.reader.names)) : undefined), true);
}

export const queueCancellation = (tx: Db, platforms: PlatformDirectory, id: number) =>
  each(tx, platforms, id, {}, 'cancelled', (p, d) => cancellationView(p.t, d, p.reader));

/** A reminder in every taking-part channel, once: a channel that already has it is left alone. */
export const queueReminder = (tx: Db, platforms: PlatformDirectory, id: number, links: Links, kind: ReminderKind) =>
  each(tx, platforms, id, links, `reminder:${kind}`, (p, d) => reminderView(p.t, d, kind, p.reader), true);

export const queueMinutes = (tx: Db, platforms: PlatformDirectory, id: number) =>
  each(tx, platforms, id, {}, 'minutes', (p, d) => minutesView(p.t, d, p.reader), true);
