/**
 * The command bus: turns what a member did in a chat channel (typed a command, clicked a
 * button, submitted a form, used a message shortcut) into the matching handler of commands/,
 * with the member, their platform and their language resolved. Channel adapters call it and
 * render the replies; it knows nothing of Slack or Teams.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { ACTIONS, COMMANDS, FORMS, SHORTCUTS } from '../../commands/index.js';
import { explainIssue } from '../../commands/form-values.js';
import { message, TextProblems, type Context, type FormOutcome, type Reply } from '../../commands/types.js';
import { pickLanguage, translator } from '../../templates/i18n.js';
import { formLauncher, problem, profilePrompt } from '../../templates/notices.js';
import { helpView } from '../../templates/help.js';
import { tagHints } from '../../templates/tag-hints.js';
import type { FormValues } from '../../templates/view.js';
import type { PrismaClient } from '../db/client.js';
import { hasProfile, identify, type ChatIdentity } from '../core/members.js';
import type { Origin } from '../core/observations.js';
import type { PlatformDirectory } from '../core/platforms.js';
import { Refusal } from '../core/refusal.js';
import type { CardRequests } from '../core/votes/votes.js';
import type { Links } from '../core/exchanges/cards.js';
import type { Scheduler } from '../scheduler/scheduler.js';

export interface Deps {
  db: PrismaClient;
  platforms: PlatformDirectory;
  platformsFile: string;
  log: Logger;
  /** Registers vote closings; see commands/types.ts Context.scheduler. */
  scheduler?: Scheduler;
  voteCards?: CardRequests;
  /** Passerelle's public address for links to its pages; see commands/types.ts Context.links. */
  links?: Links;
}

export interface Where {
  who: ChatIdentity;
  conversationId: string;
  sourceKey?: string;
  sourceLink?: string;
  /** False where the channel cannot open a form now (a mention has no trigger): forms become buttons. */
  canOpenForms?: boolean;
}

/** Opens a command's form from a button, where the command itself could not (a mention has no trigger). */
export const RUN_COMMAND_ACTION = 'command.run';

/** Forms stay open across a step; the profile ones need no nudge to fill in the profile. */
const PROFILE_STEPS = new Set(['profile.form', 'profile.open', 'me', 'me.forget', 'me.forget-cancel', 'me.export-link']);

const FormStateEnvelope = z.object({ conv: z.string().min(1) }).passthrough();

export class Dispatcher {
  constructor(private readonly deps: Deps) {}

  /** `/passerelle <verb> <text>` or `@Passerelle <verb> <text>`. */
  async command(where: Where, line: string): Promise<Reply[]> {
    const [, verb = 'help', rest = ''] = /^\s*(\S*)\s*([\s\S]*)$/.exec(line) ?? [];
    const command = COMMANDS.find((c) => c.name === verb.toLowerCase());
    return this.within(where, command?.name ?? 'help', command?.needsPlatform ?? false, async (ctx) => {
      if (!command) return [message(helpView(ctx.t, COMMANDS, where.who.channel, verb))];
      const args = command.args.safeParse(command.read(rest), { reportInput: true });
      if (!args.success) throw args.error;
      const replies = await command.run(ctx as never, args.data);
      if (where.canOpenForms !== false) return replies;
      return replies.map((r) => (r.type === 'form' ? message(formLauncher(ctx.t, RUN_COMMAND_ACTION, line.trim())) : r));
    });
  }

  async action(where: Where, action: string, value: string): Promise<Reply[]> {
    if (action === RUN_COMMAND_ACTION) return this.command(where, value);
    const handler = ACTIONS.get(action);
    if (!handler) {
      this.deps.log.warn({ action }, 'unknown action');
      return this.within(where, action, false, async (ctx) => [message(problem([ctx.t('errors.expired')]))]);
    }
    return this.within(where, action, handler.needsPlatform, (ctx) => handler.click(ctx, value));
  }

  async shortcut(where: Where, shortcut: string, captured: { text: string; link?: string }): Promise<Reply[]> {
    const handler = SHORTCUTS.get(shortcut);
    if (!handler) return [];
    return this.within(where, shortcut, true, (ctx) => handler.open(ctx, captured));
  }

  /** The help, in the language of the conversation's platform: the greeting when the bot is added somewhere. */
  welcome(channel: ChatIdentity['channel'], conversationId: string): Reply[] {
    const platform = this.deps.platforms.boundTo(channel, conversationId);
    return [message(helpView(translator(pickLanguage(platform?.languages[0]), channel), COMMANDS, channel))];
  }

  /** A form submission; `state` is what the form was opened with, carrying the conversation. */
  async submit(who: ChatIdentity, formId: string, state: string, values: FormValues): Promise<FormOutcome> {
    const handler = FORMS.get(formId);
    let parsedState: z.infer<typeof FormStateEnvelope>;
    try {
      parsedState = FormStateEnvelope.parse(JSON.parse(state));
    } catch {
      this.deps.log.warn({ formId }, 'form submitted with unreadable state');
      return { type: 'done', replies: [message(problem([translator('en')('errors.expired')]))] };
    }
    if (!handler) return { type: 'done', replies: [] };
    let outcome: FormOutcome = { type: 'done', replies: [] };
    const replies = await this.within({ who, conversationId: parsedState.conv }, formId, handler.needsPlatform, async (ctx) => {
      outcome = await handler.submit(ctx, values, parsedState);
      return outcome.type === 'done' ? outcome.replies : [];
    });
    return outcome.type === 'done' ? { type: 'done', replies } : outcome;
  }

  /** Resolves member, platform and language, runs `fn`, and turns refusals into messages. */
  private async within(where: Where, step: string, needsPlatform: boolean, fn: (ctx: Context) => Promise<Reply[]>): Promise<Reply[]> {
    const { db, platforms, platformsFile, log, scheduler, voteCards, links } = this.deps;
    const member = await identify(db, where.who);
    const platform = platforms.boundTo(where.who.channel, where.conversationId);
    const language = pickLanguage(member.language, platform?.languages[0]);
    const t = translator(language, where.who.channel);
    if (needsPlatform && !platform) {
      return [message(problem([t('errors.unbound', { channel: where.conversationId, kind: where.who.channel === 'slack' ? 'Slack' : 'Teams', file: platformsFile })]))];
    }
    const origin: Origin = {
      channel: where.who.channel,
      workspace: where.who.workspace,
      conversationId: where.conversationId,
      sourceKey: where.sourceKey,
      sourceLink: where.sourceLink,
    };
    const ctx: Context = { db, platforms, platformsFile, member, platform, origin, language, t, commands: COMMANDS, scheduler, voteCards, links };
    let replies: Reply[];
    try {
      replies = await fn(ctx);
    } catch (error) {
      if (error instanceof Refusal) replies = [message(problem([t(error.key, error.params)]))];
      else if (error instanceof TextProblems) replies = [message(problem(error.problems.map((p) => t(p.key, { ...tagHints(t), ...p.params }))))];
      else if (error instanceof z.ZodError) replies = [message(problem(error.issues.map((issue) => explainIssue(t, issue))))];
      else {
        log.error({ err: error, step }, 'handler failed');
        replies = [message(problem([t('errors.internal')]))];
      }
    }
    if (!hasProfile(member) && !PROFILE_STEPS.has(step)) replies.push(message(profilePrompt(t)));
    return replies;
  }
}
