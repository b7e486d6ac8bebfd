import { DIMENSIONS, STAGES } from '../src/core/vocabulary.js';
import type { TFunction } from './i18n.js';

const firstTag = (t: TFunction, key: string) => `#${(t(`tags.${key}`, { returnObjects: true }) as string[])[0]}`;

/** The hashtags a member types, in their language, for sentences that explain them. */
export function tagHints(t: TFunction): { dimensionTags: string; stageTags: string; flagTags: string } {
  return {
    dimensionTags: DIMENSIONS.map((d) => firstTag(t, d)).join(' '),
    stageTags: STAGES.map((s) => firstTag(t, s)).join(' '),
    flagTags: ['innovative', 'secretariat', 'public'].map((f) => firstTag(t, f)).join(' '),
  };
}
