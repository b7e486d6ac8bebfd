/**
 * The Slack renderer turns the real templates into Block Kit that Slack accepts (limits of
 * test/support/block-kit-limits.ts), never loses a member's words, and never lets their text mention
 * or link anyone. Tests marked `it.fails` pin a known bug (see the comment on each): they pass while the
 * bug is there and fail once it is fixed — then turn them into `it`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { escape, mrkdwn, plainFromSlack } from '../../src/channels/slack/mrkdwn.js';
import { LIMITS, renderMessage as renderSlackMessage, renderModal } from '../../src/channels/slack/render.js';

import { caseForm } from '../../templates/case-form.js';
import { caseCard, caseList } from '../../templates/case-views.js';
import { helpView } from '../../templates/help.js';
import { translator } from '../../templates/i18n.js';
import { observationCard } from '../../templates/observation-card.js';
import { observationForm } from '../../templates/observation-form.js';
import { profileForm } from '../../templates/profile-form.js';
import { link, localTime, plain, type FormView, type MessageView, type Span } from '../../templates/view.js';
import { assertBlockKitLimits } from '../support/block-kit-limits.js';
import { domainFixtures, prose } from '../support/domain-fixtures.js';

const { NOW, PLATFORM, member, aCase, summary, observation } = domainFixtures('slack');

// ---------------------------------------------------------------- helpers

type Obj = Record<string, any>;

/** renderMessage, with its blocks typed loosely for reading them in tests. */
function renderMessage(...views: MessageView[]): { text: string; blocks: Obj[] } {
  return renderSlackMessage(...views) as { text: string; blocks: Obj[] };
}

/** Every mrkdwn string of a message, block by block (section text, fields, context elements). */
function mrkdwnTexts(blocks: Obj[]): string[] {
  return blocks.flatMap((b) => [
    ...(b.text?.type === 'mrkdwn' ? [b.text.text as string] : []),
    ...((b.fields ?? []) as Obj[]).map((f) => f.text as string),
    ...((b.elements ?? []) as Obj[]).filter((e) => e.type === 'mrkdwn').map((e) => e.text as string),
  ]);
}

/** Every string anywhere in a value. */
function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const unquote = (s: string) => s.replace(/^> /gm, '');
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The sections that carry the observation's text: between the header and the fields. */
function quoteSections(blocks: Obj[]): string[] {
  const end = blocks.findIndex((b, i) => i > 0 && b.fields);
  return blocks.slice(1, end).map((b) => b.text.text as string);
}

const en = translator('en');
const fr = translator('fr');

// ---------------------------------------------------------------- messages

