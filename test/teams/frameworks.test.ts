/**
 * `@Passerelle framework compare …` in Teams, through the real botbuilder adapter with the fake Bot
 * Connector: the two countries side by side are a FactSet whose facts alternate between them.
 * (The SE platform speaks Swedish, which has no framework sentences yet: English is shown.)
 */
import { describe, expect, it } from 'vitest';
import { cardText } from '../support/adaptive-cards.js';
import { cardsOf } from '../support/fake-connector.js';
import { importFrameworkSamples } from '../support/frameworks.js';
import { useTeams } from '../support/teams-harness.js';
import { channelMessage } from '../support/teams-activities.js';

/** Every FactSet of a card, anywhere in it. */
function factSets(card: unknown): Array<Array<{ title: string; value: string }>> {
  const found: Array<Array<{ title: string; value: string }>> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, any>;
      if (o.type === 'FactSet') found.push(o.facts);
      else Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

describe('Teams: framework', () => {
  const teams = useTeams();

  it('compares two countries for one type in a FactSet, and searches', async () => {
    const t = teams.current();
    await importFrameworkSamples(t.h.app.db);

    let before = t.connector.sent().length;
    expect((await t.post(channelMessage({ ...t.where(), text: 'framework compare SE FR income support' }))).status).toBe(200);
    const compared = t.connector.sent().slice(before);
    const card = compared.map((a) => cardsOf(a)).find((c) => cardText(c).includes('Income support for workers — SE and FR'));
    expect(card).toBeDefined();
    const [facts] = factSets(card);
    expect(facts!.map((f) => f.title)).toEqual(['SE', 'FR', 'SE', 'FR']);
    expect(facts![0]!.value).toContain('Job security councils');
    expect(facts!.map((f) => f.value).join('\n')).toContain('Partial activity');
    expect(JSON.stringify(card).length * 2).toBeLessThan(36 * 1024);

    before = t.connector.sent().length;
    await t.post(channelMessage({ ...t.where(), text: 'framework search job security SE' }));
    const found = t.connector.sent().slice(before).map((a) => cardText(cardsOf(a))).join('\n');
    expect(found).toContain('Frameworks matching “job security” in SE');
    expect(found).toContain('Job security councils');
    expect(found).toContain('@Passerelle framework \\<number> shows an entry in full.'); // markdown-escaped
  });
});
