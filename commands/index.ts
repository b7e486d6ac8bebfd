/** Every command, in the order help lists them. Adding a command is adding its file here. */
import { caseCommand } from './case.js';
import { clause } from './clause.js';
import { code } from './code.js';
import { digest } from './digest.js';
import { exchange } from './exchange.js';
import { framework } from './framework.js';
import { group } from './group.js';
import { help } from './help.js';
import { indicators } from './indicators.js';
import { me } from './me.js';
import { observe } from './observe.js';
import { practice } from './practice.js';
import type { ActionHandler, CommandModule, FormHandler, ShortcutHandler } from './types.js';

export const COMMAND_MODULES: readonly CommandModule[] = [observe, caseCommand, indicators, practice, group, clause, code, exchange, digest, framework, me, help];

export const COMMANDS = COMMAND_MODULES.map((m) => m.command);

function collect<T>(pick: (m: CommandModule) => Record<string, T> | undefined): Map<string, T> {
  const all = new Map<string, T>();
  for (const m of COMMAND_MODULES) {
    for (const [id, handler] of Object.entries(pick(m) ?? {})) {
      if (all.has(id)) throw new Error(`commands: "${id}" is defined twice`);
      all.set(id, handler);
    }
  }
  return all;
}

export const FORMS: ReadonlyMap<string, FormHandler> = collect((m) => m.forms);
export const ACTIONS: ReadonlyMap<string, ActionHandler> = collect((m) => m.actions);
export const SHORTCUTS: ReadonlyMap<string, ShortcutHandler> = collect((m) => m.shortcuts);

export type { CommandModule };
