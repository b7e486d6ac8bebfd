/**
 * The Teams renderer turns the real templates into Adaptive Cards that Teams accepts — valid against the
 * Adaptive Card 1.5 JSON Schema (test/fixtures/adaptive-card-1.5.schema.json, copied from
 * /work/shared/schemas, MIT, see adaptive-card.LICENSE), parsed without a warning by Microsoft's
 * `adaptivecards` library, within the message size budget — never loses a member's words, and never lets
 * their text format, link or mention anything.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { many, one } from '../../commands/form-values.js';
import { escape, markdown } from '../../src/channels/teams/markdown.js';
import { cardBytes, formValuesFrom, renderCard, renderFormCard, TEAMS_LIMITS, type AdaptiveCard } from '../../src/channels/teams/render.js';

import { caseForm } from '../../templates/case-form.js';
import { caseCard, caseList } from '../../templates/case-views.js';
import { helpView } from '../../templates/help.js';
import { translator } from '../../templates/i18n.js';
import { notice, problem, profilePrompt } from '../../templates/notices.js';
import { observationCard } from '../../templates/observation-card.js';
import { observationForm } from '../../templates/observation-form.js';
import { profileForm } from '../../templates/profile-form.js';
import { bold, code, italic, link, localTime, mention, plain, type FormView, type MessageView, type Span } from '../../templates/view.js';
import { domainFixtures, prose } from '../support/domain-fixtures.js';

// The date and time functions of Microsoft's renderer (ES module source without imports, so Node loads it).
import { formatText } from 'adaptivecards/lib/text-formatters.js';

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------- the two validators

/**
 * The schema declares `"$schema": "http://json-schema.org/draft-06/schema#"`: the default Ajv class
 * (draft-07) with the draft-06 meta-schema added (Ajv ships it; draft-06 and -07 validate alike).
 * Its root names itself with draft-04's `id`, which Ajv 8 refuses ("use $id"): it is renamed `$id` in
 * memory (draft-06's name; every `$ref` is local, so nothing else changes). `strict: false` because the
 * schema carries non-standard keywords (`version`, `features`) and `$ref`s with sibling keywords. It uses
 * two formats, `uri` and `uri-reference`; ajv-formats is not installed, so both are added by hand.
 *
 * The schema forbids any property it does not know on AdaptiveCard, and it does not know `msteams`,
 * the Teams host extension (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/
 * cards-format, "Full width Adaptive Card"): that one property, `{ width: 'Full' }`, is added to the
 * schema here, and nothing else.
 */
function schemaValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(new URL('../fixtures/adaptive-card-1.5.schema.json', import.meta.url), 'utf8'));
  expect(schema.$schema).toBe('http://json-schema.org/draft-06/schema#');
  schema.$id = schema.id;
  delete schema.id;
  schema.definitions.AdaptiveCard.properties.msteams = {
    type: 'object',
    properties: { width: { enum: ['Full'] } },
    additionalProperties: false,
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  const isUri = (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:\S*$/.test(s) && URL.canParse(s);
  ajv.addFormat('uri', { type: 'string', validate: isUri });
  ajv.addFormat('uri-reference', { type: 'string', validate: (s: string) => isUri(s) || URL.canParse(s, 'http://x.example/') });
  return ajv.compile(schema);
}
const validateSchema = schemaValidator();

const describeError = (e: ErrorObject) => `${e.instancePath || '(root)'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`;

/**
 * Microsoft's JS renderer library. Its `lib/` is ES modules with extension-less imports, which Node
 * cannot load; its `dist/` bundle (UMD, everything inlined) loads with `require`. Parsing needs no DOM
 * (only rendering does). Problems come from two places: the SerializationContext collects parse events
 * (unknown element or action types, invalid property values, properties newer than the target version
 * 1.5), and `validateProperties()` the checks made on a parsed card (duplicate ids, required inputs
 * without label or error message, too many actions, empty choice sets…).
 */
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

function adaptiveCardsProblems(json: object): string[] {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of card.validateProperties().validationEvents) problems.push(`validation: ${e.message}`);
  return problems;
}

const { NOW, PLATFORM, member, aCase, summary, observation } = domainFixtures('teams');

const en = translator('en');
const fr = translator('fr');

// ---------------------------------------------------------------- helpers

type Obj = Record<string, any>;

/** Valid for the schema and the adaptivecards library, within the size budget; returns it loosely typed. */
function check(card: AdaptiveCard): Obj {
  const valid = validateSchema(card);
  expect(valid ? [] : validateSchema.errors!.map(describeError)).toEqual([]);
  expect(adaptiveCardsProblems(card)).toEqual([]);
  expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
  expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', msteams: { width: 'Full' } });
  return card as Obj;
}

/** Every element of a card, depth first, Containers' items and ShowCards' cards included. */
function elements(card: Obj): Obj[] {
  const out: Obj[] = [];
  const walk = (items: Obj[] = []) => {
    for (const e of items) {
      out.push(e);
      walk(e.items);
      for (const a of (e.actions ?? []) as Obj[]) if (a.card) walk(a.card.body);
    }
  };
  walk(card.body);
  for (const a of (card.actions ?? []) as Obj[]) if (a.card) walk(a.card.body);
  return out;
}

