import type { GroupListing } from '../src/core/groups.js';
import type { Platform } from '../src/core/platforms.js';
import type { TFunction } from './i18n.js';
import { bold, type Block, type FormView, type MessageView } from './view.js';

export function groupForm(t: TFunction, data: { state: string; platform: Platform }): FormView {
  return {
    form: 'group.form',
    title: t('groupForm.title'),
    submit: t('groupForm.submit'),
    close: t('groupForm.close'),
    state: data.state,
    fields: [
      { type: 'text', id: 'name', label: t('groupForm.name'), maxLength: 80 },
      {
        type: 'radio',
        id: 'scope',
        label: t('groupForm.scope'),
        choices: [
          { value: 'platform', label: t('groupForm.platformScope', { platform: data.platform.name }) },
          { value: 'cross-border', label: t('groupForm.crossBorder') },
        ],
        value: 'platform',
      },
    ],
  };
}

/** The platform's groups and the cross-border ones, with convenor and member count. */
export function groupList(t: TFunction, platform: Platform, groups: GroupListing[], convenors: Map<number, string>): MessageView {
  if (groups.length === 0) {
    const text = t('group.listEmpty', { platform: platform.name });
    return { summary: text, blocks: [{ type: 'text', text: [text] }] };
  }
  const blocks: Block[] = [{ type: 'heading', text: t('group.listTitle', { platform: platform.name }) }];
  for (const g of groups.slice(0, 40)) {
    blocks.push({
      type: 'text',
      text: [
        bold(g.name),
        ` — ${g.platformId ? g.platformId : t('group.crossBorder')} · `,
        t('group.listLine', { convenor: convenors.get(g.convenorId) ?? '?', count: g._count.members }),
      ],
    });
  }
  return { summary: t('group.listTitle', { platform: platform.name }), blocks };
}
