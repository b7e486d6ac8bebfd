/**
 * The forms of an exchange: the proposal, the organiser's confirmation of a slot, and the minutes.
 * Chat forms have no field for several dates and times, so the candidate slots are typed one per line
 * (`2027-03-27 10:00`) in a multi-line text field, read in the proposer's platform's time zone.
 */
import { DIMENSIONS } from '../src/core/vocabulary.js';
import type { SlotData } from '../src/core/exchanges/details.js';
import { slotTime } from '../src/core/exchanges/slots.js';
import { choices } from './choices.js';
import { languageName } from './exchange-views.js';
import type { TFunction } from './i18n.js';
import { tagHints } from './tag-hints.js';
import type { FormView } from './view.js';

export function exchangeForm(
  t: TFunction,
  d: {
    state: string;
    zone: string;
    language: string;
    platforms: Array<{ id: string; name: string }>;
    platformId: string;
    languages: string[];
    example: string;
  },
): FormView {
  return {
    form: 'exchange.form',
    title: t('exchangeForm.title'),
    submit: t('exchangeForm.submit'),
    close: t('exchangeForm.close'),
    state: d.state,
    fields: [
      { type: 'text', id: 'topic', label: t('exchangeForm.topic'), maxLength: 200 },
      { type: 'checkboxes', id: 'platforms', label: t('exchangeForm.platforms'), choices: d.platforms.map((p) => ({ value: p.id, label: `${p.id} — ${p.name}` })), value: [d.platformId] },
      { type: 'text', id: 'slots', label: t('exchangeForm.slots'), multiline: true, maxLength: 400, placeholder: d.example, hint: t('exchangeForm.slotsHint', { zone: d.zone }) },
      { type: 'number', id: 'duration', label: t('exchangeForm.duration'), min: 1, value: 90 },
      { type: 'text', id: 'place', label: t('exchangeForm.place'), maxLength: 500, hint: t('exchangeForm.placeHint') },
      { type: 'checkboxes', id: 'languages', label: t('exchangeForm.languages'), choices: d.languages.map((l) => ({ value: l, label: languageName(l, d.language) })), value: ['en'] },
      { type: 'text', id: 'cases', label: t('exchangeForm.cases'), optional: true, maxLength: 400, hint: t('exchangeForm.casesHint') },
      { type: 'text', id: 'observations', label: t('exchangeForm.observations'), optional: true, maxLength: 200, hint: t('exchangeForm.observationsHint') },
      { type: 'text', id: 'clauses', label: t('exchangeForm.clauses'), optional: true, maxLength: 200, hint: t('exchangeForm.clausesHint') },
    ],
  };
}

/** The organiser picks the slot, each shown with its answers; the most available one is preselected. */
export function confirmForm(
  t: TFunction,
  d: { state: string; id: number; topic: string; slots: SlotData[]; durationMinutes: number; zone: string; language: string; best?: number },
): FormView {
  const count = (s: SlotData, answer: string) => s.answers.filter((a) => a.answer === answer).length;
  return {
    form: 'exchange.confirm-form',
    title: t('confirmForm.title'),
    submit: t('confirmForm.submit'),
    close: t('confirmForm.close'),
    state: d.state,
    intro: [t('confirmForm.intro', { id: d.id, topic: d.topic })],
    fields: [
      {
        type: 'radio',
        id: 'slot',
        label: t('confirmForm.slot'),
        choices: d.slots.map((s) => ({
          value: String(s.number),
          label: t('confirmForm.choice', { n: s.number, time: slotTime(s.startsAt, d.durationMinutes, d.zone, d.language), yes: count(s, 'yes'), maybe: count(s, 'maybe'), no: count(s, 'no') }),
        })),
        ...(d.best ? { value: String(d.best) } : {}),
      },
    ],
  };
}

export function minutesForm(t: TFunction, d: { state: string; id: number; topic: string; platforms: string }): FormView {
  return {
    form: 'exchange.minutes-form',
    title: t('minutesForm.title'),
    submit: t('minutesForm.submit'),
    close: t('minutesForm.close'),
    state: d.state,
    intro: [t('minutesForm.intro', { id: d.id, topic: d.topic, platforms: d.platforms })],
    fields: [
      { type: 'text', id: 'minutes', label: t('minutesForm.minutes'), multiline: true, maxLength: 4000 },
      { type: 'text', id: 'takeaways', label: t('minutesForm.takeaways'), multiline: true, maxLength: 3000, hint: t('minutesForm.takeawaysHint', tagHints(t)) },
      { type: 'checkboxes', id: 'dimensions', label: t('minutesForm.dimensions'), optional: true, choices: choices(t, 'dimensions', DIMENSIONS) },
    ],
  };
}
