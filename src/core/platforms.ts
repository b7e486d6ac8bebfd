import type { Platform, Secretariat } from '../config/platforms.js';

export type { Platform };
export type ChatChannel = 'slack' | 'teams';

/** The platforms of the platforms file, and which chat channel belongs to which. */
export class PlatformDirectory {
  private readonly byChannel = new Map<string, Platform>();
  private readonly byId = new Map<string, Platform>();

  constructor(
    readonly all: readonly Platform[],
    private readonly secretariat: Secretariat = { slack: [], teams: [] },
  ) {
    for (const platform of all) {
      this.byId.set(platform.id, platform);
      for (const id of platform.slack.channels) this.byChannel.set(`slack:${id}`, platform);
      for (const id of platform.teams.channels) this.byChannel.set(`teams:${id}`, platform);
    }
  }

  /** Whether a member belongs to the secretariat (the platforms file's `secretariat`). */
  isSecretariat(member: { channel: string; externalId: string }): boolean {
    const ids: readonly string[] = member.channel === 'slack' ? this.secretariat.slack : member.channel === 'teams' ? this.secretariat.teams : [];
    return ids.includes(member.externalId);
  }

  /** The secretariat's chat user ids, per chat channel. */
  secretariatIds(channel: ChatChannel): readonly string[] {
    return this.secretariat[channel];
  }

  get(id: string): Platform | undefined {
    return this.byId.get(id);
  }

  boundTo(channel: ChatChannel, conversationId: string): Platform | undefined {
    return this.byChannel.get(`${channel}:${conversationId}`);
  }

  /** Where a platform's messages go, for the channel given. */
  conversationsOf(platform: Platform, channel: ChatChannel): string[] {
    return platform[channel].channels;
  }
}
