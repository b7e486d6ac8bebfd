/**
 * Text of the Eurofound ERM exports made plain: the literal `\r\n` sequences they store for line
 * breaks, their HTML (markup, entities, pasted MS-Word XML in conditional comments) and their
 * mojibake (`GΓ¶teborg` for Göteborg: UTF-8 bytes that were read as Windows-1253, Greek, and
 * encoded again as UTF-8).
 */
import { compile } from 'html-to-text';

/** Windows-1253 bytes 0x80–0xFF as the export read them; bytes Windows-1253 leaves undefined came through as the C1 control of the same number, or (0xAA, 0xD2, 0xFF) as Microsoft's private-use stand-ins. */
const CP1253_HIGH =
  '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\x88\u2030\x8a\u2039\x8c\x8d\x8e\x8f' +
  '\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\x98\u2122\x9a\u203a\x9c\x9d\x9e\x9f' +
  '\xa0\u0385\u0386\xa3\xa4\xa5\xa6\xa7\xa8\xa9\uf8f9\xab\xac\xad\xae\u2015' +
  '\xb0\xb1\xb2\xb3\u0384\xb5\xb6\xb7\u0388\u0389\u038a\xbb\u038c\xbd\u038e\u038f' +
  '\u0390\u0391\u0392\u0393\u0394\u0395\u0396\u0397\u0398\u0399\u039a\u039b\u039c\u039d\u039e\u039f' +
  '\u03a0\u03a1\uf8fa\u03a3\u03a4\u03a5\u03a6\u03a7\u03a8\u03a9\u03aa\u03ab\u03ac\u03ad\u03ae\u03af' +
  '\u03b0\u03b1\u03b2\u03b3\u03b4\u03b5\u03b6\u03b7\u03b8\u03b9\u03ba\u03bb\u03bc\u03bd\u03be\u03bf' +
  '\u03c0\u03c1\u03c2\u03c3\u03c4\u03c5\u03c6\u03c7\u03c8\u03c9\u03ca\u03cb\u03cc\u03cd\u03ce\uf8fb';

const BYTE_OF = new Map<string, number>([...CP1253_HIGH].map((ch, i) => [ch, 0x80 + i]));
/** A character class of the characters standing for bytes lo..hi. */
const bytes = (lo: number, hi: number) =>
  `[${[...CP1253_HIGH.slice(lo - 0x80, hi - 0x80 + 1)].map((ch) => `\\u{${ch.codePointAt(0)!.toString(16)}}`).join('')}]`;
const CONT = bytes(0x80, 0xbf);
/** One UTF-8 sequence of 2, 3 or 4 bytes, written in Windows-1253. */
const SEQUENCE = new RegExp(`${bytes(0xc2, 0xdf)}${CONT}|${bytes(0xe0, 0xef)}${CONT}{2}|${bytes(0xf0, 0xf4)}${CONT}{3}`, 'gu');
/** Letters of real Greek text: a sequence right after one is Greek, not mojibake (mojibake never puts a lead after them). */
const GREEK_LETTER = /[\u0391-\u03ce]/u;
/** What repaired text may hold: Latin letters and signs, Greek, Cyrillic, punctuation, €, ™. */
const PLAUSIBLE = /^[\u00a0-\u024f\u0370-\u03ff\u0400-\u04ff\u1e00-\u1eff\u2000-\u206f\u20ac\u2122]$/u;
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** A quick test for a lead character, so that clean text skips the regular expression. */
const ANY_LEAD = new RegExp(`${bytes(0xc2, 0xf4)}`, 'u');

/**
 * Repairs the mojibake of the exports: each run of characters that are the Windows-1253 reading of
 * one UTF-8 character (`Γ¶` → `ö`, `β€™` → `’`, `Ξ•` → `Ε`) is decoded back, when the bytes are
 * valid UTF-8 giving a plausible European character and the run does not follow a Greek letter
 * (real Greek text such as `Ν. 28(I)/2001 - Ο περί` is left alone).
 */
export function repairMojibake(text: string): string {
  if (!ANY_LEAD.test(text)) return text;
  return text.replace(SEQUENCE, (run, offset: number) => {
    if (offset > 0 && GREEK_LETTER.test(text[offset - 1]!)) return run;
    let decoded: string;
    try {
      decoded = utf8.decode(Uint8Array.from([...run].map((ch) => BYTE_OF.get(ch)!)));
    } catch {
      return run;
    }
    return PLAUSIBLE.test(decoded) ? decoded : run;
  });
}

const toText = compile({
  wordwrap: false,
  preserveNewlines: false,
  decodeEntities: true,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'table', format: 'dataTable' },
    ...(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const).map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'ul', options: { itemPrefix: '• ' } },
  ],
});

/** No space at line ends, no more than one empty line in a row, non-breaking spaces as spaces. */
function tidy(text: string): string {
  return text
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A field of the export as plain text: line breaks restored, mojibake repaired, HTML turned into text. */
export function plainText(field: string): string {
  const text = repairMojibake(field.replace(/\\r\\n|\\n|\\r/g, '\n'));
  // Most names and short fields hold no markup: no need for the HTML parser.
  if (!/[<&]/.test(text)) return tidy(text);
  return tidy(toText(text));
}

/** A name (of a law, an instrument): one line of plain text. */
export function plainName(field: string): string {
  return plainText(field).replace(/\s+/g, ' ').trim();
}

/** The first http(s) link of an HTML field (`<a href="…">`), else a bare address in it. */
export function firstLink(field: string): string | undefined {
  const href = /href\s*=\s*"(https?:\/\/[^"]+)"/i.exec(field) ?? /href\s*=\s*'(https?:\/\/[^']+)'/i.exec(field);
  const raw = href?.[1] ?? /\bhttps?:\/\/[^\s"'<>]+/i.exec(field)?.[0];
  if (!raw) return undefined;
  const url = raw.replace(/&amp;/g, '&').trim();
  try {
    return new URL(url).toString();
  } catch {
    return undefined;
  }
}
