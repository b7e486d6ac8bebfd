import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { translator } from '../../templates/i18n.js';
import { validateSlackManifest } from '../support/manifest-schema.js';
import { passerelle } from './run-cli.js';

const URL = 'https://passerelle.example.org';

describe('passerelle manifest slack', () => {
  it("prints a manifest that Slack's schema accepts, with the slash command and the shortcut", async () => {
    const result = await passerelle(['manifest', 'slack', '--url', URL], {});
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const manifest = JSON.parse(result.stdout);
    expect(validateSlackManifest(manifest)).toEqual([]);

    const t = translator('en');
    expect(manifest.features.slash_commands).toEqual([
      {
        command: '/passerelle',
        url: `${URL}/slack/events`,
        description: expect.any(String),
        usage_hint: expect.any(String),
        should_escape: true,
      },
    ]);
    for (const { name } of COMMANDS) expect(manifest.features.slash_commands[0].usage_hint).toContain(t(`commands.${name}.usage`));
    expect(manifest.features.shortcuts).toContainEqual({
      type: 'message',
      callback_id: 'observation.capture',
      name: t('shortcut.captureTitle'),
      description: t('shortcut.captureDescription'),
    });
    expect(manifest.features.bot_user).toEqual({ display_name: 'Passerelle', always_online: true });
    expect(manifest.oauth_config.scopes.bot).toEqual(['commands', 'chat:write', 'app_mentions:read', 'im:write', 'channels:history', 'groups:history', 'im:history', 'files:write']);
    expect(manifest.settings).toEqual({
      event_subscriptions: { request_url: `${URL}/slack/events`, bot_events: ['app_mention'] },
      interactivity: { is_enabled: true, request_url: `${URL}/slack/events` },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    });
  });

  it('takes the URL from PUBLIC_URL when --url is not given (a trailing slash is fine)', async () => {
    const result = await passerelle(['manifest', 'slack'], { PUBLIC_URL: 'https://bots.example.org/passerelle/' });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).settings.interactivity.request_url).toBe('https://bots.example.org/passerelle/slack/events');
  });

  it('exits with 2 and says how to give the URL when there is none', async () => {
    const result = await passerelle(['manifest', 'slack'], {});
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Pass --url https://… or set PUBLIC_URL.');
  });

  it('refuses a URL that is not https, or that already ends with /slack/events', async () => {
    for (const [vars, args, message] of [
      [{}, ['--url', 'http://passerelle.example.org'], '--url: must be an https URL'],
      [{}, ['--url', 'passerelle.example.org'], '--url: must be an https URL'],
      [{}, ['--url', `${URL}/slack/events`], 'without /slack/events'],
      [{ PUBLIC_URL: 'http://passerelle.example.org' }, [], 'PUBLIC_URL: must be an https URL'],
    ] as const) {
      const result = await passerelle(['manifest', 'slack', ...args], vars);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(message);
    }
  });

  it('refuses a chat platform it has no manifest for', async () => {
    const result = await passerelle(['manifest', 'discord'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'discord'");
  });
});
