/** At most `max` characters (code points: an emoji is never cut in half), with an ellipsis if cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

const isBreak = (ch: string) => ch === '\n' || ch === ' ';

/**
 * Splits `text` into pieces whose rendered size (the sum of `measure` over their characters,
 * e.g. once escaped) stays within `max`. It cuts at the last space or line break of a piece when
 * that is in the piece's second half, and drops that one character (the cut stands for it);
 * otherwise it cuts between two characters, never inside one (an emoji stays whole).
 */
export function split(text: string, max: number, measure: (ch: string) => number = () => 1): string[] {
  const pieces: string[] = [];
  let piece: string[] = [];
  let size = 0;
  for (const ch of text) {
    const w = measure(ch);
    if (size + w > max && piece.length) {
      let lastBreak = piece.length - 1;
      while (lastBreak >= 0 && !isBreak(piece[lastBreak])) lastBreak -= 1;
      if (lastBreak >= piece.length / 2) {
        pieces.push(piece.slice(0, lastBreak).join(''));
        piece = piece.slice(lastBreak + 1);
      } else {
        pieces.push(piece.join(''));
        piece = [];
      }
      size = piece.reduce((n, c) => n + measure(c), 0);
    }
    piece.push(ch);
    size += w;
  }
  if (piece.length || pieces.length === 0) pieces.push(piece.join(''));
  return pieces;
}
