/** `/passerelle code [CODE]`: a code of conduct's adopted clauses by stage (the channel's platform's by default). */
import { z } from 'zod';
import { codeByStage } from '../src/core/clauses/clauses.js';
import { Refusal } from '../src/core/refusal.js';
import { codeView } from '../templates/clause-views.js';
import { message, type CommandModule } from './types.js';

const CodeArgs = z.object({ code: z.string().trim().toUpperCase().regex(/^[A-Z][A-Z0-9]{1,9}$/, 'errors.codeFormat').optional() });
type CodeArgs = z.infer<typeof CodeArgs>;

export const code: CommandModule = {
  command: {
    name: 'code',
    needsPlatform: true,
    args: CodeArgs,
    read: (text) => ({ code: text.trim() || undefined }),
    async run(ctx, args: CodeArgs) {
      const id = args.code ?? ctx.platform.id;
      const platform = ctx.platforms.get(id);
      if (!platform) throw new Refusal('errors.unknownCode', { code: id, codes: ctx.platforms.all.map((p) => p.id).join(', ') });
      return [message(codeView(ctx.t, platform.id, platform.name, await codeByStage(ctx.db, platform.id)))];
    },
  },
};
