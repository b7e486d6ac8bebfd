/**
 * The largest exchange card — ten slots, three platforms, forty members answering each, a full agenda —
 * and the other exchange messages and forms, rendered for Slack (within Block Kit's limits) and for
 * Teams (parsed without a problem by Microsoft's adaptivecards library, within the size budget).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { renderMessage, renderModal } from '../../src/channels/slack/render.js';
import { cardBytes, renderCard, renderFormCard, TEAMS_LIMITS } from '../../src/channels/teams/render.js';
import type { ExchangeData } from '../../src/core/exchanges/details.js';
import { ANSWERS } from '../../src/core/exchanges/exchanges.js';
import { invitationIcs } from '../../src/core/exchanges/ics.js';
import { confirmForm, exchangeForm, minutesForm } from '../../templates/exchange-forms.js';
import { bestSlots, cancellationView, confirmationView, exchangeCard, minutesView, reminderView, type Reader } from '../../templates/exchange-views.js';
import { translator } from '../../templates/i18n.js';
import type { FormView, MessageView } from '../../templates/view.js';
import { collectBlockKitViolations } from '../support/block-kit-limits.js';

const require = createRequire(import.meta.url);
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

function teamsProblems(json: object): string[] {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of card.validateProperties().validationEvents) problems.push(`validation: ${e.message}`);
  return problems;
}

const PLATFORMS = ['FR', 'SE', 'UK'];
const names = { FR: 'Plateforme France', SE: 'Plattform Sverige', UK: 'United Kingdom platform' };
const start = new Date('2027-03-22T09:00:00Z');

function largest(status: ExchangeData['status'] = 'polling'): ExchangeData {
  const slots = Array.from({ length: 10 }, (_, i) => ({
    number: i + 1,
    startsAt: new Date(start.getTime() + i * 86_400_000),
    answers: Array.from({ length: 40 }, (_, m) => ({ name: `Member with a rather long name ${m}`, platformId: PLATFORMS[m % 3]!, answer: ANSWERS[(m + i) % 3]! })),
  }));
  return {
    id: 12,
    topic: 'T'.repeat(200),
    status,
    organiser: 'Alice Martin',
    organiserId: 1,
    platformId: 'FR',
    platformIds: PLATFORMS,
    durationMinutes: 90,
    place: 'https://meet.example.org/passerelle-x1',
    languages: ['en', 'fr', 'sv'],
    slots,
    confirmed: status === 'polling' ? undefined : slots[6],
    items: [
      ...Array.from({ length: 20 }, (_, i) => ({ kind: 'case' as const, ref: `ACME-${2000 + i}`, company: 'ACME Tyres', country: 'FR', type: 'closure' })),
      ...Array.from({ length: 20 }, (_, i) => ({ kind: 'observation' as const, id: i + 1, platformId: 'FR', text: 'word '.repeat(200) })),
      ...Array.from({ length: 20 }, (_, i) => ({ kind: 'clause' as const, ref: `FR-2.${i + 1}`, title: 'A title', status: 'draft' })),
    ],
    icsToken: 'x'.repeat(43),
    minutes: { text: 'm'.repeat(4000), by: 'Bob', at: start, takeaways: Array.from({ length: 20 }, (_, i) => ({ number: i + 1, text: 'k'.repeat(500), observations: { FR: i * 3 + 1, SE: i * 3 + 2, UK: i * 3 + 3 } })) },
  };
}

const reader = (language: string, zone: string): Reader => ({ platformId: 'UK', zone, language, names, ics: 'https://passerelle.example.org/ics/abc.ics?lang=en' });

function both(view: MessageView) {
  const slack = renderMessage(view);
  expect(collectBlockKitViolations(slack.blocks, 'message')).toEqual([]);
  const card = renderCard(view);
  expect(teamsProblems(card)).toEqual([]);
  expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
  // Nothing left out for lack of room.
  expect(JSON.stringify(card)).not.toContain('… (+');
  expect(JSON.stringify(slack.blocks)).not.toContain('… (+');
  return { slack, card };
}

function forms(form: FormView) {
  expect(collectBlockKitViolations(renderModal(form), 'modal')).toEqual([]);
  expect(teamsProblems(renderFormCard(form))).toEqual([]);
}

describe('exchange views in Slack and Teams', () => {
  for (const language of ['en', 'fr']) {
    const t = translator(language);
    it(`the largest poll card, open, confirmed and cancelled, fits both (${language})`, () => {
      const open = both(exchangeCard(t, largest(), reader(language, 'Europe/London')));
      // Ten slots, three answer buttons each, and the confirmation button.
      expect(JSON.stringify(open.slack.blocks).match(/"exchange\.answer(#\d)?"/g)).toHaveLength(30);
      expect(JSON.stringify(open.card)).toContain('"verb":"exchange.confirm-open"');
      expect(JSON.stringify(open.card)).toContain('"value":"12:10:no"');
      // Forty members on ten slots: the counts alone; a few: their names.
      expect(JSON.stringify(open.card)).not.toContain('Member with a rather long name');
      const few = largest();
      for (const s of few.slots) s.answers = s.answers.slice(0, 6);
      expect(JSON.stringify(both(exchangeCard(t, few, reader(language, 'Europe/London'))).card)).toContain('(Member with a rather long nam…');
      const confirmed = both(exchangeCard(t, largest('confirmed'), reader(language, 'Europe/London')));
      expect(JSON.stringify(confirmed.card)).toContain('"type":"Action.OpenUrl"');
      expect(JSON.stringify(confirmed.slack.blocks)).toContain('"url":"https://passerelle.example.org/ics/abc.ics?lang=en"');
      expect(JSON.stringify(confirmed.slack.blocks)).not.toContain('exchange.answer');
      both(exchangeCard(t, largest('cancelled'), reader(language, 'Europe/London')));
    });

    it(`the confirmation, reminders, cancellation and minutes fit both (${language})`, () => {
      const d = largest('confirmed');
      both(confirmationView(t, d, reader(language, 'Europe/Stockholm')));
      both(reminderView(t, d, '24h', reader(language, 'Europe/Stockholm')));
      both(reminderView(t, d, '1h', reader(language, 'Europe/Stockholm')));
      both(cancellationView(t, d, reader(language, 'Europe/Stockholm')));
      both(minutesView(t, d, reader(language, 'Europe/Stockholm')));
    });

    it(`the forms are valid modals and form cards (${language})`, () => {
      const d = largest();
      forms(exchangeForm(t, { state: '{"conv":"C1"}', zone: 'Europe/Paris', language, platforms: Object.entries(names).map(([id, name]) => ({ id, name })), platformId: 'FR', languages: ['de', 'en', 'fr', 'nl', 'sv'], example: '2027-03-22 10:00' }));
      forms(confirmForm(t, { state: '{"conv":"C1","id":12}', id: 12, topic: d.topic, slots: d.slots, durationMinutes: 90, zone: 'Europe/Paris', language, best: bestSlots(d)[0] }));
      forms(minutesForm(t, { state: '{"conv":"C1","id":12}', id: 12, topic: d.topic, platforms: 'FR, SE, UK' }));
    });
  }

  it('prefers the slots with the most yes (two) and if-needed (one) answers', () => {
    const d = largest();
    const scores = d.slots.map((s) => s.answers.reduce((n, a) => n + (a.answer === 'yes' ? 2 : a.answer === 'maybe' ? 1 : 0), 0));
    expect(bestSlots(d)).toEqual(d.slots.filter((_, i) => scores[i] === Math.max(...scores)).map((s) => s.number));
    expect(bestSlots({ slots: d.slots.map((s) => ({ ...s, answers: [] })) })).toEqual([]);
  });

  it('writes the invitation in UTC, cancelled with a higher sequence', () => {
    const confirmed = invitationIcs(largest('confirmed'), 'en', names);
    expect(confirmed).toContain('DTSTART:20270328T090000Z');
    expect(confirmed).toContain('DTEND:20270328T103000Z');
    expect(confirmed).toContain('UID:exchange-12@passerelle');
    expect(confirmed).toMatch(/SEQUENCE:0\r\n/);
    const cancelled = invitationIcs(largest('cancelled'), 'en', names);
    expect(cancelled).toContain('STATUS:CANCELLED');
    expect(cancelled).toMatch(/SEQUENCE:1\r\n/);
  });
});