/** Every Markdown string a card shows: TextBlocks' text, facts' titles and values. */
function markdownTexts(card: Obj): string[] {
  return elements(card).flatMap((e) => [
    ...(e.type === 'TextBlock' ? [e.text as string] : []),
    ...((e.facts ?? []) as Obj[]).flatMap((f) => [f.title as string, f.value as string]),
  ]);
}

/** Every action of a card, ShowCards' inner actions and fallbacks included. */
function actions(card: Obj): Obj[] {
  const out: Obj[] = [];
  const walk = (list: Obj[] = []) => {
    for (const a of list) {
      out.push(a);
      if (a.fallback && typeof a.fallback === 'object') out.push(a.fallback);
      if (a.card) {
        walk(a.card.actions);
        for (const e of a.card.body as Obj[]) walk(e.actions);
      }
    }
  };
  walk(card.actions);
  for (const e of card.body as Obj[]) walk(e.actions);
  return out;
}

/** What Teams shows for escaped Markdown: backslash escapes resolved, `\n\n` a line break, indents back to spaces. */
function shown(md: string): string {
  return md
    .split('\n\n')
    .map((line) => line.replace(/^\u00a0+/, (m) => ' '.repeat(m.length)).replace(/\\([!-/:-@[-`{-~])/g, '$1'))
    .join('\n');
}

/**
 * Markdown that Teams (or any CommonMark renderer) would interpret in `md`: an unescaped emphasis, code,
 * link, strikethrough, HTML or date-function character, an HTML entity, or a line that opens a heading,
 * quote, list, thematic break or code block. Empty when `md` shows as plain text.
 */
function activeMarkdown(md: string): string[] {
  const found: string[] = [];
  for (const line of md.split('\n')) {
    if (/^(#|>|[-+*]|\d+[.)]| {4}|\t)/.test(line)) found.push(`line opens with markup: ${line.slice(0, 20)}`);
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '\\') {
        i += 1;
        continue;
      }
      if ('*_[]`~<{'.includes(line[i])) found.push(`unescaped ${line[i]} at ${i} in ${line.slice(Math.max(0, i - 10), i + 10)}`);
      if (line[i] === '&' && /^&#?[a-z0-9]+;/i.test(line.slice(i))) found.push(`entity at ${i}`);
    }
  }
  return found;
}

/** The member's words as shown in the quote box of a card. */
function quoted(card: Obj): string {
  const box = (card.body as Obj[]).find((e) => e.type === 'Container' && e.style === 'emphasis')!;
  return (box.items as Obj[]).map((t) => shown(t.text)).join('\n\n');
}

// ---------------------------------------------------------------- escaping

describe('Teams Markdown', () => {
  it('shows any text exactly as typed, with its line breaks, and nothing in it is Markdown', () => {
    const alphabet = fc.constantFrom(...'ab 1.)\n*_[]()#>-+~`\\<>{}&;!|=:/'.split(''), 'é', '😀');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 80 }), (chars) => {
        const text = chars.join('');
        const md = escape(text);
        expect(activeMarkdown(md)).toEqual([]);
        expect(shown(md)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['**bold** _it_ `code` ~~strike~~', '\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~strike\\~\\~'],
    ['[x](javascript:alert(1))', '\\[x\\](javascript:alert(1))'],
    ['<at>Camille</at> <https://evil.example>', '\\<at>Camille\\</at> \\<https://evil.example>'],
    ['# title\n> quote\n- item\n+ item\n12. item\n3) item', '\\# title\n\n\\> quote\n\n\\- item\n\n\\+ item\n\n12\\. item\n\n3\\) item'],
    ['a - b + c # d > e 1. f', 'a - b + c # d > e 1. f'],
    ['    code block', '\u00a0\u00a0\u00a0\u00a0code block'],
    ['Tom &amp; Jerry & co &#38;', 'Tom \\&amp; Jerry & co \\&#38;'],
    ['{{DATE(2026-01-01T00:00:00Z, SHORT)}}', '\\{\\{DATE(2026-01-01T00:00:00Z, SHORT)}}'],
    ['line one\nline two\r\nline three', 'line one\n\nline two\n\nline three'],
  ])('escape(%j)', (text, md) => {
    expect(escape(text)).toBe(md);
  });

  it('renders the spans Teams knows, and shows mentions and code as plain text', () => {
    expect(markdown(['Hi ', bold('ACME-1'), ' and ', italic('soon'), ' ', link('the *page*', 'https://a.example/x (1)')])).toBe(
      'Hi **ACME-1** and _soon_ [the \\*page\\*](https://a.example/x%20%281%29)',
    );
    expect(markdown([mention('Camille_M', 'teams', '29:1'), ' ', code('/passerelle help')])).toBe('Camille\\_M /passerelle help');
    expect(markdown([bold(' padded '), '\n', bold('two\nlines')])).toBe('\u00a0**padded** \n\n**two**\n\n**lines**');
  });

  it('does not make a link of an address a browser should not open', () => {
    expect(markdown([link('javascript:alert(1)', 'javascript:alert(1)')])).toBe('javascript:alert(1)');
    expect(markdown([link('click', 'data:text/html,x')])).toBe('click (data:text/html,x)');
  });

  it('escapes what opens a line only where a line opens', () => {
    expect(markdown([bold('ACME-1'), ' - closure\n', '- 12 observations'])).toBe('**ACME-1** - closure\n\n\\- 12 observations');
  });
});

// ---------------------------------------------------------------- messages

describe('renderCard — the real templates as Adaptive Cards', () => {
  it.each([
    ['en', en],
    ['fr', fr],
  ] as const)('observation card (%s)', (_lang, t) => {
    const card = check(renderCard(observationCard(observation(), PLATFORM, t)));
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', size: 'Medium', weight: 'Bolder', wrap: true });
    expect(card.body[1]).toMatchObject({ type: 'Container', style: 'emphasis' });
    expect(quoted(card)).toBe(observation().text);
    const facts = (card.body as Obj[]).find((e) => e.type === 'FactSet')!.facts as Obj[];
    expect(facts.map((f) => f.title)).toEqual([t('card.author'), t('card.dimensions'), t('card.case'), t('card.stage')]);
    expect(facts[0].value).toContain('Camille Martin'); // the mention, as the member's name
    expect(facts[1].value).toContain(t('dimensions.territory'));
    expect(facts[2].value).toMatch(/^\*\*ACME-2001\*\* — /);
    expect(markdownTexts(card).join('\n')).toContain(`[${t('card.source')}](https://teams.microsoft.com/`);
    // No card-level actions: the buttons stand in the body, after the context line.
    expect(card.actions).toBeUndefined();
    expect((card.body as Obj[]).map((e) => e.type)).toEqual(['TextBlock', 'Container', 'FactSet', 'TextBlock', 'ActionSet']);
  });

  it('edit and withdraw are Action.Execute with the observation id, each with an Action.Submit fallback; withdraw asks first', () => {
    const card = check(renderCard(observationCard(observation(), PLATFORM, en)));
    const [edit, withdraw] = (card.body as Obj[]).find((e) => e.type === 'ActionSet')!.actions as Obj[];
    expect(edit).toEqual({
      type: 'Action.Execute',
      verb: 'observation.edit',
      title: en('card.edit'),
      data: { value: '42' },
      fallback: { type: 'Action.Submit', title: en('card.edit'), data: { action: 'observation.edit', value: '42' } },
    });
    // Withdraw opens a card that asks, with the real action in it.
    expect(withdraw).toMatchObject({ type: 'Action.ShowCard', title: en('card.withdraw'), style: 'destructive' });
    expect(withdraw.card.body.map((b: Obj) => shown(b.text))).toEqual([en('card.withdrawConfirmTitle'), en('card.withdrawConfirmText')]);
    expect(withdraw.card.actions).toEqual([
      {
        type: 'Action.Execute',
        verb: 'observation.withdraw',
        title: en('card.withdrawConfirmYes'),
        data: { value: '42' },
        style: 'destructive',
        fallback: {
          type: 'Action.Submit',
          title: en('card.withdrawConfirmYes'),
          data: { action: 'observation.withdraw', value: '42' },
          style: 'destructive',
        },
      },
    ]);
    const verbs = actions(card).filter((a) => a.type === 'Action.Execute').map((a) => a.verb);
    // The fixture is innovative: it may be described as a practice.
    expect(verbs).toEqual(['observation.edit', 'observation.withdraw', 'practice.describe']);
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
    const texts = markdownTexts(check(renderCard(observationCard(o, PLATFORM, en)))).join('\n');
    expect(texts).toContain('actor type not given');
    expect(texts).toContain('none');
  });

  it('withdrawn and secretariat-only cards say so, without the text', () => {
    const withdrawn = check(renderCard(observationCard(observation({ withdrawnAt: NOW }), PLATFORM, en)));
    expect(JSON.stringify(withdrawn)).not.toContain('reskilling');
    expect(markdownTexts(withdrawn).map(shown).join()).toContain('Observation #42 was withdrawn');
    const restricted = check(renderCard(observationCard(observation({ confidentiality: 'secretariat' }), PLATFORM, fr)));
    expect(JSON.stringify(restricted)).not.toContain('reskilling');
  });

  it.each([
    ['en', en],
    ['fr', fr],
  ] as const)('case card with every field and 10 sources (%s)', (_lang, t) => {
    const sources = Array.from({ length: 10 }, (_, i) => `https://news.example/articles/2026/acme-closure-${i}`);
    const card = check(renderCard(caseCard(t, summary(1, { sources, anonymised: true }))));
    const texts = markdownTexts(card).join('\n');
    for (const url of sources) expect(texts).toContain(`[${url}](${url})`);
    expect(texts).toContain('FRE1');
    expect(texts).toContain('2026-06-01 → 2027-06-01');
  });

  it('case list of 60 cases: 40 shown, and a line says 20 more', () => {
    const cases = Array.from({ length: 60 }, (_, i) => summary(i + 1));
    for (const t of [en, fr]) {
      const card = check(renderCard(caseList(t, PLATFORM, cases)));
      const texts = markdownTexts(card);
      expect(texts.filter((s) => /^\*\*ACME-\d+\*\*/.test(s))).toHaveLength(40);
      expect(texts.map(shown)).toContain(t('case.listMore', { count: 20 }));
      expect(texts.join('\n')).not.toMatch(/… \(\+\d+\)/); // the card itself had room for everything
    }
  });

  it('empty case list', () => {
    const card = check(renderCard(caseList(en, PLATFORM, [])));
    expect(markdownTexts(card).map(shown).join()).toContain('No case yet on Plateforme France');
  });

  it.each([
    ['en', en],
    ['fr', fr],
  ] as const)('help (%s), also for an unknown command typed with Markdown and a mention', (_lang, t) => {
    check(renderCard(helpView(t, COMMANDS, 'teams')));
    const card = check(renderCard(helpView(t, COMMANDS, 'teams', '<at>Everyone</at> **now** [x](https://evil.example)')));
    for (const md of markdownTexts(card)) expect(activeMarkdown(md.replace(/\*\*[^*\\]+\*\*|_[^_\\]+_/g, ''))).toEqual([]);
    expect(markdownTexts(card).map(shown).join('\n')).toContain('<at>Everyone</at> **now** [x](https://evil.example)');
  });

  it('notices, problems and the profile prompt', () => {
    const card = check(renderCard(notice([bold('Saved.'), ' See ', link('the list', 'https://x.example/l')])));
    expect(card.body[0].text).toBe('**Saved.** See [the list](https://x.example/l)');

    const lines = ['The text is too long: 4,012 characters.', 'Unknown tag #jobs_'];
    const problemCard = check(renderCard(problem(lines, [{ action: 'observation.retry', label: 'Try again', value: 'p1', style: 'primary' }])));
    expect(shown(problemCard.body[0].text)).toBe(lines.map((l) => `⚠️ ${l}`).join('\n'));
    expect(problemCard.body[1].actions[0]).toMatchObject({ type: 'Action.Execute', verb: 'observation.retry', style: 'positive', data: { value: 'p1' } });

    const prompt = check(renderCard(profilePrompt(en)));
    const open = prompt.body[1].actions[0];
    // No value: no data on Action.Execute, only the action on Action.Submit.
    expect(open).toEqual({
      type: 'Action.Execute',
      verb: 'profile.open',
      title: en('profile.open'),
      style: 'positive',
      fallback: { type: 'Action.Submit', title: en('profile.open'), data: { action: 'profile.open' }, style: 'positive' },
    });
  });

  it('several views are one card, each after the first set apart by a separator', () => {
    const help = renderCard(helpView(en, COMMANDS, 'teams')).body.length;
    const card = check(renderCard(helpView(en, COMMANDS, 'teams'), caseList(en, PLATFORM, []), notice('Done.')));
    expect(card.body).toHaveLength(help + 2);
    expect(card.body.filter((e: Obj) => e.separator).map((e: Obj) => card.body.indexOf(e))).toEqual([help, help + 1]);
    expect(card.body[help]).toMatchObject({ separator: true, text: expect.stringContaining('No case yet') });
  });

  it('a divider puts a separator on what follows it', () => {
    const view: MessageView = {
      summary: 's',
      blocks: [{ type: 'text', text: ['a'] }, { type: 'divider' }, { type: 'fields', fields: [{ label: 'L', value: ['v'] }] }, { type: 'divider' }],
    };
    const card = check(renderCard(view));
    expect(card.body).toEqual([
      { type: 'TextBlock', text: 'a', wrap: true },
      { type: 'FactSet', facts: [{ title: 'L', value: 'v' }], separator: true, spacing: 'Medium' },
    ]);
  });

  it('more buttons than fit side by side go on another row, none lost', () => {
    const buttons = Array.from({ length: 12 }, (_, i) => ({ action: 'pick', label: `Option ${i}`, value: String(i) }));
    const card = check(renderCard(notice('Pick one', buttons)));
    const sets = (card.body as Obj[]).filter((e) => e.type === 'ActionSet');
    expect(sets.map((s) => s.actions.length)).toEqual([5, 5, 2]);
    expect(sets.flatMap((s) => s.actions.map((a: Obj) => a.data.value))).toEqual(buttons.map((b) => b.value));
  });

  it('no view at all is an empty, valid card', () => {
    expect(check(renderCard()).body).toEqual([]);
  });
});

describe('renderCard — what a member typed is shown as typed', () => {
  const hostile =
    "**Not bold** and _not italic_ and `not code` ~~nor struck~~\n[click here](javascript:alert(document.cookie)) <https://evil.example>\n<at>Camille Martin</at> &amp; {{DATE(2026-01-01T00:00:00Z, SHORT)}}\n# not a heading\n> not a quote\n- not a list\n1. not a list either\n    not code\n___";

  it('observation text with Markdown, links, mentions and entities', () => {
    const o = observation({
      text: hostile,
      author: member({ organisation: '**Evil** [Co](https://evil.example) <at>All</at>' }),
      case: aCase(1, { company: '_Acme_ [x](javascript:void(0))' }),
    });
    const card = check(renderCard(observationCard(o, PLATFORM, en)));
    expect(quoted(card)).toBe(hostile);
    const box = (card.body as Obj[]).find((e) => e.type === 'Container')!;
    for (const t of box.items as Obj[]) expect(activeMarkdown(t.text)).toEqual([]);
    const facts = (card.body as Obj[]).find((e) => e.type === 'FactSet')!.facts as Obj[];
    expect(shown(facts[0].value)).toContain('**Evil** [Co](https://evil.example) <at>All</at>');
    expect(activeMarkdown(facts[0].value)).toEqual([]);
    expect(shown(facts[2].value.replace(/^\*\*ACME-2001\*\*/, ''))).toBe(' — _Acme_ [x](javascript:void(0))');
    expect(activeMarkdown(facts[2].value.replace(/^\*\*ACME-2001\*\*/, ''))).toEqual([]);
    // The heading, a plain text block, escapes too (the company is in the case card's title).
    const caseTitle = check(renderCard(caseCard(en, summary(1, { company: '# **Big** [x](https://evil.example)' })))).body[0].text;
    expect(activeMarkdown(caseTitle)).toEqual([]);
    expect(shown(caseTitle)).toContain('# **Big** [x](https://evil.example)');
  });

  it('a blank line the member typed starts a new paragraph; single line breaks are kept too', () => {
    const text = 'First line\nsecond line\n\n\nNew paragraph';
    const card = check(renderCard(observationCard(observation({ text }), PLATFORM, en)));
    const box = (card.body as Obj[]).find((e) => e.type === 'Container')!;
    expect((box.items as Obj[]).map((t) => t.text)).toEqual(['First line\n\nsecond line', 'New paragraph']);
  });

  it('a 4,000-character observation is all there, within the size budget', () => {
    const text = prose(4000);
    expect(text.length).toBe(4000);
    const card = check(renderCard(observationCard(observation({ text }), PLATFORM, en)));
    expect(quoted(card)).toBe(text);
    expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
  });

  it('4,000 characters of Markdown (each escaped, so twice as long) still fit, buttons included', () => {
    for (const text of ['*'.repeat(4000), '_['.repeat(2000), prose(4000).replace(/ /g, '*').replace(/a/g, '<')]) {
      const card = check(renderCard(observationCard(observation({ text }), PLATFORM, fr)));
      expect(quoted(card)).toBe(text);
      // Edit, withdraw and (the fixture is innovative) describe as a practice.
      expect(actions(card).filter((a) => a.type === 'Action.Execute')).toHaveLength(3);
    }
  });
});

describe('renderCard — a time each reader sees in their own time zone', () => {
  // 18:00 in Paris on 1 December 2026 is 17:00 UTC.
  const CLOSES = new Date('2026-12-01T17:00:00Z');
  const FALLBACK = '2026-12-01 18:00 (Europe/Paris)';
  const FUNCTIONS = '{{DATE(2026-12-01T17:00:00Z, SHORT)}} {{TIME(2026-12-01T17:00:00Z)}}';
  const at = (time: string, text = FALLBACK): Span => ({ text, time });

  /** What Microsoft's renderer shows for `text` on a device set to time zone `tz`. */
  function inZone(tz: string, text: string): string {
    const before = process.env.TZ;
    process.env.TZ = tz;
    try {
      return formatText('en', text) ?? '';
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  }

  it('is the DATE and TIME functions on the UTC instant, RFC 3339 with Z and no milliseconds', () => {
    expect(markdown(['Closes ', localTime(FALLBACK, CLOSES), '.'])).toBe(`Closes ${FUNCTIONS}.`);
    for (const time of ['2026-12-01T18:00:00+01:00', '2026-12-01T17:00:00.999Z', '2026-12-01T17:00Z', '2026-12-01T12:00:00-05:00']) {
      expect(markdown([at(time)])).toBe(FUNCTIONS);
    }
  });

  it('each reader sees it in their own zone (Microsoft\'s renderer, the device in Paris, New York, Tokyo)', () => {
    expect(inZone('Europe/Paris', FUNCTIONS)).toMatch(/^Tue, Dec 1, 2026 6:00\sPM$/);
    expect(inZone('America/New_York', FUNCTIONS)).toMatch(/^Tue, Dec 1, 2026 12:00\sPM$/);
    expect(inZone('Asia/Tokyo', FUNCTIONS)).toMatch(/^Wed, Dec 2, 2026 2:00\sAM$/);
  });

  it('is bold or italic around the functions', () => {
    expect(markdown([{ text: FALLBACK, time: CLOSES.toISOString(), bold: true }])).toBe(`**${FUNCTIONS}**`);
    expect(markdown([{ text: FALLBACK, time: CLOSES.toISOString(), italic: true }])).toBe(`_${FUNCTIONS}_`);
  });

  it('shows the fallback, escaped, when the time is not an instant', () => {
    for (const time of ['tomorrow', '2026-12-01', '2026-12-01T18:00', '2026-02-30T17:00:00Z', '']) {
      expect(markdown([at(time, '_soon_ {{later}}')])).toBe('\\_soon\\_ \\{\\{later}}');
    }
  });

  it('in a TextBlock, a fact\'s value and the context line, in a valid card; the summary has the fallback', () => {
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
    const card = check(renderCard(view));
    expect(markdownTexts(card)).toEqual(['Vote', `Closes ${FUNCTIONS}`, 'Closes', FUNCTIONS, FUNCTIONS]);
    for (const md of markdownTexts(card)) expect(inZone('Europe/Paris', md)).not.toContain('{{');
    expect(view.summary).toBe(`Vote on FR-1 closes ${FALLBACK}`);
  });

  it('a DATE function typed by a member stays escaped beside ours, and shows as typed', () => {
    const typed = '{{DATE(2026-01-01T00:00:00Z, SHORT)}}';
    const card = check(renderCard({ summary: 's', blocks: [{ type: 'text', text: [typed, ' closes ', localTime(FALLBACK, CLOSES)] }] }));
    const text = card.body[0].text as string;
    expect(text).toBe(`\\{\\{DATE(2026-01-01T00:00:00Z, SHORT)}} closes ${FUNCTIONS}`);
    expect(activeMarkdown(text.slice(0, -FUNCTIONS.length))).toEqual([]);
    // Microsoft's renderer formats ours and leaves the member's as typed.
    expect(shown(inZone('Europe/Paris', text))).toMatch(new RegExp(`^${typed.replace(/[{}()]/g, '\\$&')} closes Tue, Dec 1, 2026 6:00\\sPM$`));
  });
});

describe('renderCard — past the size budget', () => {
  const many = (n: number, tag = 'line', length = 200): MessageView => ({
    summary: `${n} ${tag}s`,
    blocks: Array.from({ length: n }, (_, i) => ({ type: 'text' as const, text: [`${tag} ${i} ${'x'.repeat(length)}`] })),
  });
  const note = (card: Obj) => card.body[card.body.length - 1];

  it('leaves out blocks from the end and says how many', () => {
    const card = check(renderCard(many(2000)));
    const kept = card.body.length - 1;
    expect(kept).toBeGreaterThan(50);
    expect(note(card)).toMatchObject({ type: 'TextBlock', text: `… (+${2000 - kept})`, isSubtle: true });
    expect(card.body.slice(0, kept).map((e: Obj) => e.text.split(' ').slice(0, 2).join(' '))).toEqual(
      Array.from({ length: kept }, (_, i) => `line ${i}`),
    );
    // As many as fit: one more block would not.
    const oneMore = { ...card, body: [...card.body.slice(0, kept), { type: 'TextBlock', text: `line ${kept} ${'x'.repeat(200)}`, wrap: true }, note(card)] };
    expect(cardBytes(oneMore)).toBeGreaterThan(TEAMS_LIMITS.cardBytes);
  });

  it('counts blocks of every view, dividers included', () => {
    const withDividers: MessageView = { summary: 'd', blocks: Array.from({ length: 400 }, (_, i) => (i % 2 ? { type: 'divider' as const } : many(1, `d${i}`).blocks[0])) };
    const card = check(renderCard(many(30, 'a'), withDividers, many(30, 'c')));
    const shownBlocks = card.body.length - 1;
    const kept = 30 + (card.body[shownBlocks - 1].text.startsWith('d') ? Number(/^d(\d+)/.exec(card.body[shownBlocks - 1].text)![1]) + 1 : 0);
    expect(note(card).text).toBe(`… (+${460 - kept})`);
  });

  it('keeps a card that fits as it is', () => {
    const card = check(renderCard(many(20)));
    expect(card.body).toHaveLength(20);
    expect(note(card).text).toMatch(/^line 19/);
  });

  it('a single block too big for any card is left out, and said so', () => {
    const card = check(renderCard({ summary: 'big', blocks: [{ type: 'quote', text: 'y'.repeat(20_000) }] }));
    expect(card.body).toEqual([{ type: 'TextBlock', text: '… (+1)', wrap: true, isSubtle: true, size: 'Small' }]);
  });
});

// ---------------------------------------------------------------- forms

describe('renderFormCard — the real forms', () => {
  const cases = Array.from({ length: 120 }, (_, i) => aCase(i + 1));

  function checkForm(form: FormView, options?: Parameters<typeof renderFormCard>[1]): { card: Obj; inputs: Record<string, Obj> } {
    const card = check(renderFormCard(form, options));
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: escape(form.title), weight: 'Bolder' });
    const inputs = (card.body as Obj[]).filter((e) => e.type.startsWith('Input.'));
    expect(inputs.map((i) => i.id)).toEqual(form.fields.map((f) => f.id));
    expect(inputs.map((i) => i.label)).toEqual(form.fields.map((f) => f.label));
    expect(inputs.map((i) => i.isRequired)).toEqual(form.fields.map((f) => !f.optional));
    for (const i of inputs) if (i.isRequired) expect(i.errorMessage).toBeTruthy();
    // Each hint in small print right under its input.
    for (const f of form.fields.filter((f) => f.hint)) {
      const at = (card.body as Obj[]).findIndex((e) => e.id === f.id);
      expect(card.body[at + 1]).toMatchObject({ type: 'TextBlock', isSubtle: true, size: 'Small' });
      expect(shown(card.body[at + 1].text)).toBe(f.hint);
    }
    expect(card.actions).toHaveLength(1);
    return { card, inputs: Object.fromEntries(inputs.map((i) => [i.id, i])) };
  }

  it.each([
    ['en', en],
    ['fr', fr],
  ] as const)('observation form, new and edit, with 120 cases to choose from (%s)', (_lang, t) => {
    const state = JSON.stringify({ conv: '19:france@thread.tacv2' });
    const created = checkForm(observationForm(t, { mode: 'new', state, cases }));
    expect(created.inputs.text).toMatchObject({ type: 'Input.Text', isMultiline: true, maxLength: 4000 });
    expect(created.inputs.text.value).toBeUndefined();
    expect(created.inputs.dimensions).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: true, style: 'expanded' });
    expect(created.inputs.case).toMatchObject({ type: 'Input.ChoiceSet', style: 'compact' });
    expect(created.inputs.case.choices).toHaveLength(100);
    expect(created.inputs.confidentiality).toMatchObject({ style: 'expanded', value: 'platform' });
    expect(created.inputs.confidentiality.isMultiSelect).toBeUndefined();

    const text = prose(4000, 7);
    const editState = JSON.stringify({ conv: '19:france@thread.tacv2', id: 42, link: 'https://teams.microsoft.com/l/message/1' });
    const form = observationForm(t, {
      mode: 'edit',
      state: editState,
      cases,
      text,
      dimensions: ['workers', 'company'],
      stage: 'follow-up',
      caseRef: 'ACME-2003',
      innovative: true,
      confidentiality: 'secretariat',
      language: 'fr',
      sourceLink: 'https://teams.microsoft.com/l/message/1',
    });
    const { card, inputs } = checkForm(form);
    expect(card.body[1].text).toContain('[https://teams.microsoft.com/l/message/1](https://teams.microsoft.com/l/message/1)');
    expect(inputs.text.value).toBe(text); // the whole text, nothing cut
    expect(inputs.dimensions.value).toBe('workers,company');
    expect(inputs.case.value).toBe('ACME-2003');
    expect(inputs.innovative.value).toBe('yes');
    expect(inputs.confidentiality.value).toBe('secretariat');
    expect(inputs.stage.value).toBe('follow-up');
    expect(inputs.language.choices.map((c: Obj) => c.value)).toEqual(['de', 'en', 'fr', 'nl', 'sv']);

    expect(card.actions[0]).toEqual({
      type: 'Action.Execute',
      verb: 'form:observation.form',
      title: form.submit,
      style: 'positive',
      data: { state: editState, multiSelect: ['dimensions'] },
      fallback: {
        type: 'Action.Submit',
        title: form.submit,
        style: 'positive',
        data: { action: 'form:observation.form', state: editState, multiSelect: ['dimensions'] },
      },
    });
  });

  it.each([
    ['en', en],
    ['fr', fr],
  ] as const)('case form, plain and with a pending observation (%s)', (_lang, t) => {
    const plainForm = checkForm(caseForm(t, { state: '{"conv":"19:x"}' }));
    expect(plainForm.inputs.headcountBefore).toMatchObject({ type: 'Input.Number', min: 0, isRequired: false });
    expect(plainForm.inputs.announcedOn).toMatchObject({ type: 'Input.Date', isRequired: false });
    expect(plainForm.inputs.ref).toMatchObject({ type: 'Input.Text', maxLength: 40, isRequired: true });
    const { card, inputs } = checkForm(caseForm(t, { state: '{"conv":"19:x","parked":"p1"}', ref: 'ACME-2026', country: 'FR', withPendingObservation: true }));
    expect(shown(card.body[1].text)).toBe(t('caseForm.pendingObservation'));
    expect(inputs.ref.value).toBe('ACME-2026');
    expect(inputs.country.value).toBe('FR');
  });

  it.each([
    ['en', en],
    ['fr', fr],
  ] as const)('profile form, empty and filled in (%s)', (_lang, t) => {
    const empty = checkForm(profileForm(t, member({ actorType: null, organisation: null, country: null, language: null }), { country: 'FR', language: 'fr' }, '{}'));
    expect(empty.inputs.actorType.value).toBeUndefined();
    expect(empty.inputs.country.value).toBe('FR');
    const filled = checkForm(profileForm(t, member(), { language: 'fr' }, '{"conv":"19:x"}'), { required: t('errors.required') });
    expect(filled.inputs.organisation.value).toBe('CFDT Métallurgie');
    expect(filled.inputs.actorType).toMatchObject({ value: 'union', errorMessage: t('errors.required') });
  });

  it('in a dialog, the submit button is an Action.Submit carrying the form and its state', () => {
    const form = caseForm(en, { state: '{"conv":"19:x"}' });
    const { card } = checkForm(form, { inDialog: true });
    expect(card.actions).toEqual([{ type: 'Action.Submit', title: form.submit, style: 'positive', data: { action: 'form:case.form', state: '{"conv":"19:x"}' } }]);
  });

  it('numbers, dates and initial values that are not among the choices', () => {
    const form: FormView = {
      form: 'test.form',
      title: 'Test',
      submit: 'Send',
      close: 'Cancel',
      state: '',
      fields: [
        { type: 'number', id: 'n', label: 'N', min: 1, value: 3 },
        { type: 'date', id: 'd', label: 'D', value: '2026-06-01' },
        { type: 'date', id: 'bad', label: 'Bad', value: '01/06/2026', optional: true },
        { type: 'select', id: 's', label: 'S', choices: [{ value: 'a', label: 'A' }], value: 'zzz' },
        { type: 'checkboxes', id: 'c', label: 'C', choices: [{ value: 'a', label: 'A' }], value: ['a', 'zzz'] },
      ],
    };
    const { inputs } = checkForm(form);
    expect(inputs.n).toMatchObject({ type: 'Input.Number', min: 1, value: 3 });
    expect(inputs.d.value).toBe('2026-06-01');
    expect(inputs.bad.value).toBeUndefined();
    expect(inputs.s.value).toBeUndefined();
    expect(inputs.c.value).toBe('a');
  });

  it('refuses a state over 3,000 characters, a reserved field id and a multi-select value with a comma', () => {
    const form = (over: Partial<FormView>) => ({ ...caseForm(en, { state: '' }), ...over });
    expect(renderFormCard(form({ state: 's'.repeat(3000) })).actions![0].data).toEqual({ state: 's'.repeat(3000) });
    expect(() => renderFormCard(form({ state: 's'.repeat(3001) }))).toThrow(/3000/);
    expect(() => renderFormCard(form({ fields: [{ type: 'text', id: 'state', label: 'State' }] }))).toThrow(/reserved/);
    expect(() => renderFormCard(form({ fields: [{ type: 'checkboxes', id: 'x', label: 'X', choices: [{ value: 'a,b', label: 'AB' }] }] }))).toThrow(/comma/);
  });
});

describe('formValuesFrom', () => {
  const state = '{"conv":"19:x","id":42}';
  const form = observationForm(en, { mode: 'edit', state, cases: [aCase(3)] });
  const submitted = { text: 'The council **funded** it', dimensions: 'workers,territory', stage: '', case: 'ACME-2003', innovative: 'yes', confidentiality: 'platform', language: 'fr' };
  const expected = { text: 'The council **funded** it', dimensions: ['workers', 'territory'], stage: undefined, case: 'ACME-2003', innovative: 'yes', confidentiality: 'platform', language: 'fr' };

  it('reads an Action.Execute submission: multi-select split, empty as absent, reserved keys gone', () => {
    const execute = renderFormCard(form).actions![0] as Obj;
    // Teams merges the inputs into the action's data.
    const data = { ...execute.data, ...submitted };
    expect(formValuesFrom(data)).toEqual(expected);
    expect(formValuesFrom(data, form)).toEqual(expected);
    const values = formValuesFrom(data);
    expect(many(values, 'dimensions')).toEqual(['workers', 'territory']);
    expect(one(values, 'stage')).toBeUndefined();
  });

  it('reads the Action.Submit fallback and a dialog submission the same way', () => {
    const fallback = (renderFormCard(form).actions![0] as Obj).fallback;
    const withMsteams = { ...fallback.data, ...submitted, msteams: { type: 'messageBack' }, verb: 'x' };
    expect(formValuesFrom(withMsteams)).toEqual(expected);
    const dialog = renderFormCard(form, { inDialog: true }).actions![0] as Obj;
    expect(formValuesFrom({ ...dialog.data, ...submitted })).toEqual(expected);
  });

  it('takes the multi-select fields from the form or a list of ids when the data does not say', () => {
    expect(formValuesFrom({ state, ...submitted }, form)).toEqual(expected);
    expect(formValuesFrom({ state, ...submitted }, ['dimensions'])).toEqual(expected);
    expect(formValuesFrom({ state, ...submitted }).dimensions).toBe('workers,territory');
  });

  it('with a form, one entry per field: missing ones absent, unknown keys ignored', () => {
    const values = formValuesFrom({ state, text: 'x', dimensions: '', intruder: 'y' }, form);
    expect(Object.keys(values)).toEqual(form.fields.map((f) => f.id));
    expect(values).toMatchObject({ text: 'x', dimensions: undefined, stage: undefined });
    expect(values).not.toHaveProperty('intruder');
  });

  it('reads numbers and booleans as strings, and drops what is not a value', () => {
    expect(formValuesFrom({ n: 3, b: true, o: { x: 1 }, a: ['p', 'q'] })).toEqual({ n: '3', b: 'true', o: undefined, a: 'p,q' });
  });
});

describe('the observation form in Teams, at its largest', () => {
  it('stays within 40 KB with a 4,000-character text full of characters to escape and the 50 cases the command offers', () => {
    const cases = Array.from({ length: 50 }, (_, i) => ({ ref: `CASE-${String(i).padStart(36, '0')}`, company: 'Ä'.repeat(120) }));
    const form = observationForm(translator('fr'), {
      mode: 'edit',
      state: JSON.stringify({ conv: '19:abc@thread.tacv2', id: 1, link: `https://teams.microsoft.com/l/message/${'x'.repeat(200)}` }),
      cases,
      text: '"\\*_[]<>&\n'.repeat(400),
      dimensions: ['workers', 'territory', 'company'],
      caseRef: cases[0].ref,
      sourceLink: `https://teams.microsoft.com/l/message/${'x'.repeat(200)}`,
    });
    expect(cardBytes(renderFormCard(form))).toBeLessThan(TEAMS_LIMITS.messageBytes);
  });
});
