import { registerActions } from './action.js';
import { registerCommand } from './command.js';
import { registerMentions } from './mention.js';
import { registerShortcuts } from './shortcut.js';
import type { ListenerDeps } from './types.js';
import { SLASH_COMMAND } from '../routes.js';
import { registerViews } from './view.js';


export function registerListeners(deps: ListenerDeps): void {
  registerCommand(deps, SLASH_COMMAND);
  registerActions(deps);
  registerViews(deps);
  registerShortcuts(deps);
  registerMentions(deps);
}
