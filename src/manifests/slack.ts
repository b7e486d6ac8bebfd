/**
 * The Slack app manifest, generated from the command definitions (commands/) and the English
 * locale, so that the app configured at api.slack.com always matches what the bot handles.
 * Paste it at https://api.slack.com/apps → Create New App → From a manifest.
 */
import { COMMANDS } from '../../commands/index.js';
import { translator } from '../../templates/i18n.js';
import { SLACK_EVENTS_PATH, SLASH_COMMAND } from '../channels/slack/routes.js';

/**
 * Exactly the scopes the bot's code needs: the slash command; chat.postMessage, chat.update and
 * chat.postEphemeral (chat:write); the app_mention event. views.open and response_url replies
 * need none.
 */
/**
 * im:write: conversations.open, for direct messages (vote reminders). channels:history,
 * groups:history, im:history: conversations.history/replies, where the outbox looks for a message
 * it may have posted just before a crash, so as not to post it twice (src/channels/slack/delivery.ts).
 * files:write: files.getUploadURLExternal / completeUploadExternal, for exchange invitations (.ics).
 */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'app_mentions:read', 'im:write', 'channels:history', 'groups:history', 'im:history', 'files:write'] as const;

const DESCRIPTION = 'Files observations of company restructuring cases for multi-actor platforms in Europe.';
const LONG_DESCRIPTION =
  'Passerelle helps the multi-actor platforms that capitalise on innovative ways of managing company restructuring in Europe. ' +
  'Members type /passerelle observe, mention @Passerelle or use the "Capture as observation" message shortcut to file what they ' +
  'saw in a restructuring case, tagged on three dimensions: workers, territory and company. Each observation is posted as a card ' +
  "in the platform's channel, can be linked to a case described with the fields of Eurofound's European Restructuring Monitor, " +
  'and is exported for the secretariat.';

/** Slack's limits (test/fixtures/slack-app-manifest.schema.json). */
const LIMITS = { shortcutName: 24, shortcutDescription: 150, shortcuts: 10, usageHint: 1000, slashDescription: 2000 } as const;

export interface SlackManifest {
  display_information: { name: string; description: string; long_description: string };
  features: {
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: Array<{ command: string; url: string; description: string; usage_hint: string; should_escape: boolean }>;
    shortcuts?: Array<{ name: string; type: 'message'; callback_id: string; description: string }>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

/** A text for Slack that must fit; a locale text too long is a bug to fix in the locale file. */
function fit(text: string, max: number, what: string): string {
  if (text.length === 0 || text.length > max) {
    throw new Error(`Slack manifest: ${what} must be 1 to ${max} characters, it is ${text.length}: "${text}"`);
  }
  return text;
}

/** Every command's usage, as one hint: `observe <text> … | case new | … | help`. */
function usageHint(t: (key: string) => string): string {
  const hint = COMMANDS.map((c) => t(`commands.${c.name}.usage`)).join(' | ');
  return hint.length <= LIMITS.usageHint ? hint : `${hint.slice(0, LIMITS.usageHint - 1)}…`;
}

/** The manifest of the Slack app served at `publicUrl` (the https base URL, e.g. https://passerelle.example.org). */
export function slackManifest(publicUrl: string): SlackManifest {
  const t = translator('en');
  const requestUrl = `${publicUrl.replace(/\/+$/, '')}${SLACK_EVENTS_PATH}`;

  const shortcuts = COMMANDS.flatMap((command) =>
    (command.shortcuts ?? []).map((s) => ({
      name: fit(t(s.titleKey), LIMITS.shortcutName, `the name of shortcut ${s.id} (${s.titleKey})`),
      type: 'message' as const,
      callback_id: s.id,
      description: fit(t(s.descriptionKey), LIMITS.shortcutDescription, `the description of shortcut ${s.id} (${s.descriptionKey})`),
    })),
  );
  if (shortcuts.length > LIMITS.shortcuts) throw new Error(`Slack manifest: at most ${LIMITS.shortcuts} shortcuts, the commands define ${shortcuts.length}`);

  return {
    display_information: { name: 'Passerelle', description: DESCRIPTION, long_description: LONG_DESCRIPTION },
    features: {
      bot_user: { display_name: 'Passerelle', always_online: true },
      slash_commands: [
        {
          command: SLASH_COMMAND,
          url: requestUrl,
          description: fit(t('manifest.slashDescription'), LIMITS.slashDescription, 'the slash command description (manifest.slashDescription)'),
          usage_hint: usageHint(t),
          // Slack then sends mentions as <@U…|name>: commands name members by their ids (group add).
          should_escape: true,
        },
      ],
      ...(shortcuts.length ? { shortcuts } : {}),
    },
    oauth_config: { scopes: { bot: [...SLACK_BOT_SCOPES] } },
    settings: {
      event_subscriptions: { request_url: requestUrl, bot_events: ['app_mention'] },
      interactivity: { is_enabled: true, request_url: requestUrl },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
}
