/**
 * A member who asked to be forgotten (`me forget`) keeps a row without personal data: only their
 * actor type and country stay, so that what they contributed and chose to leave (observations,
 * clause versions, decisions) is attributed to "former member (actor type, country)" everywhere.
 */
import type { Member } from '../../db/client.js';

export type FormerMemberFacts = Pick<Member, 'forgottenAt' | 'actorType' | 'country'>;

export const isForgotten = (m: Pick<Member, 'forgottenAt'>): boolean => m.forgottenAt !== null && m.forgottenAt !== undefined;

/**
 * How a forgotten member is named where no language is at hand (exports, names computed by the
 * core): `former member (union, FR)`, the actor type's code and the country as Eurostat writes it.
 * Views with a translator use templates/former-member.ts instead.
 */
export function formerMemberName(m: Pick<Member, 'actorType' | 'country'>): string {
  return `former member (${m.actorType ?? 'actor type not given'}, ${m.country ?? 'country not given'})`;
}

/** A member's name as the core shows it: their display name, or `fallback`; a forgotten member's label. */
export function nameOrFormer(m: Pick<Member, 'forgottenAt' | 'actorType' | 'country' | 'displayName'>, fallback: string): string {
  return isForgotten(m) ? formerMemberName(m) : (m.displayName ?? fallback);
}