describe('renderMessage — the real templates fit in a Slack message', () => {
  it.each([
    ['en', en],
    ['fr', fr],
  ] as const)('observation card (%s)', (_lang, t) => {
    const message = renderMessage(observationCard(observation(), PLATFORM, t));
    assertBlockKitLimits(message, 'message');
    expect(message.blocks[0]).toMatchObject({ type: 'header' });
    const texts = mrkdwnTexts(message.blocks).join('\n');
    expect(texts).toContain('<@U01AUTHOR>');
    expect(texts).toContain('ACME-2001');
    expect(texts).toContain(t('dimensions.territory'));
    const actions = message.blocks.find((b) => b.type === 'actions')!;
    // The fixture is innovative: it may be described as a practice.
    expect(actions.elements.map((e: Obj) => e.action_id)).toEqual(['observation.edit', 'observation.withdraw', 'practice.describe']);
    expect(actions.elements.map((e: Obj) => e.value)).toEqual(['42', '42', '42']);
    expect(message.text).toContain("The regional council co-funded");
  });

  it('observation card of a member without profile, case or stage', () => {
    const o = observation({
      author: member({ displayName: null, actorType: null, organisation: null }),
      case: null,
      caseId: null,
      stage: null,
      innovative: false,
      editedAt: null,
      sourceLink: null,
    });
    const message = renderMessage(observationCard(o, PLATFORM, en));
    assertBlockKitLimits(message, 'message');
    const texts = mrkdwnTexts(message.blocks).join('\n');
    expect(texts).toContain('actor type not given');
    expect(texts).toContain('none');
  });

  it('withdrawn and secretariat-only cards say so, without the text', () => {
    const withdrawn = renderMessage(observationCard(observation({ withdrawnAt: NOW }), PLATFORM, en));
    assertBlockKitLimits(withdrawn, 'message');
    expect(JSON.stringify(withdrawn)).not.toContain('reskilling');
    expect(mrkdwnTexts(withdrawn.blocks).join()).toContain('Observation #42 was withdrawn');

    const restricted = renderMessage(observationCard(observation({ confidentiality: 'secretariat' }), PLATFORM, fr));
    assertBlockKitLimits(restricted, 'message');
    expect(JSON.stringify(restricted)).not.toContain('reskilling');
  });

  it.each([
    ['en', en],
    ['fr', fr],
  ] as const)('case card with every field and 10 sources (%s)', (_lang, t) => {
    const sources = Array.from({ length: 10 }, (_, i) => `https://news.example/articles/2026/acme-closure-${i}`);
    const message = renderMessage(caseCard(t, summary(1, { sources, anonymised: true })));
    assertBlockKitLimits(message, 'message');
    const texts = mrkdwnTexts(message.blocks).join('\n');
    for (const url of sources) expect(texts).toContain(`<${url}|${url}>`);
    expect(texts).toContain('FRE1');
    expect(texts).toContain('2026-06-01 → 2027-06-01');
  });

  it('case list of 60 cases', () => {
    const cases = Array.from({ length: 60 }, (_, i) => summary(i + 1));
    for (const t of [en, fr]) {
      const message = renderMessage(caseList(t, PLATFORM, cases));
      assertBlockKitLimits(message, 'message');
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      expect(mrkdwnTexts(message.blocks).join('\n')).toContain('ACME-2001');
    }
  });

  // BUG templates/case-views.ts:51 — caseList keeps the first 45 cases and drops the others without a word:
  // with 60 cases the member sees 45 and no hint that 15 more exist. Fix: add a context line
  // ("… and 15 more cases"), as renderMessage does for blocks.
  it('case list of 60 cases shows them all or says how many are left out', () => {
    const cases = Array.from({ length: 60 }, (_, i) => summary(i + 1));
    const texts = mrkdwnTexts(renderMessage(caseList(en, PLATFORM, cases)).blocks);
    const missing = cases.filter((s) => !texts.some((text) => text.includes(`*${s.case.ref}*`))).length;
    // Some line that is not a case's own line says how many are missing.
    const notes = texts.filter((text) => !/\*ACME-\d+\*/.test(text)).join('\n');
    expect(missing === 0 || new RegExp(`\\b${missing}\\b`).test(notes), `${missing} cases left out silently`).toBe(true);
  });

  it('empty case list', () => {
    const message = renderMessage(caseList(en, PLATFORM, []));
    assertBlockKitLimits(message, 'message');
    expect(mrkdwnTexts(message.blocks).join()).toContain('No case yet on Plateforme France');
  });

  it.each([
    ['en', en],
    ['fr', fr],
  ] as const)('help (%s), also for an unknown command', (_lang, t) => {
    assertBlockKitLimits(renderMessage(helpView(t, COMMANDS, 'slack')), 'message');
    const unknown = renderMessage(helpView(t, COMMANDS, 'slack', '<!channel>'));
    assertBlockKitLimits(unknown, 'message');
    expect(JSON.stringify(unknown.blocks)).not.toContain('<!channel>');
  });

  it('several views in one message are separated by a divider', () => {
    const message = renderMessage(helpView(en, COMMANDS, 'slack'), caseList(en, PLATFORM, []));
    assertBlockKitLimits(message, 'message');
    const help = renderMessage(helpView(en, COMMANDS, 'slack')).blocks.length;
    expect(message.blocks[help]).toEqual({ type: 'divider' });
    expect(message.text).toBe('Passerelle — commands · No case yet on Plateforme France. Create one with /passerelle case new.');
  });
});

