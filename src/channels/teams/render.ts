/**
 * The Teams renderer: neutral views (templates/view.ts) to Adaptive Cards, and a card's submitted
 * inputs back to neutral form values. Teams' limits are applied here, never silently: a card past
 * the size budget says how many blocks it left out.
 *
 * Buttons and form submissions are `Action.Execute` (Universal Actions: an `adaptiveCard/action`
 * invoke whose `verb` names the handler), each with an `Action.Submit` fallback carrying the same
 * `action` for clients without Universal Actions (a message activity whose `value` is the data).
 */
import type { Block, Button, FormField, FormValues, FormView, MessageView } from '../../../templates/view.js';
import { truncate } from '../../util/text.js';
import { escape, markdown } from './markdown.js';

export const TEAMS_LIMITS = {
  /**
   * Adaptive Card schema version. Teams renders 1.5 and earlier (learn.microsoft.com/microsoft-copilot-studio/
   * guidance/adaptive-cards-overview: "Teams is also limited to version 1.5"); 1.5 brings Action.Execute
   * with Teams' Universal Actions.
   */
  cardVersion: '1.5',
  /**
   * A bot message, the whole activity "encoded as UTF-16": 40 KB, or Teams answers 413 MessageSizeTooBig.
   * msteams-docs cards-format.md: "doesn't exceed 28 KB for Incoming Webhooks and 40 KB for a bot message";
   * format-your-bot-messages.md said 40 KB and now says 100 KB — the older, lower figure is kept, since
   * clients and tenants do not all move at once. 28 KB is the webhook / Power Automate figure, not ours.
   */
  messageBytes: 40 * 1024,
  /** The card's share of a message: 4 KB are left for the activity around it (summary text, ids, envelope). */
  cardBytes: 36 * 1024,
  /** Buttons side by side: the adaptivecards host config default (`actions.maxActions`); more go in another row. */
  actionsPerSet: 5,
  /** A form's opaque state, as the neutral model promises every channel (Slack's private_metadata). */
  formState: 3000,
  /** A choice's title in an Input.ChoiceSet (same figure as Slack's option text). */
  choiceTitle: 75,
} as const;

export type CardElement = { type: string } & Record<string, unknown>;
export type CardAction = { type: `Action.${string}` } & Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: typeof TEAMS_LIMITS.cardVersion;
  body: CardElement[];
  actions?: CardAction[];
  msteams: { width: 'Full' };
}

/** A card's size as Teams counts it: UTF-16, two bytes per code unit of its JSON. */
export const cardBytes = (card: object): number => JSON.stringify(card).length * 2;

const card = (body: CardElement[], actions?: CardAction[]): AdaptiveCard => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: TEAMS_LIMITS.cardVersion,
  body,
  ...(actions?.length ? { actions } : {}),
  msteams: { width: 'Full' },
});

const textBlock = (text: string, more: Record<string, unknown> = {}): CardElement => ({ type: 'TextBlock', text, wrap: true, ...more });
const heading = (text: string): CardElement => textBlock(escape(text), { size: 'Medium', weight: 'Bolder' });
const small = (text: string): CardElement => textBlock(text, { isSubtle: true, size: 'Small' });

/**
 * A member's own words, shown as typed in an emphasised box: one TextBlock per paragraph (a blank
 * line typed between them), the lines of a paragraph kept apart.
 */
function quote(text: string): CardElement {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/^\n+|\n+$/g, ''))
    .filter((p) => p.trim() !== '');
  return { type: 'Container', style: 'emphasis', items: (paragraphs.length ? paragraphs : ['']).map((p) => textBlock(escape(p))) };
}

type ActionStyle = 'positive' | 'destructive';
const styleOf = (b: Button): ActionStyle | undefined => (b.style === 'primary' ? 'positive' : b.style === 'danger' ? 'destructive' : undefined);

