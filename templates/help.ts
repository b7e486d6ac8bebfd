import { DIMENSIONS, STAGES } from '../src/core/vocabulary.js';
import type { TFunction } from './i18n.js';
import { code, type Block, type MessageView } from './view.js';

/** The list of commands, in the member's language. */
export function helpView(t: TFunction, commands: ReadonlyArray<{ name: string }>, unknownVerb?: string): MessageView {
  const firstTag = (key: string) => `#${(t(`tags.${key}`, { returnObjects: true }) as string[])[0]}`;
  const blocks: Block[] = [{ type: 'heading', text: t('help.title') }];
  if (unknownVerb) blocks.push({ type: 'text', text: [t('help.unknown', { verb: unknownVerb })] });
  blocks.push({ type: 'text', text: [t('help.intro')] });
  for (const { name } of commands) {
    blocks.push({ type: 'text', text: [code(`/passerelle ${t(`commands.${name}.usage`)}`), '\n', t(`commands.${name}.summary`)] });
  }
  blocks.push({
    type: 'context',
    text: [t('help.tags', { tags: DIMENSIONS.map(firstTag).join(' '), stages: STAGES.map(firstTag).join(' ') })],
  });
  return { summary: t('help.title'), blocks };
}