describe('renderMessage — long text', () => {
  it('splits a 4,000-character observation over several sections of at most 3,000 characters, losing nothing', () => {
    const text = prose(4000);
    expect(text.length).toBe(4000);
    const message = renderMessage(observationCard(observation({ text }), PLATFORM, en));
    assertBlockKitLimits(message, 'message');
    const pieces = quoteSections(message.blocks);
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(LIMITS.sectionText);
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    expect(words(unescape(pieces.map(unquote).join(' ')))).toEqual(words(text));
  });

  it('splits a text without line breaks at a space, and the pieces join back exactly', () => {
    const text = Array.from({ length: 800 }, (_, i) => `w${i}`).join(' ').slice(0, 4000).trim();
    const pieces = quoteSections(renderMessage(observationCard(observation({ text }), PLATFORM, en)).blocks);
    expect(pieces.length).toBe(2);
    expect(pieces.map(unquote).join(' ')).toBe(text);
  });

  it('splits a text with & < > without losing any of them', () => {
    const text = prose(3990).replace(/ a/g, ' &').replace(/ b/g, ' <').replace(/ c/g, ' >');
    const message = renderMessage(observationCard(observation({ text }), PLATFORM, en));
    assertBlockKitLimits(message, 'message');
    const pieces = quoteSections(message.blocks);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(LIMITS.sectionText);
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    expect(words(unescape(pieces.map(unquote).join(' ')))).toEqual(words(text));
  });

  // BUG src/channels/slack/render.ts:35-47 — `chunks` cuts the *escaped* text at a fixed width when it finds
  // no space or line break in the second half of the window, so it can cut inside `&amp;` (Slack then shows
  // `&a` and `mp;`). Failing input: observation text 'x' + '&'.repeat(3999). Fix: never cut inside an entity
  // (move the cut back before a '&' that has no ';' before the cut), or split the raw text before escaping.
  it('never cuts inside an HTML entity', () => {
    const message = renderMessage(observationCard(observation({ text: `x${'&'.repeat(3999)}` }), PLATFORM, en));
    for (const piece of quoteSections(message.blocks)) {
      expect(piece).not.toMatch(/&(?!(amp|lt|gt);)/);
      expect(piece).not.toMatch(/^(mp|p|t|lt|gt|amp)?;/);
    }
  });

  // BUG src/channels/slack/render.ts:41 — the same fixed-width cut can split a UTF-16 surrogate pair: a text of
  // emoji with no spaces (valid: 4,000 code points is within MAX_OBSERVATION_LENGTH) ends a section with half
  // an emoji. Failing input: 'a' + '😀'.repeat(3999). Fix: step the cut back when it falls between
  // 0xD800–0xDBFF and 0xDC00–0xDFFF, or slice by code points.
  it('never cuts an emoji in half', () => {
    const message = renderMessage(observationCard(observation({ text: `a${'😀'.repeat(3999)}` }), PLATFORM, en));
    for (const piece of quoteSections(message.blocks)) expect(piece).not.toMatch(loneSurrogate);
  });

  // BUG src/channels/slack/render.ts:83 — the quote prefix `> ` is added before splitting, so a piece cut at a
  // space (not a line break) starts without it: the rest of the member's words is shown outside the quote.
  // Fix: split the text first, then quote each piece.
  it('keeps every piece of a long quote quoted', () => {
    const text = Array.from({ length: 800 }, (_, i) => `w${i}`).join(' ').slice(0, 4000).trim();
    for (const piece of quoteSections(renderMessage(observationCard(observation({ text }), PLATFORM, en)).blocks)) {
      expect(piece.startsWith('> ')).toBe(true);
    }
  });
});

describe('renderMessage — more than 50 blocks', () => {
  const many = (n: number, tag = 'line'): MessageView => ({
    summary: `${n} ${tag}s`,
    blocks: Array.from({ length: n }, (_, i) => ({ type: 'text' as const, text: [`${tag} ${i}`] })),
  });

  it('cuts 60 blocks to 50, the last one saying that 11 were not shown', () => {
    const message = renderMessage(many(60));
    assertBlockKitLimits(message, 'message');
    expect(message.blocks).toHaveLength(50);
    expect(message.blocks[48].text.text).toBe('line 48');
    const last = message.blocks[49];
    expect(last.type).toBe('context');
    expect(last.elements[0].text).toMatch(/\b11\b/);
    expect(last.elements[0].text).toMatch(/\(\+11\)/);
  });

  it('counts the dividers between views among the blocks left out', () => {
    // 20 + divider + 20 + divider + 20 = 62 blocks: 49 kept, 13 left out.
    const message = renderMessage(many(20, 'a'), many(20, 'b'), many(20, 'c'));
    assertBlockKitLimits(message, 'message');
    expect(message.blocks).toHaveLength(50);
    expect(message.blocks[49].elements[0].text).toMatch(/\b13\b/);
  });

  it('keeps exactly 50 blocks as they are', () => {
    const message = renderMessage(many(50));
    expect(message.blocks).toHaveLength(50);
    expect(message.blocks[49].text.text).toBe('line 49');
  });

  // BUG src/channels/slack/render.ts:119 — the fallback `text` is clipped to 3,000 characters (line 121)
  // except when blocks were cut, when it is returned whole. Failing input: 60 views of one block, each
  // with a 100-character summary. Fix: clip it on that path too.
  it('keeps the fallback text within 3,000 characters when blocks were cut', () => {
    const views = Array.from({ length: 60 }, (_, i) => ({ summary: `${i} ${'s'.repeat(98)}`, blocks: [{ type: 'divider' as const }] }));
    expect(renderMessage(...views).text.length).toBeLessThanOrEqual(3000);
  });
});

