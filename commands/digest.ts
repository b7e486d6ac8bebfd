/**
 * `/passerelle digest`: the digest of the current week so far (Monday 00:00 in the platform's
 * time zone until now), for the member alone (Slack: ephemeral; Teams: a reply in the command's
 * thread). It is the channel's copy: never an observation kept for the secretariat. It is one
 * message: what the weekly digest would post in its thread is counted, not shown.
 */
import { z } from 'zod';
import { buildDigest } from '../src/core/digests/build.js';
import { weekSoFar } from '../src/core/digests/window.js';
import { digestViews } from '../templates/digest-views.js';
import { message, type CommandModule } from './types.js';

const DigestArgs = z.object({});

export const digest: CommandModule = {
  command: {
    name: 'digest',
    needsPlatform: true,
    // The weekly digest comes by itself; Teams' command menu holds 10 commands (typed, it works, and help lists it).
    menu: false,
    args: DigestArgs,
    read: () => ({}),
    async run(ctx) {
      const window = weekSoFar(ctx.scheduler?.now() ?? new Date(), ctx.platform.timezone);
      const data = await buildDigest({ db: ctx.db, platforms: ctx.platforms, platform: ctx.platform, audience: 'channel', window });
      const [first, ...rest] = digestViews(ctx.t, data, { language: ctx.language });
      if (!rest.length) return [message(first!)];
      // The first message says "continued in the thread": here it is told what is left out instead.
      const blocks = first!.blocks.slice(0, -1);
      blocks.push({ type: 'context', text: [ctx.t('digest.moreInDigest', { count: rest.length })] });
      return [message({ ...first!, blocks })];
    },
  },
};
