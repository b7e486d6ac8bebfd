import { CardFactory, type Activity } from 'botbuilder';
import { truncate } from '../../util/text.js';

/** A card alone: the summary serves notifications, without showing the text twice beside the card. */
export function cardMessage(card: object, summary: string): Partial<Activity> {
  return { type: 'message', attachments: [CardFactory.adaptiveCard(card)], summary: truncate(summary, 200) };
}
