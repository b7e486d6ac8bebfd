/**
 * Neutral rich text to the Markdown subset Teams renders in an Adaptive Card's TextBlock and in a
 * FactSet's titles and values: **bold**, _italic_, [text](url) and lists; no headings, tables,
 * images, code or quotes (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format).
 *
 * Everything a member typed goes through `escape`, so that Teams shows it exactly as typed: no
 * emphasis, link, list, heading, quote, HTML, `<at>` mention or `{{DATE()}}` of theirs is
 * interpreted. Backslash escapes are CommonMark's; only what would otherwise be read as Markdown
 * is escaped (some Teams mobile clients have shown stray backslashes in the past, so less is better).
 */
import { instantOf, type Rich } from '../../../templates/view.js';

/** A line break Teams shows: it reads a single `\n` in a TextBlock as a space; `\n\n` breaks the line. */
export const LINE_BREAK = '\n\n';

/** Escaped anywhere in a line: emphasis, code, links, strikethrough, HTML and mentions, date functions. */
const INLINE = /[\\`*_[\]~<{]/g;
/** An HTML entity (`&amp;`, `&#38;`): Markdown would decode it; `\&` keeps it as typed. */
const ENTITY = /&(?=#?[a-z0-9]+;)/gi;

function escapeLine(line: string, atLineStart: boolean): string {
  const out = line.replace(INLINE, '\\$&').replace(ENTITY, '\\&');
  if (!atLineStart) return out;
  // Four leading spaces would make a code block: leading blanks become no-break spaces, which
  // look the same and mean nothing to Markdown.
  const indent = /^[ \t]*/.exec(out)![0];
  const rest = out.slice(indent.length);
  const blanks = indent.replace(/\t/g, '    ').replace(/ /g, '\u00a0');
  // A heading, a quote, a list item or a thematic break (`#`, `>`, `-`, `+`; `*` is escaped
  // everywhere), or an ordered list item (`1.`, `1)`).
  return blanks + rest.replace(/^[#>+-]/, '\\$&').replace(/^(\d+)([.)])/, '$1\\$2');
}

/**
 * A plain string as Markdown that Teams shows exactly as typed, line breaks included.
 * `atLineStart` says whether the text opens a line of the TextBlock (it does unless it follows other text).
 */
export function escape(text: string, atLineStart = true): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line, i) => escapeLine(line, atLineStart || i > 0))
    .join(LINE_BREAK);
}

/** A link only for addresses a browser opens safely; anything else stays text. */
const SAFE_URL = /^(https?:\/\/|mailto:)/i;
const linkTarget = (url: string) => url.trim().replace(/[\s()<>\\]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/** Wraps each line of `text` in `mark` (Markdown emphasis cannot span a paragraph, nor start or end with a blank). */
function emphasise(text: string, mark: string, closing = mark): string {
  return text
    .split(LINE_BREAK)
    .map((line) => {
      const [, before, inner, after] = /^([\s\u00a0]*)(.*?)([\s\u00a0]*)$/s.exec(line)!;
      return inner ? `${before}${mark}${inner}${closing}${after}` : line;
    })
    .join(LINE_BREAK);
}

/**
 * An instant as the Adaptive Card date and time functions (learn.microsoft.com/adaptive-cards/
 * authoring-cards/text-features), which the client shows in the reader's own time zone and locale:
 * `{{DATE(2026-12-01T17:00:00Z, SHORT)}} {{TIME(2026-12-01T17:00:00Z)}}`. The functions want RFC 3339
 * to the second, no fraction (`…:00Z`; with milliseconds the raw text is shown): the instant is written
 * in UTC with `Z`, its milliseconds dropped. Only this renderer writes them: `escape` keeps a member's
 * typed `{{DATE()}}` as text.
 */
export function dateFunctions(at: Date): string {
  const iso = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`;
}

/**
 * Neutral rich text as Teams Markdown. Mentions are shown as the member's name (a live Teams
 * mention needs `msteams.entities` on the card, not done yet); code is shown as plain text, since
 * Teams renders no code in cards and would show backticks as typed. A `time` span is the date and
 * time functions, which TextBlocks and facts' values both format (the Adaptive Cards renderers run
 * the same date parsing on a fact's value as on a TextBlock's text).
 */
export function markdown(rich: Rich): string {
  let out = '';
  for (const span of rich) {
    const atLineStart = out === '' || out.endsWith('\n');
    if (typeof span === 'string') {
      out += escape(span, atLineStart);
      continue;
    }
    const at = instantOf(span);
    if (at) {
      let text = dateFunctions(at);
      if (span.italic) text = emphasise(text, '_');
      if (span.bold) text = emphasise(text, '**');
      out += text;
      continue;
    }
    if (span.link && !span.mention) {
      const label = escape(span.text.replace(/\s+/g, ' '), false);
      if (SAFE_URL.test(span.link.trim())) {
        out += `[${label}](${linkTarget(span.link)})`;
      } else {
        out += span.text === span.link ? label : `${label} (${escape(span.link, false)})`;
      }
      continue;
    }
    let text = escape(span.text, atLineStart);
    // Adaptive Cards show no strikethrough: a difference is marked [-taken out-] and {+put in+}.
    if (span.deleted) {
      out += emphasise(text, '\\[-', '-\\]');
      continue;
    }
    if (span.inserted) {
      out += emphasise(emphasise(text, '\\{+', '+}'), '**');
      continue;
    }
    if (span.italic) text = emphasise(text, '_');
    if (span.bold) text = emphasise(text, '**');
    out += text;
  }
  return out;
}
