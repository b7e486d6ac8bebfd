/**
 * The Slack renderer: neutral views (templates/view.ts) to Block Kit messages and modals, and
 * modal state back to neutral form values. Slack's limits are applied here, never silently:
 * long text is split over several sections, and a message past 50 blocks says what it left out.
 */
import type { Block, Button, FormField, FormValues, FormView, MessageView } from '../../../templates/view.js';
import { split, truncate } from '../../util/text.js';
import { escape, mrkdwn } from './mrkdwn.js';

export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  modalTitle: 24,
  optionText: 75,
  selectOptions: 100,
  checkboxOptions: 10,
  label: 2000,
  hint: 2000,
  privateMetadata: 3000,
  confirmTitle: 100,
  confirmText: 300,
  fallbackText: 3000,
} as const;

type SlackBlock = Record<string, unknown>;

const plainText = (text: string, max: number) => ({ type: 'plain_text', text: truncate(text, max), emoji: true });
const section = (text: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** Template text (already mrkdwn) over several sections if it must: templates keep it short. */
const sections = (text: string): SlackBlock[] => split(text, LIMITS.sectionText).map(section);

/**
 * A member's own words as a quote, split before escaping so that no piece cuts an escape or an
 * emoji in half and every piece stays quoted: `> ` opens each piece and follows each line break.
 */
function quote(text: string): SlackBlock[] {
  const size = (ch: string) => (ch === '\n' ? 3 : escape(ch).length);
  return split(text, LIMITS.sectionText - 2, size).map((piece) => section(`> ${escape(piece).replace(/\n/g, '\n> ')}`));
}

function button(b: Button, actionId: string): SlackBlock {
  return {
    type: 'button',
    action_id: actionId,
    text: plainText(b.label, LIMITS.buttonText),
    ...(b.value !== undefined ? { value: b.value.slice(0, LIMITS.buttonValue) } : {}),
    ...(b.url ? { url: b.url.slice(0, LIMITS.buttonUrl) } : {}),
    ...(b.style ? { style: b.style } : {}),
    ...(b.confirm
      ? {
          confirm: {
            title: plainText(b.confirm.title, LIMITS.confirmTitle),
            text: plainText(b.confirm.text, LIMITS.confirmText),
            confirm: plainText(b.confirm.yes, 30),
            deny: plainText(b.confirm.no, 30),
            ...(b.style === 'danger' ? { style: 'danger' } : {}),
          },
        }
      : {}),
  };
}

/** Slack wants action ids unique within a block; `#n` tells apart buttons of one action. */
export const actionOf = (actionId: string) => actionId.split('#')[0];

function block(b: Block): SlackBlock[] {
  switch (b.type) {
    case 'heading':
      return [{ type: 'header', text: plainText(b.text, LIMITS.headerText) }];
    case 'text':
      return sections(mrkdwn(b.text));
    case 'quote':
      return quote(b.text);
    case 'fields': {
      const fields = b.fields.map((f) => ({ type: 'mrkdwn', text: truncate(`*${escape(f.label)}*\n${mrkdwn(f.value)}`, LIMITS.fieldText) }));
      const out: SlackBlock[] = [];
      for (let i = 0; i < fields.length; i += LIMITS.fieldsPerSection) {
        out.push({ type: 'section', fields: fields.slice(i, i + LIMITS.fieldsPerSection) });
      }
      return out;
    }
    case 'context':
      return [{ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(mrkdwn(b.text), LIMITS.sectionText) }] }];
    case 'divider':
      return [{ type: 'divider' }];
    case 'buttons': {
      const seen = new Map<string, number>();
      const elements = b.buttons.slice(0, 25).map((btn) => {
        const n = seen.get(btn.action) ?? 0;
        seen.set(btn.action, n + 1);
        return button(btn, n ? `${btn.action}#${n}` : btn.action);
      });
      return [{ type: 'actions', elements }];
    }
  }
}

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** How many Block Kit blocks the views make as one message, before any is left out (at most LIMITS.messageBlocks fit). */
export function blockCount(...views: MessageView[]): number {
  return views.reduce((n, view, i) => n + (i ? 1 : 0) + view.blocks.flatMap(block).length, 0);
}

