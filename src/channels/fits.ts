/**
 * Whether a neutral message fits one chat message, as each channel's renderer measures it: Slack's
 * 50 Block Kit blocks, Teams' card budget (TEAMS_LIMITS.cardBytes of the 40 KB activity). A digest
 * that does not fit is split (templates/digest-views.ts) instead of being cut by the renderer.
 */
import type { MessageView } from '../../templates/view.js';
import type { ChatChannel } from '../core/platforms.js';
import { blockCount, LIMITS } from './slack/render.js';
import { fitsOneCard } from './teams/render.js';

export function fitsOneMessage(channel: ChatChannel, view: MessageView): boolean {
  return channel === 'slack' ? blockCount(view) <= LIMITS.messageBlocks : fitsOneCard(view);
}
