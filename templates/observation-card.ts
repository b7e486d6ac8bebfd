import type { ObservationDetails } from '../src/core/observations.js';
import { dimensionsOf } from '../src/core/observations.js';
import type { Platform } from '../src/core/platforms.js';
import { truncate } from '../src/util/text.js';
import { label } from './choices.js';
import { formerMember } from './former-member.js';
import type { TFunction } from './i18n.js';
import { bold, link, mention, type Block, type Button, type MessageView, type Rich } from './view.js';

/** The card posted in the channel for an observation, with the author's edit and withdraw buttons. */
export function observationCard(o: ObservationDetails, platform: Platform, t: TFunction): MessageView {
  if (o.withdrawnAt) {
    return { summary: t('card.withdrawnSummary', { id: o.id }), blocks: [{ type: 'context', text: [t('card.withdrawn', { id: o.id })] }] };
  }
  if (o.confidentiality === 'secretariat') {
    const text = t('card.restricted', { id: o.id });
    return { summary: text, blocks: [{ type: 'context', text: [text] }] };
  }
  const dimensions = dimensionsOf(o).map((d) => t(`dimensions.${d}`));
  // A member who asked to be forgotten: no name, no mention, nobody left to edit or withdraw it.
  const former = !!o.author.forgottenAt;
  const author = o.author.displayName ?? t('card.someone');
  const who: Rich = former
    ? [formerMember(t, o.author)]
    : [mention(author, o.author.channel as 'slack' | 'teams', o.author.externalId), ` — ${label(t, 'actorTypes', o.author.actorType, t('card.actorUnknown'))}`];
  if (o.author.organisation && !former) who.push(`, ${o.author.organisation}`);

  const notes: Rich = [platform.name, ' · ', t(`confidentialityShort.${o.confidentiality}`)];
  if (o.innovative) notes.push(' · ', t('card.innovative'));
  if (o.editedAt) notes.push(' · ', t('card.edited'));
  if (o.sourceLink) notes.push(' · ', link(t('card.source'), o.sourceLink));

  const blocks: Block[] = [
    { type: 'heading', text: t('card.title', { id: o.id, platform: platform.id }) },
    { type: 'quote', text: o.text },
    {
      type: 'fields',
      fields: [
        { label: t('card.author'), value: who },
        { label: t('card.dimensions'), value: [dimensions.join(', ')] },
        { label: t('card.case'), value: o.case ? [bold(o.case.ref), ` — ${o.case.company}`] : [t('card.noCase')] },
        { label: t('card.stage'), value: [label(t, 'stages', o.stage, t('card.noStage'))] },
      ],
    },
    { type: 'context', text: notes },
  ];
  if (!former) blocks.push(
    {
      type: 'buttons',
      buttons: [
        { action: 'observation.edit', label: t('card.edit'), value: String(o.id) },
        {
          action: 'observation.withdraw',
          label: t('card.withdraw'),
          value: String(o.id),
          style: 'danger',
          confirm: {
            title: t('card.withdrawConfirmTitle'),
            text: t('card.withdrawConfirmText'),
            yes: t('card.withdrawConfirmYes'),
            no: t('card.withdrawConfirmNo'),
          },
        },
        ...(o.innovative ? [describeAsPractice(t, o.id)] : []),
      ],
    },
  );
  else if (o.innovative) blocks.push({ type: 'buttons', buttons: [describeAsPractice(t, o.id)] });
  return { summary: `${t('card.title', { id: o.id, platform: platform.id })}: ${truncate(o.text, 140)}`, blocks };
}

/** An innovative observation may be written up as a practice, by any member of the platform (issue 6). */
function describeAsPractice(t: TFunction, id: number): Button {
  return { action: 'practice.describe', label: t('card.describePractice'), value: String(id) };
}