describe('renderMessage — what a member typed cannot mention or link anyone', () => {
  const hostile = 'a < b > c & d <!channel> <!here|here> <@U999EVIL> <https://evil.example|click here> &amp;';
  const o = observation({
    text: hostile,
    author: member({ organisation: '<!everyone> & Co' }),
    case: aCase(1, { company: '<https://evil.example|Acme> & <@U999EVIL>' }),
  });

  it('escapes &, < and > in the observation, organisation and company, in every block', () => {
    const message = renderMessage(observationCard(o, PLATFORM, en));
    assertBlockKitLimits(message, 'message');
    const texts = mrkdwnTexts(message.blocks);
    for (const text of texts) {
      expect(text).not.toMatch(/<!/);
      expect(text).not.toContain('<https://evil');
      expect(text).not.toContain('<@U999EVIL');
    }
    const all = texts.join('\n');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('&amp;amp;');
    expect(all).toContain('<@U01AUTHOR>'); // the author's own, legitimate mention
    // What Slack shows is exactly what was typed.
    expect(plainFromSlack(unquote(quoteSections(message.blocks).join('\n')))).toBe(hostile);
  });

  it('escapes a case company name in the case card and list', () => {
    const s = summary(1, { company: '<!channel> & <https://evil.example|x>' });
    for (const message of [renderMessage(caseCard(en, s)), renderMessage(caseList(en, PLATFORM, [s]))]) {
      for (const text of mrkdwnTexts(message.blocks)) {
        expect(text).not.toMatch(/<!/);
        expect(text).not.toContain('<https://evil');
      }
    }
  });

  it('a link label or address cannot break out of its link', () => {
    const out = mrkdwn([link('see | <!channel>', 'https://x.org/?q=<a>|b')]);
    expect(out).toMatch(/^<[^<>|]+\|[^<>|]+>$/);
    expect(out).not.toContain('<!channel>');
  });

  // BUG src/channels/slack/render.ts:119 and :121 — the message's top-level `text` (notifications, clients
  // without blocks) is the views' summaries unescaped, and the observation card's summary contains the
  // member's text: `<!channel>` typed in an observation becomes a live @channel / fake link in the
  // notification. Failing input: an observation whose text is '<!channel> <https://evil.example|click>'.
  // Fix: `escape(...)` the joined summaries in renderMessage.
  it('does not put mentions or links typed by a member in the notification text', () => {
    const message = renderMessage(observationCard(o, PLATFORM, en));
    expect(message.text).not.toMatch(/<!/);
    expect(message.text).not.toContain('<https://evil');
    expect(message.text).not.toContain('<@U999EVIL');
  });
});

