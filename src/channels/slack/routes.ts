/** Where Slack reaches Passerelle: kept apart so that the manifest builder need not load Bolt. */
export const SLACK_EVENTS_PATH = '/slack/events';
export const SLASH_COMMAND = '/passerelle';
