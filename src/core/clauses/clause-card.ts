/**
 * The clause's card in its platform's channel: posted when the clause is drafted, and updated in
 * place (one outbox key per clause and conversation) whenever it changes — an amendment filed,
 * accepted or rejected, a vote opened or closed, a withdrawal — so the channel always shows the
 * clause as it stands, with the button every member uses to propose an amendment. The decision
 * buttons are shown on it; they answer only the convenor (the others are told so).
 */
import type { PrismaClient } from '../../db/client.js';
import { clauseCard } from '../../../templates/clause-views.js';
import { translator } from '../../../templates/i18n.js';
import { enqueue } from '../outbox.js';
import type { ChatChannel, Platform } from '../platforms.js';
import { clauseDetails } from './clauses.js';
import type { ClauseRef } from './numbering.js';

export async function shareClauseCard(db: PrismaClient, args: { ref: ClauseRef; platform: Platform; channel: ChatChannel; conversationId: string }): Promise<void> {
  const details = await clauseDetails(db, args.ref);
  const language = args.platform.languages[0]!;
  await enqueue(db, {
    channel: args.channel,
    conversationId: args.conversationId,
    messageKey: `clause:${details.clause.id}`,
    view: clauseCard(translator(language, args.channel), details, details.convenorId),
    locale: language,
  });
}
