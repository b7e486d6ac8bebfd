/** `/passerelle me`: the member's profile (actor type, organisation, country, language). */
import { z } from 'zod';
import { ProfileInput, setProfile } from '../src/core/members.js';
import { translator } from '../templates/i18n.js';
import { notice } from '../templates/notices.js';
import { profileForm } from '../templates/profile-form.js';
import { fieldErrors, one } from './form-values.js';
import { form, message, type CommandModule, type Context, type Reply } from './types.js';

const openProfile = (ctx: Context): Reply =>
  form(
    profileForm(
      ctx.t,
      ctx.member,
      { country: ctx.platform?.country, language: ctx.language },
      JSON.stringify({ conv: ctx.origin.conversationId }),
    ),
  );

export const me: CommandModule = {
  command: {
    name: 'me',
    needsPlatform: false,
    args: z.object({}),
    read: () => ({}),
    async run(ctx) {
      return [openProfile(ctx)];
    },
  },
  forms: {
    'profile.form': {
      needsPlatform: false,
      async submit(ctx, values) {
        const parsed = ProfileInput.safeParse({
          actorType: one(values, 'actorType'),
          organisation: one(values, 'organisation'),
          country: one(values, 'country') ?? '',
          language: one(values, 'language') ?? '',
        });
        if (!parsed.success) return { type: 'invalid', errors: fieldErrors(ctx.t, parsed.error) };
        const member = await setProfile(ctx.db, ctx.member.id, parsed.data);
        const t = translator(member.language ?? ctx.language, ctx.origin.channel);
        return {
          type: 'done',
          replies: [message(notice(`✅ ${t('profile.saved', { actorType: t(`actorTypes.${member.actorType}`), country: member.country })}`))],
        };
      },
    },
  },
  actions: {
    'profile.open': { needsPlatform: false, click: async (ctx) => [openProfile(ctx)] },
  },
};
