/**
 * The neutral message model. Every message the bot sends is built as one of these views by a
 * template in this folder, then rendered to Block Kit (src/channels/slack/render) or, later,
 * to an Adaptive Card (Teams). Nothing here knows either format.
 */

/** A run of text. Plain strings are shown as typed: renderers escape them. */
export type Span =
  | string
  | {
      text: string;
      bold?: true;
      italic?: true;
      code?: true;
      link?: string;
      /** A chat user: the channel they belong to shows them as a live mention, others as `text`. */
      mention?: { channel: 'slack' | 'teams'; id: string };
      /** Text taken out, in a difference between two texts (struck through, or marked [-so-]). */
      deleted?: true;
      /** Text put in, in a difference between two texts (in bold, or marked {+so+}). */
      inserted?: true;
      /**
       * An instant, ISO 8601 with `Z` or an offset (`2026-12-01T17:00:00Z`): each reader sees it in
       * their own time zone, as their chat tool writes dates (Slack `<!date^…>`, Teams `{{DATE()}}
       * {{TIME()}}`). `text` is the fallback, shown where that cannot be done (plain text, summaries,
       * Slack clients without date formatting; a Teams card has no fallback for it): the same instant in
       * the platform's zone, e.g. `2026-12-01 18:00 (Europe/Paris)`. Combines with `bold` and `italic`
       * only; a `time` that is not such an instant shows as `text`.
       */
      time?: string;
    };
export type Rich = Span[];

export interface Button {
  /** Which handler receives the click, e.g. `observation.withdraw`. */
  action: string;
  label: string;
  /** Opaque data handed back with the click. */
  value?: string;
  style?: 'primary' | 'danger';
  /** Ask before acting. */
  confirm?: { title: string; text: string; yes: string; no: string };
  /** Opens this address in the browser (Slack link button, Teams Action.OpenUrl); Slack also reports the click to `action`. */
  url?: string;
}

export type Block =
  | { type: 'heading'; text: string }
  | { type: 'text'; text: Rich }
  /** A member's own words, shown verbatim. */
  | { type: 'quote'; text: string }
  | { type: 'fields'; fields: Array<{ label: string; value: Rich }> }
  | { type: 'context'; text: Rich }
  | { type: 'divider' }
  | { type: 'buttons'; buttons: Button[] };

export interface MessageView {
  /** A one-line plain summary: notifications, screen readers, clients that show no cards. */
  summary: string;
  blocks: Block[];
  /**
   * A file to share instead of a message, where the channel can (Slack: uploaded into the
   * conversation, `summary` as its comment). Channels that cannot share files show the blocks.
   */
  file?: { name: string; title: string; mimeType: string; content: string };
}

export interface Choice {
  value: string;
  label: string;
}

interface FieldBase {
  id: string;
  label: string;
  optional?: boolean;
  hint?: string;
}

export type FormField =
  | (FieldBase & { type: 'text'; value?: string; multiline?: boolean; maxLength?: number; placeholder?: string })
  | (FieldBase & { type: 'number'; value?: number; min?: number })
  | (FieldBase & { type: 'date'; value?: string })
  /** A time of day, HH:MM. */
  | (FieldBase & { type: 'time'; value?: string })
  | (FieldBase & { type: 'select'; choices: Choice[]; value?: string })
  | (FieldBase & { type: 'checkboxes'; choices: Choice[]; value?: string[] })
  | (FieldBase & { type: 'radio'; choices: Choice[]; value?: string });

export interface FormView {
  /** Which handler receives the submission, e.g. `observation.form`. */
  form: string;
  title: string;
  submit: string;
  close: string;
  /** Opaque state handed back with the submission (at most 3,000 characters). */
  state: string;
  intro?: Rich;
  fields: FormField[];
}

/** What a form submission carries back, whatever the channel: one entry per field id. */
export type FormValues = Record<string, string | string[] | undefined>;

export const bold = (text: string): Span => ({ text, bold: true });
export const italic = (text: string): Span => ({ text, italic: true });
export const code = (text: string): Span => ({ text, code: true });
export const link = (text: string, url: string): Span => ({ text, link: url });
export const mention = (text: string, channel: 'slack' | 'teams', id: string): Span => ({ text, mention: { channel, id } });
/** An instant each reader sees in their own time zone; `fallback` says it in the platform's zone. */
export const localTime = (fallback: string, at: Date): Span => ({ text: fallback, time: at.toISOString() });

/** An ISO 8601 instant: a date, a time to the minute or finer, and `Z` or an offset (never a floating local time). */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/**
 * The instant of a span's `time`, or undefined when it has none or it is not an ISO 8601 instant
 * (renderers then show `text`). A day the month does not have (`02-30`, which Date would roll over
 * to March) is refused too.
 */
export function instantOf(span: Span): Date | undefined {
  if (typeof span === 'string' || span.time === undefined) return undefined;
  const m = INSTANT.exec(span.time);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return undefined;
  const at = new Date(span.time);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** The plain text of a rich run, for summaries and fallbacks: a `time` span gives its fallback `text`. */
export function plain(rich: Rich): string {
  return rich.map((s) => (typeof s === 'string' ? s : s.text)).join('');
}
