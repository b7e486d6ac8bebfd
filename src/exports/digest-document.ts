/**
 * `passerelle digest`: a digest as a document, Markdown or standalone HTML. It is the same digest
 * as in chat (templates/digest-views.ts `digestBlocks`), written whole in one document instead of
 * a message and its thread. Members' words are escaped; a mention is written `@name`; an instant is
 * written in the platform's zone.
 */
import type { Block, Rich, Span } from '../../templates/view.js';

export const DIGEST_FORMATS = ['md', 'html'] as const;
export type DigestFormat = (typeof DIGEST_FORMATS)[number];

// ---- Markdown ------------------------------------------------------------------------------------

const mdEscape = (text: string) => text.replace(/[\\`*_[\]<>|~]/g, '\\$&');

function mdSpan(span: Span): string {
  if (typeof span === 'string') return mdEscape(span);
  let text = mdEscape(span.mention ? (span.text.startsWith('@') ? span.text : `@${span.text}`) : span.text);
  if (span.code) text = `\`${span.text.replace(/`/g, "'")}\``;
  if (span.link && /^(https?:|mailto:)/i.test(span.link)) text = `[${text}](${span.link.replace(/[()\s]/g, encodeURIComponent)})`;
  if (span.bold) text = `**${text}**`;
  if (span.italic) text = `_${text}_`;
  return text;
}

/** Rich text as Markdown: a line break inside a paragraph is a hard break. */
const mdRich = (rich: Rich) => rich.map(mdSpan).join('').replace(/\n/g, '  \n');

export function digestMarkdown(blocks: Block[]): string {
  let firstHeading = true;
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case 'heading':
        out.push(`${firstHeading ? '#' : '##'} ${mdEscape(b.text)}`);
        firstHeading = false;
        break;
      case 'text':
        out.push(mdRich(b.text));
        break;
      case 'context':
        out.push(`_${mdRich(b.text)}_`);
        break;
      case 'quote':
        out.push(b.text.split('\n').map((line) => `> ${mdEscape(line)}`).join('\n'));
        break;
      case 'fields':
        out.push(b.fields.map((f) => `- **${mdEscape(f.label)}**: ${mdRich(f.value)}`).join('\n'));
        break;
      case 'divider':
        out.push('---');
        break;
      case 'buttons':
        break;
    }
  }
  // A paragraph line that starts with # would be a heading.
  return `${out.join('\n\n').replace(/^(?!#+ )(#)/gm, '\\$1')}\n`;
}

// ---- HTML ----------------------------------------------------------------------------------------

const htmlEscape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function htmlSpan(span: Span): string {
  if (typeof span === 'string') return htmlEscape(span);
  let text = htmlEscape(span.mention && !span.text.startsWith('@') ? `@${span.text}` : span.text);
  if (span.code) text = `<code>${text}</code>`;
  if (span.link && /^(https?:|mailto:)/i.test(span.link)) text = `<a href="${htmlEscape(span.link)}">${text}</a>`;
  if (span.bold) text = `<strong>${text}</strong>`;
  if (span.italic) text = `<em>${text}</em>`;
  return text;
}

const htmlRich = (rich: Rich) => rich.map(htmlSpan).join('').replace(/\n/g, '<br>\n');

export function digestHtml(blocks: Block[], options: { language: string; title: string }): string {
  let firstHeading = true;
  const body: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case 'heading':
        body.push(firstHeading ? `<h1>${htmlEscape(b.text)}</h1>` : `<h2>${htmlEscape(b.text)}</h2>`);
        firstHeading = false;
        break;
      case 'text':
        body.push(`<p>${htmlRich(b.text)}</p>`);
        break;
      case 'context':
        body.push(`<p class="note">${htmlRich(b.text)}</p>`);
        break;
      case 'quote':
        body.push(`<blockquote>${htmlEscape(b.text).replace(/\n/g, '<br>\n')}</blockquote>`);
        break;
      case 'fields':
        body.push(`<dl>\n${b.fields.map((f) => `<dt>${htmlEscape(f.label)}</dt><dd>${htmlRich(f.value)}</dd>`).join('\n')}\n</dl>`);
        break;
      case 'divider':
        body.push('<hr>');
        break;
      case 'buttons':
        break;
    }
  }
  return `<!DOCTYPE html>
<html lang="${htmlEscape(options.language)}">
<head>
<meta charset="utf-8">
<title>${htmlEscape(options.title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }
.note { color: #666; font-size: 0.9em; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dt { font-weight: bold; }
dd { margin: 0; }
</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}
