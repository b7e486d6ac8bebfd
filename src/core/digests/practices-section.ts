/**
 * The digest's "new practices and assessments" section (issue 6): the innovative practices described
 * in the span on the covered platforms, and the transferability assessments made or changed in it —
 * of those practices, or by the platform's members for its own country. Left out when empty.
 */
import { practicesOfWeek } from '../practices/week.js';
import type { SectionBuilder } from './sections.js';
import type { PracticesSection } from './types.js';

export const practices: SectionBuilder<'practices'> = {
  key: 'practices',
  async build(q): Promise<PracticesSection | undefined> {
    const week = await practicesOfWeek(q.db, {
      platformIds: q.covered.map((p) => p.id),
      country: q.international ? undefined : q.platform.country,
      from: q.window.from,
      to: q.window.to,
      top: q.top,
    });
    if (week.counts.practices + week.counts.assessments === 0) return undefined;
    return week;
  },
};
