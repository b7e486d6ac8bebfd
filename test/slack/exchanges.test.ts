/**
 * Exchanges in Slack, around the whole life tested in test/teams/exchange-life.test.ts: bad input on
 * every field of the forms and in the commands, answers and confirmations that are not allowed, a
 * cancellation (the channels told, the invitation cancelled, no reminder), an exchange confirmed less
 * than 24 hours ahead (only the 1-hour reminder), and reminders registered again after a restart.
 */
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from '../support/harness.js';
import { blockAction, checkboxesValue, numberValue, textValue, type StateValues } from '../support/slack-requests.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const FR = { conv: 'C01FRANCE' };
const UK = 'C01UNITEDK';
const paris = () => DateTime.now().setZone('Europe/Paris');
const typed = (d: DateTime) => d.toFormat('yyyy-MM-dd HH:mm');
/** Three slots at 10:00 Paris time, `days` days ahead and the two days after. */
const slotsIn = (days: number) => [0, 1, 2].map((d) => typed(paris().startOf('day').plus({ days: days + d }).set({ hour: 10 }))).join('\n');

function values(o: { platforms?: string[]; slots?: string; duration?: string; cases?: string; observations?: string; clauses?: string } = {}): StateValues {
  return {
    topic: { topic: textValue('Skills pools') },
    platforms: { platforms: checkboxesValue(o.platforms ?? ['FR', 'UK']) },
    slots: { slots: textValue(o.slots ?? slotsIn(3)) },
    duration: { duration: numberValue(o.duration ?? '60') },
    place: { place: textValue('Brussels, Rue de la Loi 200') },
    languages: { languages: checkboxesValue(['en']) },
    ...(o.cases ? { cases: { cases: textValue(o.cases) } } : {}),
    ...(o.observations ? { observations: { observations: textValue(o.observations) } } : {}),
    ...(o.clauses ? { clauses: { clauses: textValue(o.clauses) } } : {}),
  };
}

