/** `me export` and `me forget`: what the member reads, and what their platform is told. */
import type { Member } from '../src/core/members.js';
import { formerMember } from './former-member.js';
import type { TFunction } from './i18n.js';
import { notice } from './notices.js';
import { bold, type Block, type MessageView } from './view.js';

export const FORGET_ACTION = 'me.forget';
export const FORGET_CANCEL_ACTION = 'me.forget-cancel';
export const EXPORT_LINK_ACTION = 'me.export-link';

/**
 * The confirmation step of `me forget`: what goes, what stays, and the buttons. Each button carries
 * the token bound to the member (`<token>:keep` or `<token>:delete`): anyone else pressing it is refused.
 */
export function forgetConfirmation(t: TFunction, token: string): MessageView {
  const blocks: Block[] = [
    { type: 'heading', text: t('dataRights.forgetTitle') },
    { type: 'text', text: [t('dataRights.forgetGoes')] },
    { type: 'text', text: [t('dataRights.forgetStays')] },
    { type: 'text', text: [bold(t('dataRights.forgetFinal'))] },
    {
      type: 'buttons',
      buttons: [
        { action: FORGET_ACTION, label: t('dataRights.forgetYes'), value: `${token}:keep`, style: 'danger' },
        { action: FORGET_ACTION, label: t('dataRights.forgetYesDelete'), value: `${token}:delete`, style: 'danger' },
        { action: FORGET_CANCEL_ACTION, label: t('dataRights.forgetCancel'), value: token },
      ],
    },
  ];
  return { summary: t('dataRights.forgetTitle'), blocks };
}

export interface ForgottenCounts {
  observationsKept: number;
  observationsDeleted: number;
  ballotsDeleted: number;
  ballotsAnonymised: number;
  groupsLeft: number;
}

/** Said to the member once they are forgotten. */
export function forgottenNotice(t: TFunction, c: ForgottenCounts, former: Pick<Member, 'actorType' | 'country'>): MessageView {
  const lines = [
    `✅ ${t('dataRights.forgotten')}`,
    t('dataRights.forgottenObservations', { kept: c.observationsKept, deleted: c.observationsDeleted, former: formerMember(t, former) }),
    t('dataRights.forgottenVotes', { deleted: c.ballotsDeleted, anonymised: c.ballotsAnonymised, groups: c.groupsLeft }),
    t('dataRights.forgottenAgain'),
  ];
  return notice(lines.join('\n'));
}

/** The export as a file in the member's direct messages (Slack); channels without files show the text. */
export function exportFileMessage(t: TFunction, file: { name: string; content: string }, at: Date): MessageView {
  const summary = t('dataRights.exportComment', { date: at.toISOString().slice(0, 10) });
  return {
    summary,
    blocks: [{ type: 'text', text: [summary] }],
    file: { name: file.name, title: t('dataRights.exportTitle'), mimeType: 'application/json', content: file.content },
  };
}

/** The one-time download link in the member's 1:1 chat (Teams: bots cannot attach files in channels). */
export function exportLinkMessage(t: TFunction, url: string, until: string): MessageView {
  const text = t('dataRights.exportLinkText', { until });
  return {
    summary: t('dataRights.exportTitle'),
    blocks: [
      { type: 'heading', text: t('dataRights.exportTitle') },
      { type: 'text', text: [text] },
      { type: 'buttons', buttons: [{ action: EXPORT_LINK_ACTION, label: t('dataRights.exportLinkButton'), url, style: 'primary' }] },
    ],
  };
}

/** Told to a platform when the convenor of its groups, or the organiser of an open exchange poll, is forgotten. */
export function formerConvenorNotice(
  t: TFunction,
  d: { former: Pick<Member, 'actorType' | 'country'>; groups: string[]; exchanges: Array<{ id: number; topic: string }> },
): MessageView {
  const who = formerMember(t, d.former);
  const lines = [t('dataRights.platformToldIntro', { former: who })];
  if (d.groups.length) lines.push(t('dataRights.platformToldGroups', { groups: d.groups.join(', ') }));
  for (const x of d.exchanges) lines.push(t('dataRights.platformToldExchange', { id: x.id, topic: x.topic }));
  lines.push(t('dataRights.platformToldNext'));
  return { summary: lines[0]!, blocks: [{ type: 'text', text: [lines.join('\n')] }] };
}
