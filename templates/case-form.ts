import { COUNTRIES, NACE_SECTIONS, RESTRUCTURING_TYPES } from '../src/core/vocabulary.js';
import { choices, yesNo } from './choices.js';
import type { TFunction } from './i18n.js';
import type { FormView } from './view.js';

export function caseForm(t: TFunction, data: { state: string; ref?: string; country?: string; withPendingObservation?: boolean }): FormView {
  return {
    form: 'case.form',
    title: t('caseForm.title'),
    submit: t('caseForm.submit'),
    close: t('caseForm.close'),
    state: data.state,
    intro: data.withPendingObservation ? [t('caseForm.pendingObservation')] : undefined,
    fields: [
      { type: 'text', id: 'ref', label: t('caseForm.ref'), value: data.ref, maxLength: 40, hint: t('caseForm.refHint') },
      { type: 'text', id: 'company', label: t('caseForm.company'), maxLength: 200 },
      yesNo(t, 'anonymised', t('caseForm.anonymised'), false),
      { type: 'text', id: 'groupName', label: t('caseForm.group'), optional: true, maxLength: 200 },
      { type: 'select', id: 'country', label: t('caseForm.country'), choices: COUNTRIES.map((c) => ({ value: c, label: c })), value: data.country },
      { type: 'text', id: 'nutsRegion', label: t('caseForm.region'), optional: true, maxLength: 5, hint: t('caseForm.regionHint') },
      { type: 'select', id: 'naceSection', label: t('caseForm.sector'), choices: choices(t, 'nace', NACE_SECTIONS), optional: true },
      { type: 'select', id: 'type', label: t('caseForm.type'), choices: choices(t, 'restructuringTypes', RESTRUCTURING_TYPES) },
      { type: 'text', id: 'affectedUnit', label: t('caseForm.unit'), optional: true, maxLength: 200 },
      { type: 'number', id: 'headcountBefore', label: t('caseForm.headcount'), optional: true, min: 0 },
      { type: 'number', id: 'jobsAffected', label: t('caseForm.jobs'), optional: true, min: 0 },
      { type: 'date', id: 'announcedOn', label: t('caseForm.announced'), optional: true },
      { type: 'date', id: 'effectStart', label: t('caseForm.effectStart'), optional: true },
      { type: 'date', id: 'effectEnd', label: t('caseForm.effectEnd'), optional: true },
      { type: 'text', id: 'sources', label: t('caseForm.sources'), optional: true, multiline: true, maxLength: 3000 },
    ],
  };
}
