import { diffWords } from 'diff';
import type { Rich } from './view.js';

/**
 * A word-level difference from `before` to `after`: unchanged words plain, the rest deleted or
 * inserted. A changed stretch reads as one deletion then one insertion, even where the two texts
 * only share the blanks between words (`[-a b-]{+c d+}`, not `[-a-]{+c+} [-b-]{+d+}`).
 */
export function wordDiff(before: string, after: string): Rich {
  const parts = diffWords(before, after);
  const out: Rich = [];
  let deleted = '';
  let inserted = '';
  const flush = () => {
    if (deleted) out.push({ text: deleted, deleted: true });
    if (inserted) out.push({ text: inserted, inserted: true });
    deleted = inserted = '';
  };
  parts.forEach((part, i) => {
    if (part.removed) deleted += part.value;
    else if (part.added) inserted += part.value;
    else if ((deleted || inserted) && /^\s+$/.test(part.value) && i + 1 < parts.length && (parts[i + 1]!.added || parts[i + 1]!.removed)) {
      deleted += part.value;
      inserted += part.value;
    } else {
      flush();
      out.push(part.value);
    }
  });
  flush();
  return out;
}
