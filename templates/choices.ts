import type { TFunction } from './i18n.js';
import type { Choice, FormField } from './view.js';

/** Choices for a closed vocabulary whose labels live under `group` in the locale files. */
export function choices(t: TFunction, group: string, values: readonly string[]): Choice[] {
  return values.map((value) => ({ value, label: t(`${group}.${value}`) }));
}

export function label(t: TFunction, group: string, value: string | null | undefined, none = '—'): string {
  return value ? t(`${group}.${value}`) : none;
}

/** A yes/no question; the form reads back "yes" or "no". */
export function yesNo(t: TFunction, id: string, label: string, value: boolean): FormField {
  return {
    type: 'radio',
    id,
    label,
    choices: [
      { value: 'yes', label: t('observeForm.yes') },
      { value: 'no', label: t('observeForm.no') },
    ],
    value: value ? 'yes' : 'no',
  };
}
