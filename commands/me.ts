/**
 * `/passerelle me`: the member's profile (actor type, organisation, country, language);
 * `me export` and `me forget`: their data rights (me-data.ts).
 */
import { z } from 'zod';
import { ProfileInput, setProfile } from '../src/core/members.js';
import { translator } from '../templates/i18n.js';
import { notice } from '../templates/notices.js';
import { profileForm } from '../templates/profile-form.js';
import { fieldErrors, one } from './form-values.js';
import { askForget, dataRightsActions, sendExport } from './me-data.js';
import { form, message, TextProblems, type CommandModule, type Context, type Reply } from './types.js';

const MeArgs = z.object({ sub: z.enum(['profile', 'export', 'forget']) });
type MeArgs = z.infer<typeof MeArgs>;

function read(text: string): unknown {
  const sub = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (sub === '' || sub === 'profile') return { sub: 'profile' };
  if (sub === 'export' || sub === 'forget') return { sub };
  throw new TextProblems([{ key: 'dataRights.usage', params: {} }]);
}

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
    args: MeArgs,
    read,
    async run(ctx, args: MeArgs) {
      if (args.sub === 'export') return sendExport(ctx);
      if (args.sub === 'forget') return askForget(ctx);
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
    ...dataRightsActions,
  },
};