describe('exchanges in Slack: what is refused, cancellations and reminders', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  const propose = async (o: Parameters<typeof values>[0] = {}) => (await h.submit('exchange.form', FR, values(o))).body;
  /** A click by `who` (U1, alice, in the FR channel by default); resolves with the ephemeral answer's text. */
  async function click(action: string, value: string, who: { userId?: string; userName?: string; channelId?: string } = {}): Promise<string> {
    const id = `${action}-${value}-${Math.random()}`;
    await h.send(blockAction({ actionId: action, value, responseUrl: h.fake.responseUrl(id), ...who }));
    return textOf((await h.fake.waitFor('response_url', (c) => c.responseId === id)).body.blocks);
  }
  /** Moves the scheduler's clock to `at` (ms). */
  const setClock = (at: number) => h.advanceClock(at - h.app.scheduler.now().getTime());
  const posts = (channel: string, words: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === channel && textOf(c.body.blocks).includes(words));

  it('answers bad input on the field, each bad slot line by its number', async () => {
    const lines = ['2020-01-01 10:00', 'next tuesday', typed(paris().plus({ days: 3 }).startOf('hour')), '2027-03-28 02:30'].join('\n');
    const bad = await propose({ platforms: ['FR'], slots: lines, duration: '0' });
    expect(bad).toMatchObject({ response_action: 'errors' });
    expect(bad!.errors.platforms).toBe('Choisissez au moins deux plateformes.');
    expect(bad!.errors.slots).toBe(
      [
        'Ligne 1 : 2020-01-01 10:00 est déjà passé.',
        "Ligne 2 : « next tuesday » n'est pas une date et une heure écrites AAAA-MM-JJ HH:MM.",
        "Ligne 4 : 2027-03-28 02:30 n'existe pas dans le fuseau Europe/Paris (on avance l'heure cette nuit-là).",
      ].join('\n'),
    );
    expect(bad!.errors.duration).toBe('Indiquez la durée en minutes, un nombre entier de 1 à 1440.');

    expect((await propose({ slots: slotsIn(3).split('\n').slice(0, 2).join('\n') }))!.errors.slots).toBe('Indiquez de 3 à 10 créneaux, un par ligne (il y en a 2).');
    const eleven = Array.from({ length: 11 }, (_, i) => typed(paris().startOf('day').plus({ days: 3 + i }).set({ hour: 9 }))).join('\n');
    expect((await propose({ slots: eleven }))!.errors.slots).toBe('Indiquez de 3 à 10 créneaux, un par ligne (il y en a 11).');
    expect((await propose({ duration: 'ninety' }))!.errors.duration).toBe('Indiquez la durée en minutes, un nombre entier de 1 à 1440.');
    expect((await propose({ duration: '2000' }))!.errors.duration).toBe('Indiquez la durée en minutes, un nombre entier de 1 à 1440.');
    expect((await propose({ platforms: ['FR', 'XX'] }))!.errors.platforms).toBe('Plateforme inconnue : XX.');
    expect((await propose({ cases: 'NOPE-1' }))!.errors.cases).toBe('Cas introuvable : NOPE-1.');
    expect((await propose({ clauses: 'FR-2.9' }))!.errors.clauses).toBe("Il n'y a pas de clause FR-2.9.");
    expect((await propose({ observations: 'twelve' }))!.errors.observations).toBe("Donnez des numéros d'observation séparés par des espaces, p. ex. 12 14.");
    expect((await propose({ observations: '999' }))!.errors.observations).toBe('Observation introuvable : #999.');

    // A secretariat-only observation, or one of a platform that does not take part, stays off the agenda.
    await h.slash('observe Confidential severance figures #company #secretariat');
    await h.slash('observe A German practice #workers', { channelId: 'C01GERMANY' });
    const [secret, german] = await h.app.db.observation.findMany({ orderBy: { id: 'asc' } });
    expect((await propose({ observations: `${secret!.id}` }))!.errors.observations).toContain(`#${secret!.id} ne peut pas figurer à cet ordre du jour`);
    expect((await propose({ observations: `${german!.id}` }))!.errors.observations).toContain(`#${german!.id} ne peut pas figurer`);
    expect((await propose({ platforms: ['FR', 'DE'], observations: `${german!.id}` }))).toEqual({ response_action: 'clear' });
    expect(await h.app.db.exchange.count()).toBe(1);

    // Commands: usage, unknown exchange, a slot that is not a number.
    expect((await h.slash('exchange')).text).toContain('exchange propose');
    expect((await h.slash('exchange frobnicate 1')).text).toContain('exchange propose');
    expect((await h.slash('exchange 42')).text).toContain("Il n'y a pas d'échange n° 42.");
    expect((await h.slash('exchange confirm 1 first')).text).toContain('Un créneau se désigne par son numéro');
  });

  it('refuses answers from a platform that does not take part, confirmations by others or of unknown or past slots, minutes before confirmation', async () => {
    expect(await propose()).toEqual({ response_action: 'clear' });
    expect(await click('exchange.answer', '1:1:yes', { userId: 'U7', channelId: 'C01INTL' })).toContain('International platform does not take part in exchange #1');
    expect(await click('exchange.answer', '1:1:yes', { userId: 'U2', userName: 'bob', channelId: UK })).toContain('Exchange #1, slot 1');
    expect(await h.app.db.exchangeAnswer.count()).toBe(1);

    expect((await h.slash('exchange confirm 1 1', { userId: 'U2', channelId: UK })).text).toContain('Only the organiser of exchange #1 can do that.');
    expect(await click('exchange.confirm-open', '1', { userId: 'U2', channelId: UK })).toContain('Only the organiser of exchange #1 can do that.');
    expect((await h.slash('exchange confirm 1 7')).text).toContain("L'échange n° 1 n'a pas de créneau 7 ; ses créneaux sont numérotés de 1 à 3.");
    expect((await h.slash('exchange minutes 1')).text).toContain("L'échange n° 1 n'a pas encore de créneau confirmé");
    // Once the first slot has begun it can no longer be chosen.
    const [first] = await h.app.db.exchangeSlot.findMany({ orderBy: { number: 'asc' } });
    setClock(first!.startsAt.getTime() + MINUTE);
    expect((await h.slash('exchange confirm 1 1')).text).toContain('Le créneau 1 a déjà commencé');
    expect((await h.slash('exchange confirm 1 3')).text).toContain('Échange n° 1 confirmé pour le');
    expect((await h.slash('exchange confirm 1 2')).text).toContain("L'échange n° 1 est confirmé : son sondage de dates est clos.");
    expect(await click('exchange.answer', '1:2:no', { userId: 'U2', userName: 'bob', channelId: UK })).toContain('Exchange #1 is confirmed: its time poll is closed.');
    const list = (await h.slash('exchange list', { channelId: UK })).text;
    expect(list).toContain('Exchanges of United Kingdom platform');
    expect(list).toMatch(/\*#1\* Skills pools — \w{3} \d+ \w{3} \d{4}, 09:00–10:00 \(Europe\/London\)/);
  });

  it('answers bad minutes on the field (takeaways by number, an unknown case), from taking-part platforms only, and records them once', async () => {
    expect(await propose()).toEqual({ response_action: 'clear' });
    expect((await h.slash('exchange confirm 1 1')).text).toContain('confirmé');
    const x = await h.app.db.exchange.findFirstOrThrow();
    setClock(x.startsAt!.getTime() + 61 * MINUTE);
    const minutes = (text: string, takeaways: string, dimensions: string[] = []) =>
      h.submit('exchange.minutes-form', { conv: 'C01FRANCE', id: 1 }, {
        minutes: { minutes: textValue(text) },
        takeaways: { takeaways: textValue(takeaways) },
        dimensions: { dimensions: checkboxesValue(dimensions) },
      });

    const bad = (await minutes('', 'Good practice\nAnother one #wrokers\nThird #company')).body!;
    expect(bad.errors.minutes).toBe('Ce champ est obligatoire.');
    expect(bad.errors.takeaways.split('\n')).toEqual([
      expect.stringMatching(/^Enseignement 1 : Indiquez au moins une dimension : #/),
      expect.stringMatching(/^Enseignement 2 : Étiquette inconnue #wrokers\./),
    ]);
    const many = Array.from({ length: 21 }, (_, i) => `Takeaway ${i} #workers`).join('\n');
    expect((await minutes('Notes', many)).body!.errors.takeaways).toBe('Indiquez au plus 20 enseignements, un par ligne.');
    expect((await minutes('Notes', 'Good practice\nThird #company case:NOPE-9', ['workers'])).body!.errors.takeaways).toBe("Enseignement 2 : il n'y a pas de cas NOPE-9.");
    expect(await h.app.db.observation.count()).toBe(0);
    expect((await h.app.db.exchange.findFirstOrThrow()).minutesAt).toBeNull();
    expect((await h.slash('exchange minutes 1', { channelId: 'C01GERMANY' })).text).toContain('Plattform Deutschland does not take part in exchange #1');

    expect((await minutes('Notes', 'Good practice', ['workers'])).body).toEqual({ response_action: 'clear' });
    expect(await h.app.db.exchangeTakeaway.count()).toBe(2);
    expect((await minutes('Notes again', 'Other practice', ['workers'])).body).toEqual({ response_action: 'clear' });
    await h.fake.waitFor('chat.postEphemeral', (c) => textOf(c.body.blocks).includes("Le compte rendu de l'échange n° 1 a déjà été consigné par alice."));
    expect(await h.app.db.exchangeTakeaway.count()).toBe(2);
  });

  it('cancels a confirmed exchange: every channel told, the invitation cancelled, no reminder; answers refused', async () => {
    expect(await propose()).toEqual({ response_action: 'clear' });
    expect((await h.slash('exchange confirm 1 2')).text).toContain('Échange n° 1 confirmé');
    const x = await h.app.db.exchange.findFirstOrThrow();
    const confirmation = await h.fake.waitFor('chat.postMessage', (c) => c.body.channel === UK && textOf(c.body.blocks).includes('📅 Exchange #1 confirmed'));
    const link = (JSON.stringify(confirmation.body.blocks).match(/"url":"([^"]+)"/) ?? [])[1]!;
    expect(await (await fetch(link)).text()).toContain('STATUS:CONFIRMED');

    expect((await h.slash('exchange cancel 1', { userId: 'U2', channelId: UK })).text).toContain('Only the organiser of exchange #1 can do that.');
    expect((await h.slash('exchange cancel 1')).text).toContain('Échange n° 1 annulé.');
    await h.fake.waitFor('chat.postMessage', (c) => c.body.channel === UK && textOf(c.body.blocks).includes('Exchange #1 — Skills pools is cancelled.'));
    await h.fake.waitFor('chat.update', (c) => c.body.channel === 'C01FRANCE' && textOf(c.body.blocks).includes('Cet échange a été annulé.'));
    const cancelled = await (await fetch(link)).text();
    expect(cancelled).toContain('STATUS:CANCELLED');
    expect(cancelled).toContain('SEQUENCE:1');
    expect(await click('exchange.answer', '1:1:yes', { userId: 'U2', userName: 'bob', channelId: UK })).toContain('Exchange #1 is cancelled: its time poll is closed.');
    expect((await h.slash('exchange cancel 1')).text).toContain("L'échange n° 1 est annulé");

    // Past the reminders' times: nothing is posted.
    setClock(x.startsAt!.getTime() + MINUTE);
    await h.app.scheduler.runDue();
    await new Promise((r) => setTimeout(r, 200));
    expect(posts(UK, 'starts in')).toHaveLength(0);
  });

  it('confirmed less than 24 hours ahead: only the 1-hour reminder', async () => {
    const soon = paris().plus({ hours: 5 }).startOf('hour');
    expect(await propose({ slots: [0, 1, 2].map((i) => typed(soon.plus({ hours: i }))).join('\n') })).toEqual({ response_action: 'clear' });
    expect((await h.slash('exchange confirm 1 1')).text).toContain('confirmé');
    setClock(soon.toMillis() - HOUR + MINUTE);
    expect(await h.app.scheduler.runDue()).toBe(1);
    await h.fake.waitFor('chat.postMessage', (c) => c.body.channel === UK && textOf(c.body.blocks).includes('starts in 1 hour'));
    expect(posts(UK, 'starts in 24 hours')).toHaveLength(0);
    expect(await h.app.db.outboxMessage.count({ where: { messageKey: 'exchange:1:reminder:24h' } })).toBe(0);
  });

  it('registers the reminders again after a restart', async () => {
    expect(await propose()).toEqual({ response_action: 'clear' });
    expect((await h.slash('exchange confirm 1 1')).text).toContain('confirmé');
    const x = await h.app.db.exchange.findFirstOrThrow();
    await h.restart();
    setClock(x.startsAt!.getTime() - 24 * HOUR + MINUTE);
    expect(await h.app.scheduler.runDue()).toBe(1);
    await h.fake.waitFor('chat.postMessage', (c) => c.body.channel === UK && textOf(c.body.blocks).includes('starts in 24 hours'));
    // The bot was down past the 1-hour reminder too: only that one is posted (the 24-hour one is stale).
    await h.restart();
    h.advanceClock(23 * HOUR + 30 * MINUTE);
    await h.restart();
    await h.app.scheduler.runDue();
    await h.fake.waitFor('chat.postMessage', (c) => c.body.channel === UK && textOf(c.body.blocks).includes('starts in 1 hour'));
    expect(posts(UK, 'starts in 24 hours')).toHaveLength(1);
  });
});