/** Action.Execute with its Action.Submit fallback: `verb` / `data.action` name the handler. */
function execute(verb: string, title: string, data: Record<string, unknown>, style?: ActionStyle): CardAction {
  const styled = style ? { style } : {};
  return {
    type: 'Action.Execute',
    verb,
    title,
    ...(Object.keys(data).length ? { data } : {}),
    ...styled,
    fallback: { type: 'Action.Submit', title, data: { action: verb, ...data }, ...styled },
  };
}

function button(b: Button): CardAction {
  const data = b.value !== undefined ? { value: b.value } : {};
  const style = styleOf(b);
  if (b.url) return { type: 'Action.OpenUrl', title: b.label, url: b.url, ...(style ? { style } : {}) };
  if (!b.confirm) return execute(b.action, b.label, data, style);
  // Teams has no confirmation dialog for a card button: the button opens a card below it that
  // asks, and holds the real action. Pressing the button again closes it (there is no "no").
  return {
    type: 'Action.ShowCard',
    title: b.label,
    ...(style ? { style } : {}),
    card: {
      type: 'AdaptiveCard',
      body: [textBlock(escape(b.confirm.title), { weight: 'Bolder' }), textBlock(escape(b.confirm.text))],
      actions: [execute(b.action, b.confirm.yes, data, style)],
    },
  };
}

/** One block as card elements; a divider has none: it puts a separator on what follows. */
function block(b: Exclude<Block, { type: 'divider' }>): CardElement[] {
  switch (b.type) {
    case 'heading':
      return [heading(b.text)];
    case 'text':
      return [textBlock(markdown(b.text))];
    case 'quote':
      return [quote(b.text)];
    case 'fields':
      // A fact's value is Markdown like a TextBlock's, date functions included: a `time` span is
      // shown in the reader's zone there too (see `dateFunctions` in markdown.ts).
      return [{ type: 'FactSet', facts: b.fields.map((f) => ({ title: escape(f.label), value: markdown(f.value) })) }];
    case 'context':
      return [small(markdown(b.text))];
    case 'buttons': {
      const sets: CardElement[] = [];
      for (let i = 0; i < b.buttons.length; i += TEAMS_LIMITS.actionsPerSet) {
        sets.push({ type: 'ActionSet', actions: b.buttons.slice(i, i + TEAMS_LIMITS.actionsPerSet).map(button) });
      }
      return sets;
    }
  }
}

const separated = (e: CardElement): CardElement => ({ ...e, separator: true, spacing: 'Medium' });
const leftOut = (n: number): CardElement => small(`… (+${n})`);

/**
 * One or more neutral views as one card (several replies shown together), each view after the
 * first set apart by a separator. Buttons stand where their block stands. Past the size budget
 * (TEAMS_LIMITS.cardBytes) blocks are left out from the end and a last line says how many.
 */
export function renderCard(...views: MessageView[]): AdaptiveCard {
  const blocks = cardBlocks(views);
  const full = card(blocks.flat());
  if (cardBytes(full) <= TEAMS_LIMITS.cardBytes) return full;
  return cutToBudget(blocks);
}

/** Whether the views make one card within the size budget, nothing left out. */
export function fitsOneCard(...views: MessageView[]): boolean {
  return cardBytes(card(cardBlocks(views).flat())) <= TEAMS_LIMITS.cardBytes;
}

/** The elements of every block, in order; dividers and view boundaries mark the next element. */
function cardBlocks(views: MessageView[]): CardElement[][] {
  const blocks: CardElement[][] = [];
  for (const [i, view] of views.entries()) {
    let separate = i > 0;
    for (const b of view.blocks) {
      if (b.type === 'divider') {
        separate = true;
        blocks.push([]);
        continue;
      }
      const elements = block(b);
      if (separate && elements.length) {
        elements[0] = separated(elements[0]);
        separate = false;
      }
      blocks.push(elements);
    }
  }
  return blocks;
}

