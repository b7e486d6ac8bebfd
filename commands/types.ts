/**
 * What a command is. One definition per file in this folder drives the Slack slash command,
 * the Teams command, the help text and the app manifests.
 */
import type { z } from 'zod';
import type { PrismaClient } from '../src/db/client.js';
import type { Member } from '../src/core/members.js';
import type { Origin } from '../src/core/observations.js';
import type { Platform, PlatformDirectory } from '../src/core/platforms.js';
import type { CardRequests } from '../src/core/votes/votes.js';
import type { Links } from '../src/core/exchanges/cards.js';
import type { Scheduler } from '../src/scheduler/scheduler.js';
import type { TFunction } from '../templates/i18n.js';
import type { FormValues, FormView, MessageView } from '../templates/view.js';

/** What a handler answers: a message for the member alone, or a form to fill in. */
export type Reply = { type: 'message'; view: MessageView } | { type: 'form'; form: FormView };

export interface Context {
  db: PrismaClient;
  platforms: PlatformDirectory;
  /** Where the platforms file is, to tell people how to bind a channel. */
  platformsFile: string;
  member: Member;
  /** The platform of the conversation; set for every command that `needsPlatform`. */
  platform: Platform | undefined;
  origin: Origin;
  language: string;
  t: TFunction;
  commands: readonly CommandInfo[];
  /** Where the closing of a vote is registered; absent where nothing runs scheduled jobs. */
  scheduler?: Scheduler;
  /** Refreshes vote cards at most once a second; absent, a ballot queues its card at once. */
  voteCards?: CardRequests;
  /** Passerelle's public address, for links to its own pages (exchange invitations); absent, none are shown. */
  links?: Links;
}

export type BoundContext = Context & { platform: Platform };

export interface CommandInfo {
  name: string;
}

export interface Command<Args = unknown> extends CommandInfo {
  /** False for commands that work in any channel (help, me). */
  needsPlatform: boolean;
  /**
   * False: left out of the Teams app's command menu, which holds 10 commands (the command still
   * works when typed, and help lists it). For commands reached otherwise, e.g. from a card's button.
   */
  menu?: boolean;
  /** The arguments, parsed from the text typed after the command name. */
  args: z.ZodType<Args>;
  /** Turns the typed text into the raw arguments the schema checks. */
  read(text: string): unknown;
  run(ctx: BoundContext, args: Args): Promise<Reply[]>;
  /** Message shortcuts (Slack) / message actions (Teams) this command offers. */
  shortcuts?: Array<{ id: string; titleKey: string; descriptionKey: string }>;
}

export type FormOutcome =
  | { type: 'invalid'; errors: Record<string, string> }
  | { type: 'done'; replies: Reply[] }
  | { type: 'next'; form: FormView };

export interface FormHandler {
  needsPlatform: boolean;
  submit(ctx: Context, values: FormValues, state: Record<string, unknown>): Promise<FormOutcome>;
}

export interface ActionHandler {
  needsPlatform: boolean;
  click(ctx: Context, value: string): Promise<Reply[]>;
}

export interface ShortcutHandler {
  open(ctx: Context, message: { text: string; link?: string }): Promise<Reply[]>;
}

/** A command file's exports. */
export interface CommandModule {
  command: Command<any>;
  forms?: Record<string, FormHandler>;
  actions?: Record<string, ActionHandler>;
  shortcuts?: Record<string, ShortcutHandler>;
}

/** What a command could not read in the text typed after it, as sentence keys and their parameters. */
export class TextProblems extends Error {
  constructor(readonly problems: Array<{ key: string; params: Record<string, unknown> }>) {
    super(problems.map((p) => p.key).join(', '));
  }
}

export const message = (view: MessageView): Reply => ({ type: 'message', view });
export const form = (view: FormView): Reply => ({ type: 'form', form: view });