describe('renderMessage — a time each reader sees in their own time zone', () => {
  // 18:00 in Paris on 1 December 2026 is 17:00 UTC: 1796144400 seconds since 1970.
  const CLOSES = new Date('2026-12-01T17:00:00Z');
  const FALLBACK = '2026-12-01 18:00 (Europe/Paris)';
  const TOKEN = '<!date^1796144400^{date_short_pretty} {time}|2026-12-01 18:00 (Europe/Paris)>';
  const at = (time: string, text = FALLBACK): Span => ({ text, time });

  it('is a Slack date token: unix seconds, the format, and the fallback in the platform zone', () => {
    expect(CLOSES.getTime() / 1000).toBe(1796144400);
    expect(mrkdwn(['Closes ', localTime(FALLBACK, CLOSES), '.'])).toBe(`Closes ${TOKEN}.`);
  });

  it('reads any ISO instant the same: UTC or an offset, to the minute, the second or finer (dropped)', () => {
    for (const time of ['2026-12-01T18:00:00+01:00', '2026-12-01T17:00:00.999Z', '2026-12-01T17:00Z', '2026-12-01T12:00:00-05:00']) {
      expect(mrkdwn([at(time)])).toBe(TOKEN);
    }
  });

  it('escapes the fallback, and a | in it cannot end the token early', () => {
    const out = mrkdwn([at('2026-12-01T17:00:00Z', 'a <!channel> & b | c')]);
    expect(out).toBe('<!date^1796144400^{date_short_pretty} {time}|a &lt;!channel&gt; &amp; b ¦ c>');
    expect(out).toMatch(/^<!date\^\d+\^[^|<>]+\|[^|<>]*>$/);
  });

  it('is bold or italic around the whole token', () => {
    expect(mrkdwn([{ text: FALLBACK, time: CLOSES.toISOString(), bold: true }])).toBe(`*${TOKEN}*`);
    expect(mrkdwn([{ text: FALLBACK, time: CLOSES.toISOString(), italic: true }])).toBe(`_${TOKEN}_`);
  });

  it('shows the fallback alone when the time is not an instant', () => {
    for (const time of ['tomorrow', '2026-12-01', '2026-12-01T18:00', '2026-02-30T17:00:00Z', '2026-12-01T24:00:00Z', '']) {
      expect(mrkdwn([at(time, 'soon & <later>')])).toBe('soon &amp; &lt;later&gt;');
    }
  });

  it('in text, fields and context blocks; the notification text and plain() carry the fallback', () => {
    const when = localTime(FALLBACK, CLOSES);
    const view: MessageView = {
      summary: plain(['Vote on FR-1 closes ', when]),
      blocks: [
        { type: 'heading', text: 'Vote' },
        { type: 'text', text: ['Closes ', when] },
        { type: 'fields', fields: [{ label: 'Closes', value: [when] }] },
        { type: 'context', text: [when] },
      ],
    };
    const message = renderMessage(view);
    assertBlockKitLimits(message, 'message');
    expect(mrkdwnTexts(message.blocks)).toEqual([`Closes ${TOKEN}`, `*Closes*\n${TOKEN}`, TOKEN]);
    expect(message.text).toBe(`Vote on FR-1 closes ${FALLBACK}`);
    // Read back from Slack (a message captured as an observation), the token is its fallback.
    expect(plainFromSlack(`Closes ${TOKEN}`)).toBe(`Closes ${FALLBACK}`);
  });

  it('a date token typed by a member stays text', () => {
    const typed = '<!date^1796144400^{date}|today>';
    expect(mrkdwn([typed])).toBe('&lt;!date^1796144400^{date}|today&gt;');
    expect(plainFromSlack(escape(typed))).toBe(typed);
  });
});

// ---------------------------------------------------------------- modals

