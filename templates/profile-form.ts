import type { Member } from '../src/core/members.js';
import { ACTOR_TYPES, COUNTRIES } from '../src/core/vocabulary.js';
import { choices } from './choices.js';
import { LANGUAGES, type TFunction } from './i18n.js';
import type { FormView } from './view.js';

export function profileForm(t: TFunction, member: Member, defaults: { country?: string; language: string }, state: string): FormView {
  return {
    form: 'profile.form',
    title: t('profile.title'),
    submit: t('profile.submit'),
    close: t('profile.close'),
    state,
    fields: [
      { type: 'select', id: 'actorType', label: t('profile.actorType'), choices: choices(t, 'actorTypes', ACTOR_TYPES), value: member.actorType ?? undefined },
      { type: 'text', id: 'organisation', label: t('profile.organisation'), optional: true, maxLength: 200, value: member.organisation ?? undefined },
      { type: 'select', id: 'country', label: t('profile.country'), choices: COUNTRIES.map((c) => ({ value: c, label: c })), value: member.country ?? defaults.country },
      {
        type: 'select',
        id: 'language',
        label: t('profile.language'),
        choices: LANGUAGES.map((value) => ({ value, label: t('language.name', { lng: value }) })),
        value: member.language ?? defaults.language,
      },
    ],
  };
}
