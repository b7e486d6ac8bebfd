/** `/passerelle help`, also shown for any unknown command. */
import { z } from 'zod';
import { helpView } from '../templates/help.js';
import { message, type CommandModule } from './types.js';

export const help: CommandModule = {
  command: {
    name: 'help',
    needsPlatform: false,
    args: z.object({}),
    read: () => ({}),
    async run(ctx) {
      return [message(helpView(ctx.t, ctx.commands, ctx.origin.channel))];
    },
  },
};