/**
 * One or more neutral views as one Slack message (several replies are shown together). The
 * fallback `text` (notifications) is escaped: a member's words never become a mention there.
 * Past 50 blocks the last one says how many were left out (templates keep well below).
 */
export function renderMessage(...views: MessageView[]): SlackMessage {
  let blocks = views.flatMap((view, i) => [...(i ? [{ type: 'divider' }] : []), ...view.blocks.flatMap(block)]);
  if (blocks.length > LIMITS.messageBlocks) {
    const left = blocks.length - (LIMITS.messageBlocks - 1);
    blocks = [...blocks.slice(0, LIMITS.messageBlocks - 1), { type: 'context', elements: [{ type: 'mrkdwn', text: `… (+${left})` }] }];
  }
  return { text: truncate(escape(views.map((v) => v.summary).join(' · ')), LIMITS.fallbackText), blocks };
}

const option = (c: { value: string; label: string }) => ({ text: plainText(c.label, LIMITS.optionText), value: c.value });

function element(f: FormField): SlackBlock {
  switch (f.type) {
    case 'text':
      return {
        type: 'plain_text_input',
        action_id: f.id,
        multiline: !!f.multiline,
        ...(f.maxLength ? { max_length: f.maxLength } : {}),
        ...(f.value ? { initial_value: f.value.slice(0, f.maxLength ?? 3000) } : {}),
        ...(f.placeholder ? { placeholder: plainText(f.placeholder, 150) } : {}),
      };
    case 'number':
      return {
        type: 'number_input',
        action_id: f.id,
        is_decimal_allowed: false,
        ...(f.min !== undefined ? { min_value: String(f.min) } : {}),
        ...(f.value !== undefined ? { initial_value: String(f.value) } : {}),
      };
    case 'date':
      return { type: 'datepicker', action_id: f.id, ...(f.value ? { initial_date: f.value } : {}) };
    case 'time':
      return { type: 'timepicker', action_id: f.id, ...(f.value ? { initial_time: f.value } : {}) };
    case 'select': {
      const options = f.choices.slice(0, LIMITS.selectOptions).map(option);
      const initial = options.find((o) => o.value === f.value);
      return { type: 'static_select', action_id: f.id, options, ...(initial ? { initial_option: initial } : {}) };
    }
    case 'checkboxes': {
      const options = f.choices.slice(0, LIMITS.checkboxOptions).map(option);
      const initial = options.filter((o) => f.value?.includes(o.value));
      return { type: 'checkboxes', action_id: f.id, options, ...(initial.length ? { initial_options: initial } : {}) };
    }
    case 'radio': {
      const options = f.choices.slice(0, LIMITS.checkboxOptions).map(option);
      const initial = options.find((o) => o.value === f.value);
      return { type: 'radio_buttons', action_id: f.id, options, ...(initial ? { initial_option: initial } : {}) };
    }
  }
}

/** A neutral form as a Slack modal; each field is an input block whose block id is the field id. */
export function renderModal(form: FormView): SlackBlock {
  if (form.state.length > LIMITS.privateMetadata) throw new Error(`form ${form.form}: state over ${LIMITS.privateMetadata} characters`);
  const blocks: SlackBlock[] = [
    ...(form.intro ? sections(mrkdwn(form.intro)) : []),
    ...form.fields.map((f) => ({
      type: 'input',
      block_id: f.id,
      label: plainText(f.label, LIMITS.label),
      optional: !!f.optional,
      ...(f.hint ? { hint: plainText(f.hint, LIMITS.hint) } : {}),
      element: element(f),
    })),
  ];
  return {
    type: 'modal',
    callback_id: form.form,
    title: plainText(form.title, LIMITS.modalTitle),
    submit: plainText(form.submit, LIMITS.modalTitle),
    close: plainText(form.close, LIMITS.modalTitle),
    private_metadata: form.state,
    blocks,
  };
}
