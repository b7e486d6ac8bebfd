/** The clause card at its largest, in both channels: within Slack's Block Kit limits and a valid Teams card under 40 KB. */
import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../src/channels/slack/render.js';
import { cardBytes, renderCard, TEAMS_LIMITS } from '../../src/channels/teams/render.js';
import type { ClauseDetails } from '../../src/core/clauses/clauses.js';
import { clauseCard, codeView } from '../../templates/clause-views.js';
import { translator } from '../../templates/i18n.js';
import { assertBlockKitLimits } from '../support/block-kit-limits.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const words = (n: number, salt: string) => Array.from({ length: n }, (_, i) => `${salt}${i % 7 ? '' : '*'}<w${i}>&`).join(' ');

function details(openAmendments: number): ClauseDetails {
  const text = words(400, 'a').slice(0, 4000);
  const version = (n: number) => ({ id: n, clauseId: 1, version: n, title: 'T'.repeat(200), text, rationale: 'R'.repeat(2000), authorId: 1, fromAmendmentId: n > 1 ? n - 1 : null, createdAt: NOW });
  const amendment = (id: number) => ({
    id, clauseId: 1, baseVersion: 1, text: words(400, `b${id}`).slice(0, 4000), reason: 'why '.repeat(500), authorId: 2, status: 'open',
    decidedById: null, decisionReason: null, createdAt: NOW, decidedAt: null,
  });
  const versions = Array.from({ length: 20 }, (_, i) => version(i + 1));
  return {
    clause: { id: 1, code: 'FR', stage: 'preparation', number: 3, status: 'draft', groupId: null, createdById: 1, createdAt: NOW, updatedAt: NOW, group: null },
    ref: 'FR-2.3',
    versions,
    current: versions.at(-1)!,
    openAmendments: Array.from({ length: openAmendments }, (_, i) => amendment(i + 1)),
    decidedAmendments: [],
    links: { observationIds: [1, 2, 3], caseRefs: ['ACME-2026'] },
    names: new Map([[1, 'Alice'], [2, 'Bob <b>']]),
    convenorId: 1,
  };
}

describe('clause card limits', () => {
  const t = translator('fr');
  it.each([0, 1, 3, 12])('with %i open amendments of 4,000 characters fits Slack and Teams', (n) => {
    const view = clauseCard(t, details(n), 1);
    const slack = renderMessage(view);
    assertBlockKitLimits(slack.blocks, 'message');
    const card = renderCard(view);
    expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
    // Nothing the card is for was cut off to fit: the buttons of every amendment shown, and the history.
    for (const rendered of [JSON.stringify(slack), JSON.stringify(card)]) {
      expect(rendered).toContain('clause.amend');
      expect(rendered).toContain('v20 · 2026-11-23');
      for (let id = 1; id <= Math.min(n, 2); id++) expect(rendered).toContain(`Rejeter n° ${id}`);
      expect(rendered).not.toContain('… (+');
    }
  });

  it('says how many open amendments are not shown in full', () => {
    const view = clauseCard(translator('en'), details(12), 1);
    expect(JSON.stringify(view)).toContain('10 more open amendment(s), shown here once these are decided: #3, #4');
  });

  it('the code view fits too', () => {
    const stages = (['anticipation', 'preparation', 'implementation', 'follow-up'] as const).map((stage) => ({
      stage,
      adopted: Array.from({ length: 3 }, (_, i) => ({ ref: `FR-1.${i + 1}`, title: 'T', text: 'x'.repeat(400) })),
      drafts: 2,
    }));
    assertBlockKitLimits(renderMessage(codeView(t, 'FR', 'Plateforme France', stages)).blocks, 'message');
  });
});
