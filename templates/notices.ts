import type { TFunction } from './i18n.js';
import { plain, type Button, type MessageView, type Rich } from './view.js';

/** A short message for the member alone. */
export function notice(text: Rich | string, buttons: Button[] = []): MessageView {
  const rich = typeof text === 'string' ? [text] : text;
  return {
    summary: plain(rich),
    blocks: [{ type: 'text', text: rich }, ...(buttons.length ? [{ type: 'buttons' as const, buttons }] : [])],
  };
}

/** What went wrong, one line per problem, and what the member can do about it. */
export function problem(lines: string[], buttons: Button[] = []): MessageView {
  const text = lines.map((l) => `⚠️ ${l}`).join('\n');
  return notice(text, buttons);
}

export function profilePrompt(t: TFunction): MessageView {
  return notice(t('profile.prompt'), [{ action: 'profile.open', label: t('profile.open'), style: 'primary' }]);
}

/** Where a form cannot be opened straight away (a mention has no trigger), a button opens it. */
export function formLauncher(t: TFunction, action: string, value: string): MessageView {
  return notice(t('forms.openHint'), [{ action, label: t('forms.open'), value, style: 'primary' }]);
}
