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

/** The plain text of a rich run, for summaries and fallbacks. */
export function plain(rich: Rich): string {
  return rich.map((s) => (typeof s === 'string' ? s : s.text)).join('');
}
