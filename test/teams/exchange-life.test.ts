/**
 * A whole cross-border exchange through the real adapters — signed Slack requests against the fake
 * Slack, Teams activities through botbuilder's CloudAdapter against the fake Bot Connector — with the
 * scheduler's clock moved forward: FR (Slack, Europe/Paris) proposes, UK (Slack, Europe/London) and SE
 * (Teams, Europe/Stockholm) answer, the organiser confirms, the .ics invitation is fetched over HTTP
 * and attached in Slack, the reminders come 24 hours and 1 hour before (once each), and the minutes'
 * takeaways become observations of the three platforms.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { remind } from '../../src/core/exchanges/reminders.js';
import { cardText } from '../support/adaptive-cards.js';
import { cardsOf } from '../support/fake-connector.js';
import { createCase, textOf, type Harness } from '../support/harness.js';
import { blockAction, checkboxesValue, numberValue, radioValue, textValue } from '../support/slack-requests.js';
import { useTeams, type TeamsTest } from '../support/teams-harness.js';
import { cardAction, channelMessage, TEAMS_DEFAULTS } from '../support/teams-activities.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const FR = 'C01FRANCE';
const UK = 'C01UNITEDK';
const SE_SLACK = 'C01SWEDEN';
const SE_TEAMS = TEAMS_DEFAULTS.channelId;
const EVA = { id: '29:1eva-ek-teams-id', name: 'Eva Ek', aadObjectId: 'e4a00000-0000-4000-8000-000000000005' };

/** Three candidate slots typed in Paris: 10:00, 14:00 and 09:30 on the three days after tomorrow-but-one. */
function candidates() {
  const day = DateTime.now().setZone('Europe/Paris').startOf('day').plus({ days: 3 });
  return [day.set({ hour: 10 }), day.plus({ days: 1 }).set({ hour: 14 }), day.plus({ days: 2 }).set({ hour: 9, minute: 30 })];
}

