/** The word-level difference of an amendment, and how each channel shows it. */
import { describe, expect, it } from 'vitest';
import { mrkdwn } from '../../src/channels/slack/mrkdwn.js';
import { markdown } from '../../src/channels/teams/markdown.js';
import { wordDiff } from '../../templates/diff.js';
import { plain } from '../../templates/view.js';

describe('wordDiff', () => {
  it('keeps unchanged words plain and marks the words taken out and put in', () => {
    const rich = wordDiff('The employer informs the council early.', 'The employer informs the council and the region early.');
    expect(rich).toEqual(['The employer informs the council ', { text: 'and the region ', inserted: true }, 'early.']);
    const swapped = wordDiff('inform the council', 'consult the council');
    expect(swapped).toEqual([{ text: 'inform', deleted: true }, { text: 'consult', inserted: true }, ' the council']);
  });

  it('leaves the new text whole once the deletions are dropped', () => {
    const before = 'Line one.\nThe works council is informed.';
    const after = 'Line one.\nThe works council and the unions are consulted.';
    const rich = wordDiff(before, after);
    expect(plain(rich.filter((s) => typeof s === 'string' || !s.deleted))).toBe(after);
    expect(plain(rich.filter((s) => typeof s === 'string' || !s.inserted))).toBe(before);
  });
});

describe('rendering a difference', () => {
  const rich = wordDiff('Inform <the> council *early*.', 'Consult <the> council & unions *early*.');

  it('Slack: deletions struck through, insertions in bold, text escaped', () => {
    const out = mrkdwn(rich);
    expect(out).toContain('~Inform~');
    expect(out).toContain('*Consult*');
    expect(out).toContain('&lt;the&gt;');
    expect(out).toContain('*&amp; unions*');
    expect(out).not.toMatch(/<the>/);
  });

  it('Slack: marks stay within a line and touch the words', () => {
    expect(mrkdwn([{ text: ' two\nlines ', deleted: true }])).toBe(' ~two~\n~lines~ ');
    expect(mrkdwn([{ text: 'a  ', inserted: true }, 'b'])).toBe('*a*  b');
  });

  it('Teams: [-taken out-] and bold {+put in+}, the member’s text escaped', () => {
    const out = markdown(rich);
    expect(out).toContain('\\[-Inform-\\]');
    expect(out).toContain('**\\{+Consult+}**');
    expect(out).toContain('\\<the>');
    expect(out).toContain('\\*early\\*');
    expect(markdown([{ text: 'x [y](javascript:z)', inserted: true }])).toBe('**\\{+x \\[y\\](javascript:z)+}**');
  });
});
