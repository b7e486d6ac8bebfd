import type { Member } from '../src/core/members.js';
import { label } from './choices.js';
import type { TFunction } from './i18n.js';

/** A forgotten member (`me forget`) as a view names them: "former member (Employee representative / union, FR)". */
export function formerMember(t: TFunction, m: Pick<Member, 'actorType' | 'country'>): string {
  return t('dataRights.former', { actorType: label(t, 'actorTypes', m.actorType, t('card.actorUnknown')), country: m.country ?? '—' });
}