/** A button of a card the bot sent to Teams: the Action.Execute with this verb and value, or an Action.OpenUrl. */
function teamsAction(card: unknown, match: (a: Record<string, any>) => boolean): Record<string, any> | undefined {
  let found: Record<string, any> | undefined;
  const walk = (v: unknown) => {
    if (found || !v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(walk);
    const o = v as Record<string, any>;
    if (typeof o.type === 'string' && o.type.startsWith('Action.') && match(o)) found = o;
    else Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

/** The url of the Slack link button in a message's blocks. */
const slackLink = (blocks: unknown) => (JSON.stringify(blocks).match(/"url":"([^"]+\.ics[^"]*)"/) ?? [])[1];

/** A Slack member clicks a button in `channel`; resolves with the ephemeral answer's text. */
async function click(h: Harness, action: string, value: string, who: { userId: string; userName: string; channelId: string }): Promise<string> {
  const id = `${who.userId}-${action}-${value}-${Math.random()}`;
  const res = await h.send(blockAction({ actionId: action, value, responseUrl: h.fake.responseUrl(id), ...who }));
  expect(res.status).toBe(200);
  return textOf((await h.fake.waitFor('response_url', (c) => c.responseId === id)).body.blocks);
}

const posted = (h: Harness, channel: string, words: string) =>
  h.fake.waitFor('chat.postMessage', (c) => c.body.channel === channel && textOf(c.body.blocks).includes(words));

describe('a cross-border exchange in Slack and Teams', () => {
  const teams = useTeams();

  it('goes from the time poll to the minutes: answers in two zones, confirmation with .ics, reminders once, takeaways as observations', async () => {
    const t: TeamsTest = teams.current();
    const { h, connector } = t;
    const db = h.app.db;

    // Eva speaks in the SE Teams channel first: Passerelle keeps the conversation to post there later.
    await t.post(channelMessage({ ...t.where(), text: 'exchange list', from: EVA }));
    await connector.waitForSent((a) => cardText(cardsOf(a)).includes('takes part in no exchange yet'));

    // FR has a case and an observation to put on the agenda.
    await createCase(h, 'ACME-2026');
    await h.slash('observe The works council negotiated a training plan #workers case:ACME-2026');
    const observation = await db.observation.findFirstOrThrow();

    // Alice (FR, Slack) opens the form: the slots are read in her platform's zone.
    await h.slash('exchange propose', { triggerId: 'trig-propose' });
    const modal = await h.fake.waitFor('views.open', (c) => c.body.trigger_id === 'trig-propose');
    expect(JSON.stringify(modal.body.view)).toContain('Europe/Paris');

    const slots = candidates();
    const submitted = await h.submit('exchange.form', { conv: FR }, {
      topic: { topic: textValue('Early warning across borders') },
      platforms: { platforms: checkboxesValue(['FR', 'UK', 'SE']) },
      slots: { slots: textValue(slots.map((s) => s.toFormat('yyyy-MM-dd HH:mm')).join('\n')) },
      duration: { duration: numberValue('90') },
      place: { place: textValue('https://meet.example.org/passerelle-x1') },
      languages: { languages: checkboxesValue(['en', 'fr']) },
      cases: { cases: textValue('ACME-2026') },
      observations: { observations: textValue(String(observation.id)) },
    });
    expect(submitted.body).toEqual({ response_action: 'clear' });
    const exchange = await db.exchange.findFirstOrThrow({ include: { slots: { orderBy: { number: 'asc' } }, platforms: true, items: true } });
    expect(exchange.slots.map((s) => s.startsAt.toISOString())).toEqual(slots.map((s) => s.toUTC().toISO()));
    expect(exchange.platforms.map((p) => p.platformId).sort()).toEqual(['FR', 'SE', 'UK']);
    expect(exchange.items).toHaveLength(2);
    expect(exchange.icsToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The poll card in every taking-part channel, in its zone and language.
    const frCard = await posted(h, FR, 'Échange n° 1 — Early warning across borders');
    const frText = textOf(frCard.body.blocks);
    expect(frText).toContain(`${slots[0]!.setLocale('fr').toFormat('ccc d LLL yyyy')}, 10:00–11:30 (Europe/Paris)`);
    expect(frText).toMatch(/chez vous : <!date\^\d+\^\{date_short_pretty\} \{time\}\|/);
    expect(frText).toContain('Cas ACME-2026 — ACME Tyres');
    expect(frText).toContain(`Observation n° ${observation.id} (FR) : The works council negotiated a training plan`);
    const ukText = textOf((await posted(h, UK, 'Exchange #1 — Early warning across borders')).body.blocks);
    // London is an hour behind Paris: the 10:00 slot is 09:00 there.
    expect(ukText).toContain(`${slots[0]!.setLocale('en').toFormat('ccc d LLL yyyy')}, 09:00–10:30 (Europe/London)`);
    expect(ukText).toContain('UK — no answers yet');
    await posted(h, SE_SLACK, 'Exchange #1');
    const seCard = await connector.waitForSent((a) => a.call.conversationId === SE_TEAMS && cardText(cardsOf(a)).includes('Exchange #1 — Early warning across borders'));
    expect(cardText(cardsOf(seCard))).toContain('10:00–11:30 (Europe/Stockholm)');
    expect(cardText(cardsOf(seCard))).toMatch(/\{\{DATE\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z, SHORT\)\}\}/);

    // Bob answers from the UK channel (London)…
    const bob = { userId: 'U2', userName: 'bob', channelId: UK };
    expect(await click(h, 'exchange.answer', '1:1:yes', bob)).toContain(`Exchange #1, slot 1 (${slots[0]!.setLocale('en').toFormat('ccc d LLL yyyy')}, 09:00–10:30 (Europe/London)): ✅ Yes`);
    await click(h, 'exchange.answer', '1:2:maybe', bob);
    await click(h, 'exchange.answer', '1:3:no', bob);
    // …and Eva from the SE Teams channel (Stockholm), changing her mind on slot 2.
    const answer = async (value: string) => {
      const button = teamsAction(cardsOf(seCard), (a) => a.verb === 'exchange.answer' && a.data?.value === value)!;
      const res = await t.post(cardAction({ ...t.where(), verb: button.verb, data: button.data, replyToId: seCard.id, from: EVA }));
      return cardText(res.body.value) || String(res.body.value);
    };
    expect(await answer('1:1:yes')).toContain('Exchange #1, slot 1');
    expect(await answer('1:2:no')).toContain('❌ No');
    expect(await answer('1:2:yes')).toContain('✅ Yes');
    const answers = await db.exchangeAnswer.findMany({ include: { slot: true } });
    expect(answers.map((a) => [a.platformId, a.slot.number, a.answer]).sort()).toEqual([
      ['SE', 1, 'yes'],
      ['SE', 2, 'yes'],
      ['UK', 1, 'yes'],
      ['UK', 2, 'maybe'],
      ['UK', 3, 'no'],
    ]);

    // The grid per platform, on every card (the FR one in place).
    const grid = await h.fake.waitFor('chat.update', (c) => c.body.channel === FR && textOf(c.body.blocks).includes('SE — ✅ 1 (Eva Ek)') && textOf(c.body.blocks).includes('UK — ✅ 0 · 🤔 1 (bob)'));
    const gridText = textOf(grid.body.blocks);
    expect(gridText).toContain('UK — ✅ 1 (bob) · 🤔 0 · ❌ 0');
    expect(gridText).toContain('FR — pas encore de réponse');
    expect(gridText).toContain('⭐');
    await connector.waitFor((c) => c.kind === 'update' && c.activityId === seCard.id && cardText(cardsOf(c.body)).includes('UK — ✅ 0 · 🤔 0 · ❌ 1 (bob)'));

    // Only the organiser confirms.
    expect((await h.slash('exchange confirm 1 1', { userId: 'U2', userName: 'bob', channelId: UK })).text).toContain('Only the organiser of exchange #1 can do that.');
    // Alice presses "Confirm a slot" and confirms slot 1 in the form (the most available one is proposed).
    await h.send(blockAction({ actionId: 'exchange.confirm-open', value: '1', responseUrl: h.fake.responseUrl('confirm-open'), triggerId: 'trig-confirm' }));
    const confirmModal = await h.fake.waitFor('views.open', (c) => c.body.trigger_id === 'trig-confirm');
    expect(JSON.stringify(confirmModal.body.view)).toContain('"initial_option"');
    expect((await h.submit('exchange.confirm-form', { conv: FR, id: 1 }, { slot: { slot: radioValue('1') } })).body).toEqual({ response_action: 'clear' });
    await h.fake.waitFor('chat.postEphemeral', (c) => textOf(c.body.blocks).includes('Échange n° 1 confirmé pour le'));
    expect(await db.exchange.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({ status: 'confirmed', startsAt: exchange.slots[0]!.startsAt });

    // Every channel gets the confirmation with the time in its zone and the calendar link; Slack gets the file.
    const frConfirmation = await posted(h, FR, '📅 Échange n° 1 confirmé');
    expect(textOf(frConfirmation.body.blocks)).toContain('10:00–11:30 (Europe/Paris)');
    const ukConfirmation = await posted(h, UK, '📅 Exchange #1 confirmed');
    expect(textOf(ukConfirmation.body.blocks)).toContain('09:00–10:30 (Europe/London)');
    const seConfirmation = await connector.waitForSent((a) => a.call.conversationId === SE_TEAMS && cardText(cardsOf(a)).includes('📅 Exchange #1 confirmed'));
    const openUrl = teamsAction(cardsOf(seConfirmation), (a) => a.type === 'Action.OpenUrl')!;
    expect(openUrl.url).toBe(`${h.app.url}/ics/${exchange.icsToken}.ics?lang=sv`);
    const link = slackLink(frConfirmation.body.blocks)!;
    expect(link).toBe(`${h.app.url}/ics/${exchange.icsToken}.ics?lang=fr`);

    // The invitation over HTTP: one event, DTSTART in UTC.
    const ics = await fetch(link);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const calendar = await ics.text();
    const utc = DateTime.fromJSDate(exchange.slots[0]!.startsAt).toUTC();
    expect(calendar).toContain(`DTSTART:${utc.toFormat("yyyyMMdd'T'HHmmss'Z'")}`);
    expect(calendar).toContain(`DTEND:${utc.plus({ minutes: 90 }).toFormat("yyyyMMdd'T'HHmmss'Z'")}`);
    expect(calendar).toContain('STATUS:CONFIRMED');
    expect(calendar.replace(/\r\n /g, '')).toContain('SUMMARY:Échange n° 1 — Early warning across borders');
    expect((await fetch(`${h.app.url}/ics/${'x'.repeat(43)}.ics`)).status).toBe(404);
    expect((await fetch(`${h.app.url}/ics/nothing.ics`)).status).toBe(404);

    // Slack: the .ics attached in each Slack channel (upload URL, bytes, completion with the channel).
    for (const channel of [FR, UK, SE_SLACK]) {
      const shared = await h.fake.waitFor('files.completeUploadExternal', (c) => c.body.channel_id === channel);
      const fileId = (shared.body.files as Array<{ id: string }>)[0]!.id;
      const bytes = await h.fake.waitFor('file_upload', (c) => c.body.file_id === fileId);
      expect(String(bytes.body.content)).toContain(`DTSTART:${utc.toFormat("yyyyMMdd'T'HHmmss'Z'")}`);
    }
    expect(h.fake.callsTo('files.completeUploadExternal')).toHaveLength(3);

    // The poll is closed: answers are refused, and the card shows the confirmed slot without answer buttons.
    expect(await click(h, 'exchange.answer', '1:3:yes', bob)).toContain('Exchange #1 is confirmed: its time poll is closed.');
    const closedCard = await h.fake.waitFor('chat.update', (c) => c.body.channel === UK && textOf(c.body.blocks).includes('Confirmed: slot 1,'));
    expect(JSON.stringify(closedCard.body.blocks)).not.toContain('exchange.answer');

    // Reminders: 24 hours before (in each channel's local time), once even if the job runs again; then 1 hour before.
    const start = exchange.slots[0]!.startsAt.getTime();
    const nowMs = () => h.app.scheduler.now().getTime();
    h.advanceClock(start - 24 * HOUR + MINUTE - nowMs());
    expect(await h.app.scheduler.runDue()).toBe(1);
    const frReminder = await posted(h, FR, 'commence dans 24 heures');
    expect(textOf(frReminder.body.blocks)).toContain('10:00–11:30 (Europe/Paris)');
    expect(textOf((await posted(h, UK, 'starts in 24 hours')).body.blocks)).toContain('09:00–10:30 (Europe/London)');
    await connector.waitForSent((a) => a.call.conversationId === SE_TEAMS && cardText(cardsOf(a)).includes('starts in 24 hours'));
    expect(await h.app.scheduler.runDue()).toBe(0);
    await remind({ db, platforms: h.app.platforms, links: {} }, 1, '24h', h.app.scheduler.now());
    h.advanceClock(23 * HOUR);
    expect(await h.app.scheduler.runDue()).toBe(1);
    await posted(h, FR, 'commence dans 1 heure');
    await posted(h, UK, 'starts in 1 hour');
    await connector.waitForSent((a) => a.call.conversationId === SE_TEAMS && cardText(cardsOf(a)).includes('starts in 1 hour'));
    await expect.poll(() => db.outboxMessage.count({ where: { messageKey: { startsWith: 'exchange:1:reminder:' }, status: { not: 'sent' } } })).toBe(0);
    const reminders = (channel: string, words: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === channel && textOf(c.body.blocks).includes(words));
    expect(reminders(FR, 'commence dans 24 heures')).toHaveLength(1);
    expect(reminders(UK, 'starts in 24 hours')).toHaveLength(1);
    expect(reminders(UK, 'starts in 1 hour')).toHaveLength(1);
    expect(connector.sent().filter((a) => cardText(cardsOf(a)).includes('starts in 24 hours'))).toHaveLength(1);
    expect(await db.outboxMessage.count({ where: { messageKey: 'exchange:1:reminder:24h' } })).toBe(4);

    // Minutes only once the exchange has ended.
    expect((await h.slash('exchange minutes 1')).text).toContain('se termine le');
    h.advanceClock(HOUR + 91 * MINUTE);
    await h.slash('exchange minutes 1', { triggerId: 'trig-minutes' });
    await h.fake.waitFor('views.open', (c) => c.body.trigger_id === 'trig-minutes');
    const recorded = await h.submit('exchange.minutes-form', { conv: FR, id: 1 }, {
      minutes: { minutes: textValue('The three platforms compared how works councils are warned early.') },
      takeaways: { takeaways: textValue('Early warning works best with the region at the table #territory #anticipation\nTraining plans negotiated before the announcement #workers case:ACME-2026\nShared expert pools across borders') },
      dimensions: { dimensions: checkboxesValue(['company']) },
    });
    expect(recorded.body).toEqual({ response_action: 'clear' });

    // Each takeaway is an observation of FR, UK and SE, linked to the exchange.
    const links = await db.exchangeTakeaway.findMany({ orderBy: [{ number: 'asc' }, { platformId: 'asc' }] });
    expect(links.map((l) => [l.number, l.platformId])).toEqual([
      [1, 'FR'], [1, 'SE'], [1, 'UK'],
      [2, 'FR'], [2, 'SE'], [2, 'UK'],
      [3, 'FR'], [3, 'SE'], [3, 'UK'],
    ]);
    const filed = await db.observation.findMany({ where: { id: { in: links.map((l) => l.observationId) } }, include: { dimensions: true, case: true } });
    const byText = (words: string) => filed.filter((o) => o.text.startsWith(words));
    expect(byText('Early warning works best').map((o) => [o.platformId, o.stage, o.dimensions.map((d) => d.dimension)]).sort()).toEqual([
      ['FR', 'anticipation', ['territory']],
      ['SE', 'anticipation', ['territory']],
      ['UK', 'anticipation', ['territory']],
    ]);
    expect(byText('Training plans').every((o) => o.case?.ref === 'ACME-2026')).toBe(true);
    expect(byText('Shared expert pools').flatMap((o) => o.dimensions.map((d) => d.dimension))).toEqual(['company', 'company', 'company']);

    // The minutes in every channel, with that platform's observation numbers.
    const ukMinutes = textOf((await posted(h, UK, '📝 Minutes of exchange #1')).body.blocks);
    const ukFirst = links.find((l) => l.number === 1 && l.platformId === 'UK')!.observationId;
    expect(ukMinutes).toContain(`1. Early warning works best with the region at the table — observation #${ukFirst}`);
    await connector.waitForSent((a) => a.call.conversationId === SE_TEAMS && cardText(cardsOf(a)).includes('📝 Minutes of exchange #1'));
    expect((await h.slash('exchange minutes 1', { userId: 'U2', userName: 'bob', channelId: UK })).text).toContain('The minutes of exchange #1 were already recorded by alice.');
  });
});