/** A card too big for the budget: the longest run of first blocks that fits with the "… (+N)" line. */
function cutToBudget(blocks: CardElement[][]): AdaptiveCard {
  const sizes = blocks.map((els) => els.reduce((n, e) => n + (JSON.stringify(e).length + 1) * 2, 0));
  const base = cardBytes(card([]));
  let kept = blocks.length;
  let size = sizes.reduce((a, b) => a + b, 0);
  const fits = (k: number, s: number) => base + s + cardBytes(leftOut(blocks.length - k)) <= TEAMS_LIMITS.cardBytes;
  while (kept > 0 && !fits(kept, size)) size -= sizes[--kept];
  // A divider left last would show nothing: it counts among those left out.
  while (kept > 0 && blocks[kept - 1].length === 0) kept -= 1;
  let out = card([...blocks.slice(0, kept).flat(), leftOut(blocks.length - kept)]);
  // The sum above is exact up to a comma; make sure.
  while (kept > 0 && cardBytes(out) > TEAMS_LIMITS.cardBytes) {
    kept -= 1;
    out = card([...blocks.slice(0, kept).flat(), leftOut(blocks.length - kept)]);
  }
  return out;
}

// ---------------------------------------------------------------- forms

/** Keys of a form's action data that are not field values. */
const RESERVED = new Set(['state', 'action', 'verb', 'msteams', 'multiSelect']);
/** Data key listing the multi-select fields, so that `formValuesFrom` can split them without the form. */
const MULTI_KEY = 'multiSelect';

export interface FormCardOptions {
  /**
   * In a Teams dialog (task module) only Action.Submit works (its data comes back as `task/submit` /
   * `composeExtension/submitAction`): the submit button is then an Action.Submit, no Action.Execute.
   */
  inDialog?: boolean;
  /** Shown under a required input left empty, e.g. `t('errors.required')`; the field's label if not given. */
  required?: string;
}

/** A choice's label is cut at 75 characters (as Slack cuts options): longer labels do not read in a picker, and weigh on the 40 KB. */
const choices = (f: { choices: Array<{ value: string; label: string }> }) =>
  f.choices.map((c) => ({ title: truncate(c.label, TEAMS_LIMITS.choiceTitle), value: c.value }));
const known = (f: { choices: Array<{ value: string }> }, value: string | undefined) => (value !== undefined && f.choices.some((c) => c.value === value) ? value : undefined);

function input(f: FormField): CardElement {
  switch (f.type) {
    case 'text':
      return {
        type: 'Input.Text',
        ...(f.multiline ? { isMultiline: true } : {}),
        ...(f.maxLength ? { maxLength: f.maxLength } : {}),
        ...(f.placeholder ? { placeholder: f.placeholder } : {}),
        ...(f.value ? { value: f.value } : {}),
      };
    case 'number':
      return { type: 'Input.Number', ...(f.min !== undefined ? { min: f.min } : {}), ...(f.value !== undefined ? { value: f.value } : {}) };
    case 'date':
      return { type: 'Input.Date', ...(f.value && /^\d{4}-\d{2}-\d{2}$/.test(f.value) ? { value: f.value } : {}) };
    case 'time':
      return { type: 'Input.Time', ...(f.value && /^\d{2}:\d{2}$/.test(f.value) ? { value: f.value } : {}) };
    case 'select': {
      const value = known(f, f.value);
      return { type: 'Input.ChoiceSet', style: 'compact', wrap: true, choices: choices(f), ...(value ? { value } : {}) };
    }
    case 'radio': {
      const value = known(f, f.value);
      return { type: 'Input.ChoiceSet', style: 'expanded', wrap: true, choices: choices(f), ...(value ? { value } : {}) };
    }
    case 'checkboxes': {
      // Teams sends the chosen values joined by commas: a value with a comma could not be told apart.
      const comma = f.choices.find((c) => c.value.includes(','));
      if (comma) throw new Error(`form field ${f.id}: choice value "${comma.value}" contains a comma`);
      const value = (f.value ?? []).filter((v) => known(f, v) !== undefined).join(',');
      return { type: 'Input.ChoiceSet', isMultiSelect: true, style: 'expanded', wrap: true, choices: choices(f), ...(value ? { value } : {}) };
    }
  }
}

