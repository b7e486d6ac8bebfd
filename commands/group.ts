/** `/passerelle group new | list | add [group] @member… | remove [group] @member`: working groups. */
import { z } from 'zod';
import { addMembers, createGroup, GroupInput, GroupNameTaken, groupsFor, MemberMention, removeMember } from '../src/core/groups.js';
import { Refusal } from '../src/core/refusal.js';
import { groupForm, groupList } from '../templates/group-views.js';
import { notice } from '../templates/notices.js';
import { formerMember } from '../templates/former-member.js';
import type { Member } from '../src/core/members.js';
import { fieldErrors, one } from './form-values.js';
import { form, message, TextProblems, type BoundContext, type CommandModule, type Reply } from './types.js';

const GroupArgs = z.discriminatedUnion('sub', [
  z.object({ sub: z.literal('new') }),
  z.object({ sub: z.literal('list') }),
  z.object({ sub: z.literal('add'), group: z.string().max(80, 'errors.tooLong').optional(), mentions: z.array(MemberMention).min(1, 'errors.mentionMissing').max(30, 'errors.tooMany') }),
  z.object({ sub: z.literal('remove'), group: z.string().max(80, 'errors.tooLong').optional(), mentions: z.array(MemberMention).length(1, 'errors.mentionOne') }),
]);
type GroupArgs = z.infer<typeof GroupArgs>;

/** `add Skills pool @U1 @U2`: the words before the first mention name the group. */
function read(text: string): unknown {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const sub = words[0]?.toLowerCase();
  if (sub === 'new' || sub === 'list') return { sub };
  if (sub === 'add' || sub === 'remove') {
    const rest = words.slice(1);
    const first = rest.findIndex((w) => w.startsWith('@'));
    const names = first < 0 ? rest : rest.slice(0, first);
    return { sub, group: names.length ? names.join(' ') : undefined, mentions: first < 0 ? [] : rest.slice(first) };
  }
  throw new TextProblems([{ key: 'errors.groupUsage', params: {} }]);
}

/** The group a command names; without a name, the one group the member convenes here. */
async function groupName(ctx: BoundContext, named: string | undefined): Promise<string> {
  if (named) return named;
  const convened = (await groupsFor(ctx.db, ctx.platform.id)).filter((g) => g.convenorId === ctx.member.id);
  if (convened.length !== 1) throw new Refusal('errors.groupNameNeeded');
  return convened[0]!.name;
}

const where = (ctx: BoundContext) => ({ channel: ctx.origin.channel, workspace: ctx.origin.workspace });
const names = (members: Array<{ displayName: string | null; externalId: string }>) => members.map((m) => m.displayName ?? `@${m.externalId}`).join(', ');
/** A convenor's name; a convenor who asked to be forgotten stays the group's, as "former member (…)". */
const convenorName = (t: BoundContext['t'], m: Member) => (m.forgottenAt ? formerMember(t, m) : (m.displayName ?? m.externalId));

export const group: CommandModule = {
  command: {
    name: 'group',
    needsPlatform: true,
    args: GroupArgs,
    read,
    async run(ctx, args: GroupArgs): Promise<Reply[]> {
      if (args.sub === 'new') return [form(groupForm(ctx.t, { state: JSON.stringify({ conv: ctx.origin.conversationId }), platform: ctx.platform }))];
      if (args.sub === 'list') {
        const groups = await groupsFor(ctx.db, ctx.platform.id);
        const convenors = await ctx.db.member.findMany({ where: { id: { in: groups.map((g) => g.convenorId) } } });
        return [message(groupList(ctx.t, ctx.platform, groups, new Map(convenors.map((m) => [m.id, convenorName(ctx.t, m)]))))];
      }
      const name = await groupName(ctx, args.group);
      if (args.sub === 'add') {
        const done = await addMembers(ctx.db, { platformId: ctx.platform.id, groupName: name, by: ctx.member, mentions: args.mentions, where: where(ctx) });
        const lines = [done.added.length ? `✅ ${ctx.t('group.added', { group: done.group.name, members: names(done.added) })}` : null, done.already.length ? ctx.t('group.already', { members: names(done.already) }) : null];
        return [message(notice(lines.filter(Boolean).join('\n')))];
      }
      const done = await removeMember(ctx.db, { platformId: ctx.platform.id, groupName: name, by: ctx.member, mention: args.mentions[0]!, where: where(ctx) });
      return [message(notice(`✅ ${ctx.t('group.removed', { group: done.group.name, member: names([done.removed]) })}`))];
    },
  },

  forms: {
    'group.form': {
      needsPlatform: true,
      async submit(ctx, values) {
        const bound = ctx as BoundContext;
        const parsed = GroupInput.safeParse({ name: one(values, 'name') ?? '', scope: one(values, 'scope') }, { reportInput: true });
        if (!parsed.success) return { type: 'invalid', errors: fieldErrors(ctx.t, parsed.error) };
        try {
          const created = await createGroup(ctx.db, bound.platform.id, ctx.member, parsed.data);
          const key = created.platformId ? 'group.created' : 'group.createdCrossBorder';
          return { type: 'done', replies: [message(notice(`✅ ${ctx.t(key, { group: created.name, platform: bound.platform.name })}`))] };
        } catch (error) {
          if (error instanceof GroupNameTaken) return { type: 'invalid', errors: { name: ctx.t('errors.groupNameTaken', { name: error.name }) } };
          throw error;
        }
      },
    },
  },
};
