import { MAX_OBSERVATION_LENGTH } from '../src/core/observations.js';
import { CONFIDENTIALITY, DIMENSIONS, STAGES } from '../src/core/vocabulary.js';
import { choices, yesNo } from './choices.js';
import { LANGUAGES, type TFunction } from './i18n.js';
import { link, type FormView } from './view.js';

export const NEW_CASE = '__new__';

export interface ObservationFormData {
  mode: 'new' | 'edit';
  state: string;
  /** Cases to pick from, most recent first (at most 99: a select holds 100 choices; the command offers 50). */
  cases: Array<{ ref: string; company: string }>;
  text?: string;
  dimensions?: string[];
  stage?: string | null;
  caseRef?: string | null;
  innovative?: boolean;
  confidentiality?: string;
  language?: string;
  sourceLink?: string;
}

export function observationForm(t: TFunction, data: ObservationFormData): FormView {
  const edit = data.mode === 'edit';
  return {
    form: 'observation.form',
    title: t(edit ? 'observeForm.titleEdit' : 'observeForm.title'),
    submit: t(edit ? 'observeForm.submitEdit' : 'observeForm.submit'),
    close: t('observeForm.close'),
    state: data.state,
    intro: data.sourceLink ? [`${t('observeForm.source')} `, link(data.sourceLink, data.sourceLink)] : undefined,
    fields: [
      {
        type: 'text',
        id: 'text',
        label: t('observeForm.text'),
        multiline: true,
        maxLength: MAX_OBSERVATION_LENGTH,
        value: data.text,
        hint: t('observeForm.textHint', { max: MAX_OBSERVATION_LENGTH }),
      },
      { type: 'checkboxes', id: 'dimensions', label: t('observeForm.dimensions'), choices: choices(t, 'dimensions', DIMENSIONS), value: data.dimensions },
      { type: 'select', id: 'stage', label: t('observeForm.stage'), choices: choices(t, 'stages', STAGES), value: data.stage ?? undefined, optional: true },
      {
        type: 'select',
        id: 'case',
        label: t('observeForm.case'),
        optional: true,
        value: data.caseRef ?? undefined,
        choices: [
          { value: NEW_CASE, label: t('observeForm.caseNew') },
          ...data.cases.slice(0, 99).map((c) => ({ value: c.ref, label: `${c.ref} — ${c.company}` })),
        ],
      },
      yesNo(t, 'innovative', t('observeForm.innovative'), !!data.innovative),
      {
        type: 'radio',
        id: 'confidentiality',
        label: t('observeForm.confidentiality'),
        choices: choices(t, 'confidentiality', CONFIDENTIALITY),
        value: data.confidentiality ?? 'platform',
      },
      {
        type: 'select',
        id: 'language',
        label: t('observeForm.language'),
        choices: LANGUAGES.map((value) => ({ value, label: t('language.name', { lng: value }) })),
        value: data.language,
      },
    ],
  };
}