/**
 * A neutral form as a card: each field an input whose id is the field id, its hint in small print
 * below it, and one submit button whose data carries the form's state (and which fields are
 * multi-select). `form.close` has no counterpart: a card in the conversation has nothing to close,
 * a dialog has its own close button.
 */
export function renderFormCard(form: FormView, options: FormCardOptions = {}): AdaptiveCard {
  if (form.state.length > TEAMS_LIMITS.formState) throw new Error(`form ${form.form}: state over ${TEAMS_LIMITS.formState} characters`);
  for (const f of form.fields) if (RESERVED.has(f.id)) throw new Error(`form ${form.form}: field id "${f.id}" is reserved`);

  const body: CardElement[] = [heading(form.title), ...(form.intro ? [textBlock(markdown(form.intro))] : [])];
  for (const f of form.fields) {
    body.push({
      ...input(f),
      id: f.id,
      label: f.label,
      isRequired: !f.optional,
      ...(f.optional ? {} : { errorMessage: options.required ?? f.label }),
    });
    if (f.hint) body.push(small(escape(f.hint)));
  }

  const multi = form.fields.filter((f) => f.type === 'checkboxes').map((f) => f.id);
  const data = { state: form.state, ...(multi.length ? { [MULTI_KEY]: multi } : {}) };
  const verb = `form:${form.form}`;
  const submit: CardAction = options.inDialog
    ? { type: 'Action.Submit', title: form.submit, style: 'positive', data: { action: verb, ...data } }
    : execute(verb, form.submit, data, 'positive');
  return card(body, [submit]);
}

/** What a value in a card's action data says, as a form value: empty means absent. */
function valueOf(raw: unknown, multi: boolean): string | string[] | undefined {
  const strings = (Array.isArray(raw) ? raw : [raw]).flatMap((v) =>
    typeof v === 'string' ? [v] : typeof v === 'number' || typeof v === 'boolean' ? [String(v)] : [],
  );
  if (multi) {
    const values = strings.flatMap((s) => s.split(',')).filter((s) => s !== '');
    return values.length ? values : undefined;
  }
  const value = strings.join(',');
  return value === '' ? undefined : value;
}

/**
 * A card's submitted data (Action.Execute's `action.data`, Action.Submit's `value`, a dialog's
 * `data`) as neutral form values. Teams sends every input as a string, a multi-select one as its
 * values joined by commas: those are split. Which fields are multi-select is read from the data
 * (renderFormCard writes it there), from `fields` if given — the form, or the ids of its
 * multi-select fields. With a form, there is one entry per field of the form and nothing else;
 * without, one per key of the data but the reserved ones (`state`, `action`, `verb`, `msteams`, …).
 */
export function formValuesFrom(data: Record<string, unknown>, fields?: FormView | readonly string[]): FormValues {
  const form = fields && 'fields' in fields ? fields : undefined;
  const hinted = data[MULTI_KEY];
  const multi = new Set<string>([
    ...(Array.isArray(hinted) ? hinted.filter((id): id is string => typeof id === 'string') : []),
    ...(form ? form.fields.filter((f) => f.type === 'checkboxes').map((f) => f.id) : ((fields as readonly string[] | undefined) ?? [])),
  ]);
  const ids = form ? form.fields.map((f) => f.id) : Object.keys(data).filter((k) => !RESERVED.has(k));
  const out: FormValues = {};
  for (const id of ids) out[id] = valueOf(data[id], multi.has(id));
  return out;
}
