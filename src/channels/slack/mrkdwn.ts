/** Neutral rich text to Slack's mrkdwn, and Slack's message text back to plain text. */
import { instantOf, type Rich } from '../../../templates/view.js';

/** Slack wants &, < and > escaped in any text it formats. */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Wraps each line of `text` in `mark`, leaving the blanks at its edges outside: Slack shows
 * `~gone~` and `*new*` only when the marks touch the words and stay within a line.
 */
function around(text: string, mark: string): string {
  return text
    .split('\n')
    .map((line) => {
      const [, before, inner, after] = /^(\s*)(.*?)(\s*)$/s.exec(line)!;
      return inner ? `${before}${mark}${inner}${mark}${after}` : line;
    })
    .join('\n');
}

/** How a date token shows its instant, in the reader's zone: `today 6:00 PM`, `Dec 1, 2026 6:00 PM`. */
export const DATE_FORMAT = '{date_short_pretty} {time}';

/**
 * An instant as Slack's date token (api.slack.com/reference/surfaces/formatting, "Date formatting"):
 * `<!date^unix seconds^format|fallback>`, which Slack shows in the reader's own time zone, and clients
 * that cannot, as the fallback. The fallback is mrkdwn-escaped, and a `|` in it becomes `¦` as in a
 * link's label, so that it cannot end the token's parts early.
 */
export function dateToken(at: Date, fallback: string): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^${DATE_FORMAT}|${escape(fallback).replace(/\|/g, '¦')}>`;
}

export function mrkdwn(rich: Rich): string {
  return rich
    .map((span) => {
      if (typeof span === 'string') return escape(span);
      if (span.mention?.channel === 'slack') return `<@${span.mention.id}>`;
      const at = instantOf(span);
      if (at) {
        let token = dateToken(at, span.text);
        if (span.bold) token = `*${token}*`;
        if (span.italic) token = `_${token}_`;
        return token;
      }
      let text = escape(span.text);
      if (span.link) return `<${span.link.replace(/[<>|]/g, encodeURIComponent)}|${text.replace(/\|/g, '¦')}>`;
      if (span.deleted) return around(text, '~');
      if (span.inserted) return around(text, '*');
      if (span.code) text = `\`${text}\``;
      if (span.bold) text = `*${text}*`;
      if (span.italic) text = `_${text}_`;
      return text;
    })
    .join('');
}

/**
 * What a member typed, as Slack delivers it, back to what they saw: entities decoded, links
 * shown as their address, mentions of people and channels as their names, date tokens as their
 * fallback text. With `userIds`, people are `@` and their Slack user id instead (`@U0123ABC`), the
 * neutral form in which commands name members (`group add @U0123ABC`): names are neither unique
 * nor stable.
 */
export function plainFromSlack(text: string, options: { userIds?: boolean } = {}): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]+))?>/g, (_m, id: string, name?: string) => `@${options.userIds ? id : (name ?? id)}`)
    // With escaping on, Slack turns a typed `#word` into a channel link when such a channel exists:
    // give the member's `#word` back, so that it reads as the hashtag it was.
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name || id}`)
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    // A date token (ours, in a message captured as an observation) reads as its fallback text.
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<(https?:[^>|]+)(?:\|([^>]+))?>/g, (_m, url: string, label?: string) => (label && label !== url ? `${label} (${url})` : url))
    .replace(/<mailto:([^>|]+)(?:\|[^>]+)?>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
