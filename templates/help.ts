import { INVOCATION, type ChatTool, type TFunction } from './i18n.js';
import { tagHints } from './tag-hints.js';
import { code, type Block, type MessageView } from './view.js';

/** The list of commands, in the member's language, written the way the member's chat tool calls them. */
export function helpView(
  t: TFunction,
  commands: ReadonlyArray<{ name: string }>,
  channel: ChatTool,
  unknownVerb?: string,
): MessageView {
  const blocks: Block[] = [{ type: 'heading', text: t('help.title') }];
  if (unknownVerb) blocks.push({ type: 'text', text: [t('help.unknown', { verb: unknownVerb })] });
  blocks.push({ type: 'text', text: [t(channel === 'teams' ? 'help.introTeams' : 'help.intro')] });
  for (const { name } of commands) {
    blocks.push({ type: 'text', text: [code(`${INVOCATION[channel]} ${t(`commands.${name}.usage`)}`), '\n', t(`commands.${name}.summary`)] });
  }
  blocks.push({
    type: 'context',
    text: [t('help.tags', tagHints(t))],
  });
  return { summary: t('help.title'), blocks };
}