describe('renderModal — the real forms fit in a Slack modal', () => {
  const cases = Array.from({ length: 120 }, (_, i) => aCase(i + 1));

  function check(form: FormView) {
    const modal = renderModal(form) as Obj;
    assertBlockKitLimits(modal, 'modal');
    expect(modal.type).toBe('modal');
    expect(modal.callback_id).toBe(form.form);
    expect(modal.private_metadata).toBe(form.state);
    const inputs = (modal.blocks as Obj[]).filter((b) => b.type === 'input');
    expect(inputs.map((b) => b.block_id)).toEqual(form.fields.map((f) => f.id));
    expect(inputs.map((b) => b.element.action_id)).toEqual(form.fields.map((f) => f.id));
    return modal;
  }

  it.each([
    ['en', en],
    ['fr', fr],
  ] as const)('observation form, new and edit, with 120 cases to choose from (%s)', (_lang, t) => {
    const state = JSON.stringify({ conv: 'C01FRANCE' });
    check(observationForm(t, { mode: 'new', state, cases }));
    const text = prose(4000, 7);
    const modal = check(
      observationForm(t, {
        mode: 'edit',
        state: JSON.stringify({ conv: 'C01FRANCE', id: 42, link: 'https://acme.slack.com/archives/C01FRANCE/p1' }),
        cases,
        text,
        dimensions: ['workers', 'company'],
        stage: 'follow-up',
        caseRef: 'ACME-2003',
        innovative: true,
        confidentiality: 'secretariat',
        language: 'fr',
        sourceLink: 'https://acme.slack.com/archives/C01FRANCE/p1',
      }),
    );
    const byId = Object.fromEntries((modal.blocks as Obj[]).filter((b) => b.type === 'input').map((b) => [b.block_id, b.element]));
    expect(byId.text.initial_value).toBe(text); // the whole text, nothing cut
    expect(byId.text.max_length).toBe(4000);
    expect(byId.dimensions.initial_options.map((o: Obj) => o.value)).toEqual(['workers', 'company']);
    expect(byId.case.initial_option.value).toBe('ACME-2003');
    expect(byId.innovative.initial_option.value).toBe('yes');
    expect(byId.confidentiality.initial_option.value).toBe('secretariat');
    expect(byId.stage.initial_option.value).toBe('follow-up');
    expect(byId.language.options.map((o: Obj) => o.value)).toEqual(['de', 'en', 'fr', 'nl', 'sv']);
  });

  it.each([
    ['en', en],
    ['fr', fr],
  ] as const)('case form, plain and with a pending observation (%s)', (_lang, t) => {
    check(caseForm(t, { state: JSON.stringify({ conv: 'C01FRANCE' }) }));
    const modal = check(caseForm(t, { state: JSON.stringify({ conv: 'C01FRANCE', parked: 'p1' }), ref: 'ACME-2026', country: 'FR', withPendingObservation: true }));
    expect(modal.blocks[0].type).toBe('section');
    expect(modal.blocks[0].text.text).toBe(escape(t('caseForm.pendingObservation')));
  });

  it.each([
    ['en', en],
    ['fr', fr],
  ] as const)('profile form, empty and filled in (%s)', (_lang, t) => {
    check(profileForm(t, member({ actorType: null, organisation: null, country: null, language: null }), { country: 'FR', language: 'fr' }, '{"conv":"C01FRANCE"}'));
    const modal = check(profileForm(t, member(), { language: 'fr' }, '{"conv":"C01FRANCE"}'));
    const country = (modal.blocks as Obj[]).find((b) => b.block_id === 'country')!.element;
    expect(country.initial_option.value).toBe('FR');
  });

  it('accepts a state of exactly 3,000 characters and refuses one over it', () => {
    const form = (state: string) => caseForm(en, { state });
    expect((renderModal(form('s'.repeat(3000))) as Obj).private_metadata).toHaveLength(3000);
    expect(() => renderModal(form('s'.repeat(3001)))).toThrow(/3000/);
  });

  it('never sends a clipped label in any language', () => {
    for (const t of [en, fr]) {
      const forms = [observationForm(t, { mode: 'edit', state: '{}', cases: [] }), caseForm(t, { state: '{}' }), profileForm(t, member(), { language: 'en' }, '{}')];
      for (const form of forms) {
        const modal = renderModal(form) as Obj;
        for (const key of ['title', 'submit', 'close']) expect(modal[key].text, `${form.form} ${key}`).toBe((form as Obj)[key]);
        const labels = allStrings((modal.blocks as Obj[]).map((b) => b.label));
        expect(labels.filter((l) => l !== 'plain_text')).toEqual(form.fields.map((f) => f.label));
      }
    }
  });
});

// ---------------------------------------------------------------- Slack text back to plain text

describe('plainFromSlack', () => {
  it.each([
    ['Tom &amp; Jerry', 'Tom & Jerry'],
    ['a &lt;b&gt; c', 'a <b> c'],
    ['&amp;lt; stays as typed', '&lt; stays as typed'],
    ['see <https://a.b|label>', 'see label (https://a.b)'],
    ['see <https://a.b>', 'see https://a.b'],
    ['see <https://a.b|https://a.b>', 'see https://a.b'],
    ['see <https://a.b/?x=1&amp;y=2|the page>', 'see the page (https://a.b/?x=1&y=2)'],
    ['hi <@U123ABC>', 'hi @U123ABC'],
    ['hi <@U123ABC|camille>', 'hi @camille'],
    ['in <#C01FRANCE|general>', 'in #general'],
    ['in <#C01FRANCE|>', 'in #C01FRANCE'],
    ['<!channel> <!here> <!everyone>', '@channel @here @everyone'],
    ['write to <mailto:a@b.org|a@b.org>', 'write to a@b.org'],
  ])('%s → %s', (slack, plain) => {
    expect(plainFromSlack(slack)).toBe(plain);
  });

  it('keeps the user ids of mentions when asked, the neutral form in which commands name members', () => {
    expect(plainFromSlack('add Skills <@U123ABC|camille> <@W9Z> in <#C01FRANCE|general> &amp; more', { userIds: true })).toBe('add Skills @U123ABC @W9Z in #general & more');
  });

  it('gives back exactly what was escaped, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
        expect(plainFromSlack(escape(s))).toBe(s);
      }),
      { numRuns: 500 },
    );
  });
});
