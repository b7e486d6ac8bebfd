/**
 * The practice card, the indicators part of the case card and their forms, at their largest: they fit
 * a Slack message (or modal) and a Teams card, and the matrix stays whole.
 */
import { describe, expect, it } from 'vitest';
import { renderMessage, renderModal } from '../../src/channels/slack/render.js';
import { cardBytes, renderCard, renderFormCard, TEAMS_LIMITS } from '../../src/channels/teams/render.js';
import { efficiencyOf, type Figures } from '../../src/core/indicators.js';
import type { PracticeDetails } from '../../src/core/practices/practices.js';
import { COUNTRIES } from '../../src/core/vocabulary.js';
import { caseCard } from '../../templates/case-views.js';
import { translator } from '../../templates/i18n.js';
import { indicatorForm } from '../../templates/indicator-views.js';
import { assessmentForm, practiceCard, practiceForm } from '../../templates/practice-views.js';
import { plain } from '../../templates/view.js';
import { assertBlockKitLimits } from '../support/block-kit-limits.js';
import { domainFixtures, prose } from '../support/domain-fixtures.js';

const { summary } = domainFixtures('slack');
const NOW = new Date('2026-11-20T10:00:00Z');
const VERDICTS = ['as-is', 'with-adaptation', 'not-transferable'] as const;

/** A practice with the longest texts, assessed three times for every other country, every condition at its longest. */
function biggest(): PracticeDetails {
  let id = 0;
  const assessments = COUNTRIES.filter((c) => c !== 'FR').flatMap((country) =>
    VERDICTS.map((verdict) => ({
      id: ++id,
      practiceId: 1,
      country,
      verdict,
      helping: prose(2000, id),
      hindering: prose(2000, id + 1000),
      carriers: ['union', 'employer', 'local-authority'],
      assessorId: id,
      createdAt: NOW,
      updatedAt: NOW,
      assessor: { id, displayName: `Member ${id}`, actorType: 'union', country, forgottenAt: null },
    })),
  );
  return {
    practice: {
      id: 1, ref: 'P-1', platformId: 'FR', title: prose(200), description: prose(4000), country: 'FR', sector: 'C', frame: prose(2000, 2), actors: ['union', 'employer'],
      results: prose(2000, 3), createdById: 1, createdAt: NOW, updatedAt: NOW,
    },
    actors: ['union', 'employer'],
    sources: { observationIds: Array.from({ length: 20 }, (_, i) => i + 1), caseRefs: Array.from({ length: 20 }, (_, i) => `CASE-${1000 + i}`) },
    assessments,
  };
}

const FIGURES: Figures = {
  supportCosts: 999_999_999_999, severanceCosts: 999_999_999_999, publicFunding: 999_999_999_999, workersAffected: 999_999_999_999,
  reemployed6m: 1, reemployed12m: 1, inTraining: 1, jobsSaved: 999_999_999_999, jobsCreated: 999_999_999_999,
};

describe.each(['en', 'fr'])('practice and indicator views (%s)', (lang) => {
  const t = translator(lang);

  it('the practice card with 93 assessments fits Slack and Teams, the matrix whole and the conditions cut to a few', () => {
    const view = practiceCard(t, biggest(), { assess: true });
    const slack = renderMessage(view);
    assertBlockKitLimits(slack.blocks, 'message');
    const text = plain(view.blocks.flatMap((b) => ('text' in b && Array.isArray(b.text) ? b.text : [])));
    for (const country of COUNTRIES.filter((c) => c !== 'FR')) expect(text).toContain(`${country}  ✅ 1  🔧 1  ⛔ 1`);
    expect(text).toContain(t('practice.moreConditions', { count: 31 * 3 * 2 - 12 }));
    const card = renderCard(view);
    expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
    expect(JSON.stringify(card)).toContain('"verb":"practice.assess"');
  });

  it('the case card with indicators at their largest fits Slack and Teams', () => {
    const previous = { ...FIGURES, supportCosts: 1 };
    const trend = {
      count: 40,
      latest: { measuredOn: NOW, figures: FIGURES, efficiency: efficiencyOf(FIGURES) },
      previous: { measuredOn: new Date('2026-01-01T00:00:00Z'), figures: previous, efficiency: efficiencyOf(previous) },
    };
    const view = caseCard(t, summary(1), trend);
    assertBlockKitLimits(renderMessage(view).blocks, 'message');
    expect(cardBytes(renderCard(view))).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
  });

  it('the forms fit a Slack modal and a Teams card, prefilled at their longest', () => {
    const forms = [
      indicatorForm(t, { state: JSON.stringify({ conv: 'C01FRANCE', ref: 'ACME-2026' }), ref: 'ACME-2026', company: prose(200), today: '2026-11-20', latest: FIGURES, latestOn: NOW }),
      practiceForm(t, {
        state: JSON.stringify({ conv: 'C01FRANCE' }), title: prose(200), description: prose(4000), country: 'FR', sector: 'C', frame: prose(2000), actors: ['union'],
        results: prose(2000), observationIds: [1, 2, 3], caseRefs: ['ACME-2026'], fromObservation: 3,
      }),
      assessmentForm(t, {
        state: JSON.stringify({ conv: 'C01FRANCE', ref: 'P-1', country: 'FR' }), ref: 'P-1', title: prose(200), practiceCountry: 'UK', country: 'FR',
        current: { verdict: 'with-adaptation', helping: prose(2000), hindering: prose(2000), carriers: ['union', 'employer'] },
      }),
    ];
    for (const form of forms) {
      assertBlockKitLimits(renderModal(form).blocks, 'modal');
      expect(cardBytes(renderFormCard(form))).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
    }
  });
});
