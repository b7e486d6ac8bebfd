/**
 * Issue 5, digests: a whole week of activity on the platforms ends, on Monday 09:00 in Paris, in the
 * weekly digests of six channels — FR, BE, DE, UK and the international channel in Slack, SE in
 * Teams — whose content is checked: language, observations (innovative first, the secretariat's
 * never in a channel, the international digest quoting public ones in their language), cases that
 * moved and cases whose voice is unbalanced with a nudge, votes, figures against the week before;
 * and the secretariat's own copy by direct message. Then `/passerelle digest` in Slack and Teams.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestKey } from '../../src/core/digests/job.js';
import { cardText } from '../support/adaptive-cards.js';
import { cardsOf, startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { SECRETARIAT_SLACK_USER, TEAMS_SE_CHANNEL, type Harness } from '../support/harness.js';
import { nextMondayNine, seedWeek, SLACK_CHANNELS, TEXTS, type SeededWeek } from '../support/digest-week.js';
import { channelMessage, postActivity } from '../support/teams-activities.js';
import { digestPosts, drained, slackText, startWithDigests, stopAll, weekOf, WORKSPACE_URL } from './support.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('weekly digests after a week of activity', () => {
  let h: Harness;
  let connector: FakeConnector;
  let week: SeededWeek;
  let label: string;

  beforeEach(async () => {
    connector = await startFakeConnector();
    h = await startWithDigests();
    // Passerelle meets the SE team's channel in Teams (it keeps the conversation to post there later).
    await postActivity(h.app.url, channelMessage({ serviceUrl: connector.serviceUrl, channelId: TEAMS_SE_CHANNEL, text: 'help' }));
    week = await seedWeek(h.app.db, h.app.platforms, nextMondayNine());
    label = weekOf(week.due);
    await drained(h); // the observation and vote cards are posted: their links are known
  });
  afterEach(async () => {
    await stopAll();
    await connector.close();
  });

  it('posts the digests of the six channels on Monday 09:00 in Paris, each in its language, with the content of the week', async () => {
    // Monday 09:01 in London (10:01 in Paris): every platform's 09:00 has passed, each in its own zone.
    h.advanceClock(week.due.getTime() - Date.now() + HOUR + MINUTE);
    expect(await h.app.scheduler.runDue()).toBeGreaterThanOrEqual(7);
    await drained(h);

    // One digest per channel, a single message each (a small week).
    const only = (channel: string) => {
      const posts = digestPosts(h, channel, label);
      expect(posts, channel).toHaveLength(1);
      expect(posts[0]!.body.thread_ts).toBeUndefined();
      return slackText(posts[0]!);
    };

    // FR, in French: its own observations, the innovative one first, never the secretariat's.
    const fr = only(SLACK_CHANNELS.FR);
    expect(fr).toContain(`Synthèse de la semaine — Plateforme France — ${label}`);
    expect(fr).toContain('comparé à la semaine précédente');
    for (const text of [TEXTS.frInnovative, TEXTS.frPublic, TEXTS.frRegion]) expect(fr).toContain(text);
    expect(fr.indexOf(TEXTS.frInnovative)).toBeLessThan(fr.indexOf(TEXTS.frRegion));
    expect(fr).not.toContain(TEXTS.frSecretariat);
    expect(fr).not.toContain(TEXTS.frLastWeek);
    expect(fr).toContain('💡 innovante');
    // New practices and assessments (issue 6): FR's practice and its assessment for the UK.
    expect(fr).toContain('Pratiques innovantes');
    expect(fr).toContain('P-901 Cellule de reclassement partagée — origine FR (FR)');
    expect(fr).toContain('P-901 Cellule de reclassement partagée pour UK : transférable avec adaptation');
    expect(fr).toMatch(/\*Observations\*\n3 \(\+2\)/); // 3 this week (the secretariat's not counted), 1 the week before
    // The observation's number links to its card in the channel.
    const card = await h.app.db.chatMessage.findFirstOrThrow({ where: { messageKey: `observation:${week.observations.frInnovative}` } });
    expect(fr).toContain(`<${WORKSPACE_URL}/archives/${SLACK_CHANNELS.FR}/p${card.messageId.replace('.', '')}|#${week.observations.frInnovative}>`);
    // Cases: the new one moved; its voice lacks the public authorities and the experts: Carla (local authority) is asked.
    expect(fr).toContain('ACME-2026');
    expect(fr).toContain('nouveau cas, nouvelles observations : 2');
    expect(fr).toContain('pas encore entendus : pouvoirs publics, experts et autres');
    expect(fr).toContain(`<@${week.members.carla.externalId}>, pourriez-vous apporter la vôtre ?`);
    // Votes: FR-2.1 opened and adopted this week, FR-1.1 closes within the coming week.
    expect(fr).toContain('Ouverts');
    expect(fr).toContain('Clôture dans la semaine');
    expect(fr).toMatch(/\*Résultats\*\n• \*FR-2\.1\* Information précoce — Adoptée · 2 votants sur 2/);

    // BE, in French (its first language).
    const be = only(SLACK_CHANNELS.BE);
    expect(be).toContain('Synthèse de la semaine — Plateforme Belgique');
    expect(be).toContain(TEXTS.beForem);
    expect(be).not.toContain(TEXTS.frInnovative);

    // DE, in German where de.json has the words.
    const de = only(SLACK_CHANNELS.DE);
    expect(de).toContain(`Wochenübersicht — Plattform Deutschland — ${label}`);
    expect(de).toContain('Neue Beobachtungen');
    expect(de).toContain(TEXTS.deInnovative);
    expect(de).toContain('💡 innovativ');

    // UK, in English: its case moved and lacks two dimensions and three voices (no one to name).
    const uk = only(SLACK_CHANNELS.UK);
    expect(uk).toContain(`Weekly digest — United Kingdom platform — ${label}`);
    expect(uk).toContain(TEXTS.ukInnovative);
    expect(uk).toContain(TEXTS.ukCouncil);
    expect(uk).toContain('UKCO-2026');
    // The UK's members assessed a practice for the UK: the UK digest says so.
    expect(uk).toContain('P-901 Cellule de reclassement partagée for UK: transferable with adaptation');
    expect(uk).toContain('no observation on Territory, Company; not heard yet: employers, public authorities, experts and others');
    expect(uk).toContain('No vote opened, closing or closed.');

    // INT: every platform's figures; the public observations quoted in their language, said which.
    const int = only(SLACK_CHANNELS.INT);
    expect(int).toContain(`International weekly digest — ${label}`);
    for (const name of ['Plateforme France (FR)', 'Plateforme Belgique / Platform België (BE)', 'Plattform Deutschland (DE)', 'Plattform Sverige (SE)', 'United Kingdom platform (UK)', 'International platform (INT)']) {
      expect(int).toContain(name);
    }
    expect(int).not.toContain('Demo platform');
    expect(int).toContain('observations: 3 (+2)');
    expect(int).toMatch(new RegExp(`in French\\n_“${TEXTS.frPublic}”_`));
    expect(int).toMatch(new RegExp(`in German\\n_“${TEXTS.deInnovative}”_`));
    expect(int).toMatch(new RegExp(`in Swedish\\n_“${TEXTS.seInnovative}”_`));
    expect(int).toMatch(new RegExp(`in English\\n_“${TEXTS.ukInnovative}”_`));
    expect(int).toContain(TEXTS.intCompare);
    // A platform's own observations stay in its channel; the secretariat's in the secretariat's copy.
    for (const text of [TEXTS.frInnovative, TEXTS.frRegion, TEXTS.beForem, TEXTS.ukCouncil, TEXTS.frSecretariat]) expect(int).not.toContain(text);
    expect(int).toContain("None of them is public (shared with every platform): they stay in their platform's channel.");
    expect(int).toContain('*UKCO-2026* (UK)');

    // SE in Teams: a card in the SE channel, Swedish where sv.json has the words, English otherwise.
    const se = await connector.waitForSent((a) => a.call.conversationId.startsWith(TEAMS_SE_CHANNEL) && cardText(cardsOf(a)).includes(label));
    const seText = cardText(cardsOf(se));
    expect(seText).toContain(`Veckosammanfattning — Plattform Sverige — ${label}`);
    expect(seText).toContain('Nya observationer');
    expect(seText).toContain(TEXTS.seInnovative);
    expect(seText).toContain('Figures against last week');
    expect(connector.sent().filter((a) => cardText(cardsOf(a)).includes(label))).toHaveLength(1);
    // SE's Slack channel gets its copy too.
    expect(only(SLACK_CHANNELS.SE)).toContain('Veckosammanfattning');

    // The secretariat's copy of the international digest, by direct message, quotes the secretariat's observation.
    const dm = digestPosts(h, `D${SECRETARIAT_SLACK_USER}`, label);
    expect(dm).toHaveLength(1);
    const copy = slackText(dm[0]!);
    expect(copy).toContain("Secretariat's copy");
    expect(copy).toContain(TEXTS.frSecretariat);
    expect(copy).toContain('🔒 secretariat only');
    expect(copy).toContain(TEXTS.frInnovative);

    // Every run recorded once per (job, due time); the demo platform had nothing to digest.
    const runs = await h.app.db.jobRun.findMany({ where: { job: { startsWith: 'digest:' }, dueAt: { gte: week.due } }, orderBy: { job: 'asc' } });
    expect(runs.map((r) => [r.job, r.dueAt.getTime() - week.due.getTime(), r.attempts, !!r.finishedAt])).toEqual(
      ['BE', 'DE', 'DEMO', 'FR', 'INT', 'SE', 'UK'].map((id) => [`digest:${id}`, id === 'UK' ? HOUR : 0, 1, true]),
    );
    expect(await h.app.db.outboxMessage.count({ where: { messageKey: { startsWith: 'digest:DEMO' } } })).toBe(0);
    expect(await h.app.db.chatMessage.count({ where: { messageKey: digestKey('FR', label) } })).toBe(1);

    // Running again posts nothing more.
    expect(await h.app.scheduler.runDue()).toBe(0);
    await h.restart();
    await drained(h);
    expect(digestPosts(h, SLACK_CHANNELS.FR, label)).toHaveLength(1);
  });

  it('/passerelle digest shows the current week so far to the member alone, in Slack and in Teams', async () => {
    const filed = await h.slash('observe Le comité de suivi se réunit chaque mois #workers #innovative', { userId: 'U0ALICE', channelId: SLACK_CHANNELS.FR });
    expect(filed.status).toBe(200);
    const answer = await h.slash('digest', { userId: 'U0ALICE', channelId: SLACK_CHANNELS.FR });
    expect(answer.body?.response_type).toBe('ephemeral');
    expect(answer.text).toContain('Cette semaine jusqu\'ici — Plateforme France');
    expect(answer.text).toContain('Le comité de suivi se réunit chaque mois');
    expect(answer.text).not.toContain(TEXTS.frSecretariat);

    const teams = await postActivity(h.app.url, channelMessage({ serviceUrl: connector.serviceUrl, channelId: TEAMS_SE_CHANNEL, text: 'digest' }));
    expect(teams.status).toBeLessThan(300);
    const reply = await connector.waitForSent((a) => cardText(cardsOf(a)).includes('Veckan hittills — Plattform Sverige'));
    expect(reply.call.conversationId).toContain(';messageid='); // in the command's thread
  });
});
