/** Reading Adaptive Cards the bot sent, in tests: their texts, and their Action.Execute buttons. */

/** Every text of a card (TextBlocks, facts, choice titles, button titles), joined by new lines. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'text' || k === 'value' || k === 'title') && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(card);
  return out.join('\n');
}

/** The first Action.Execute with this verb anywhere in a card. */
export function actionOf(card: unknown, verb: string): Record<string, any> | undefined {
  let found: Record<string, any> | undefined;
  const walk = (v: unknown) => {
    if (found) return;
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, any>;
      if (o.type === 'Action.Execute' && o.verb === verb) found = o;
      else Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}
