/**
 * Keeps a vote card up to date without re-rendering it for every ballot. The first ballot after a
 * quiet spell refreshes the card at once; ballots that arrive while the card was refreshed less
 * than `intervalMs` ago are folded into one refresh at the end of that interval. A thousand ballots
 * in a second cost two renders, not a thousand, and a ballot is acknowledged as soon as it is stored.
 *
 * In-process only, on purpose: the card is derived from the ballots, so a refresh lost in a crash
 * is made good by the next ballot, by the start-up refresh of open votes, or by the closing (which
 * writes the result card in its own transaction).
 */
import type { Logger } from '../../log.js';

interface State {
  /** A ballot arrived since the last refresh started. */
  dirty: boolean;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

export class CardRefresher {
  private readonly states = new Map<number, State>();
  private stopped = false;

  constructor(
    private readonly refresh: (voteId: number) => Promise<void>,
    private readonly log: Logger,
    private readonly intervalMs = 1000,
  ) {}

  /** Asks for the card of `voteId` to show the latest ballots, now or within `intervalMs`. */
  request(voteId: number): void {
    if (this.stopped) return;
    const state = this.states.get(voteId);
    if (state) {
      state.dirty = true;
      return;
    }
    const fresh: State = { dirty: false };
    this.states.set(voteId, fresh);
    this.run(voteId, fresh);
  }

  private run(voteId: number, state: State): void {
    state.dirty = false;
    state.running = this.refresh(voteId)
      .catch((err: unknown) => {
        // Another ballot, the start-up pass or the closing will refresh it again.
        this.log.error({ err, voteId }, 'vote card refresh failed');
      })
      .finally(() => {
        state.running = undefined;
        if (this.stopped) return;
        state.timer = setTimeout(() => {
          state.timer = undefined;
          if (state.dirty && !this.stopped) this.run(voteId, state);
          else this.states.delete(voteId);
        }, this.intervalMs);
        state.timer.unref();
      });
  }

  /** Runs the refreshes still owed, then accepts no more. */
  async stop(): Promise<void> {
    this.stopped = true;
    const owed: Array<Promise<void>> = [];
    for (const [voteId, state] of this.states) {
      if (state.timer) clearTimeout(state.timer);
      if (state.running) owed.push(state.running);
      if (state.dirty) owed.push(this.refresh(voteId).catch((err: unknown) => this.log.error({ err, voteId }, 'vote card refresh failed')));
    }
    this.states.clear();
    await Promise.all(owed);
  }
}
