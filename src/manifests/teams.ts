/**
 * The Teams app package, generated from the command definitions (commands/) and the English locale,
 * so that the app uploaded to Teams always matches what the bot handles: a zip of manifest.json,
 * color.png and outline.png. Upload it in Teams → Apps → Manage your apps → Upload an app, or in the
 * Teams admin center.
 */
import { readFileSync } from 'node:fs';
import type { TeamsManifestV1D30 } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { COMMANDS } from '../../commands/index.js';
import { translator } from '../../templates/i18n.js';
import { colorIcon, outlineIcon } from './icons.js';

/**
 * The newest manifest schema @microsoft/app-manifest ships (node_modules/@microsoft/app-manifest/
 * build/json-schemas/teams/v1.30; vDevPreview is not a release). Its types check the manifest below
 * at compile time; test/cli/manifest-teams.test.ts validates the output against the JSON schema.
 */
export const TEAMS_MANIFEST_VERSION = '1.30';
export type TeamsManifest = TeamsManifestV1D30.TeamsManifestV1D30;

/** Where the bot can be talked to: channels of a team, group chats, one-to-one chats. */
export const TEAMS_BOT_SCOPES = ['team', 'groupChat', 'personal'] as const;

export const ACCENT_COLOR = '#1b5e8c';

const SHORT_DESCRIPTION = 'Observations of company restructuring cases for European multi-actor platforms';

/**
 * The limits of the v1.30 schema, except the bot commands': v1.30 allows titles of 128 and
 * descriptions of 4000 characters, but Teams documents (and schemas up to v1.21 enforced) 32 and 128
 * for the command menu, so those are kept.
 */
const LIMITS = {
  shortName: 30,
  shortDescription: 80,
  fullDescription: 4000,
  botCommands: 10,
  botCommandTitle: 32,
  botCommandDescription: 128,
  actions: 10,
  actionId: 64,
  actionTitle: 32,
  actionDescription: 128,
} as const;

/** A name that must fit; a locale text too long is a bug to fix in the locale file. */
function fit(text: string, max: number, what: string): string {
  if (text.length === 0 || text.length > max) {
    throw new Error(`Teams manifest: ${what} must be 1 to ${max} characters, it is ${text.length}: "${text}"`);
  }
  return text;
}

/** A description that may be cut: with an ellipsis, only when it is longer than `max`. */
function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** The version of Passerelle (package.json), which is the version of the app. */
export function passerelleVersion(): string {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  // Teams takes major.minor.patch only.
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`Teams manifest: package.json version "${version}" is not major.minor.patch`);
  return version;
}

export interface TeamsManifestOptions {
  /** The Microsoft App ID of the bot (its Azure Bot registration), a GUID; also the id of the Teams app. */
  appId: string;
  /** The https base URL of the bot, e.g. https://passerelle.example.org. */
  publicUrl: string;
  /** The app version; default: package.json's. */
  version?: string;
}

/** The manifest.json of the Teams app. */
export function teamsManifest({ appId, publicUrl, version = passerelleVersion() }: TeamsManifestOptions): TeamsManifest {
  const t = translator('en');
  const url = publicUrl.replace(/\/+$/, '');

  const commands = COMMANDS.filter((command) => command.menu !== false).map((command) => ({
    title: fit(command.name, LIMITS.botCommandTitle, `the title of command ${command.name}`),
    description: shorten(t(`commands.${command.name}.summary`), LIMITS.botCommandDescription),
  }));
  if (commands.length > LIMITS.botCommands) throw new Error(`Teams manifest: at most ${LIMITS.botCommands} bot commands, the commands define ${commands.length}`);

  const actions = COMMANDS.flatMap((command) =>
    (command.shortcuts ?? []).map((s) => ({
      id: fit(s.id, LIMITS.actionId, `the id of shortcut ${s.id}`),
      type: 'action' as const,
      title: fit(t(s.titleKey), LIMITS.actionTitle, `the title of shortcut ${s.id} (${s.titleKey})`),
      description: shorten(t(s.descriptionKey), LIMITS.actionDescription),
      context: ['message' as const],
      fetchTask: true,
    })),
  );
  if (actions.length > LIMITS.actions) throw new Error(`Teams manifest: at most ${LIMITS.actions} message actions, the commands define ${actions.length}`);

  const actionTitles = actions.map((a) => `"${a.title}"`).join(', ');
  const fullDescription =
    'Passerelle helps the multi-actor platforms that capitalise on innovative ways of managing company restructuring in Europe. ' +
    `Members write to @Passerelle (${COMMANDS.map((c) => c.name).join(', ')})` +
    (actions.length ? ` or use the ${actionTitles} message action${actions.length > 1 ? 's' : ''}` : '') +
    ' to file what they saw in a restructuring case, tagged on three dimensions: workers, territory and company. ' +
    "Each observation is posted as a card in the platform's channel, can be linked to a case described with the fields of " +
    "Eurofound's European Restructuring Monitor, and is exported for the secretariat.";

  return {
    $schema: `https://developer.microsoft.com/en-us/json-schemas/teams/v${TEAMS_MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: TEAMS_MANIFEST_VERSION,
    version,
    id: appId,
    developer: {
      name: 'Passerelle',
      // Passerelle serves no privacy or terms page of its own: all three point to the bot's address.
      websiteUrl: url,
      privacyUrl: url,
      termsOfUseUrl: url,
    },
    name: { short: fit('Passerelle', LIMITS.shortName, 'the short name'), full: 'Passerelle — restructuring observations' },
    description: {
      short: fit(SHORT_DESCRIPTION, LIMITS.shortDescription, 'the short description'),
      full: fit(fullDescription, LIMITS.fullDescription, 'the full description'),
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: ACCENT_COLOR,
    bots: [
      {
        botId: appId,
        scopes: [...TEAMS_BOT_SCOPES],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [{ scopes: [...TEAMS_BOT_SCOPES], commands }],
      },
    ],
    ...(actions.length ? { composeExtensions: [{ botId: appId, commands: actions }] } : {}),
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [new URL(url).hostname],
  };
}

/** The app package: a zip of manifest.json and the two icons it names. */
export async function teamsAppPackage(options: TeamsManifestOptions): Promise<Buffer> {
  const manifest = teamsManifest(options);
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  zip.file(manifest.icons.color, colorIcon(manifest.accentColor));
  zip.file(manifest.icons.outline!, outlineIcon());
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
}
