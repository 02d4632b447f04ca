/**
 * The background tabs the second opinion may have open, shared by every run it verifies: the setting counts tabs at
 * once in the browser, so two reports verified together take turns rather than open a setting's worth each.
 */
export interface TabSlots {
  /** Resolves true once fewer than `limit` tabs are open (the slot is then held), false when the signal aborts first. */
  take(limit: number, signal: AbortSignal): Promise<boolean>;
  /** Gives back a slot taken. */
  give(): void;
}

export function createTabSlots(): TabSlots {
  let held = 0;
  const waiting: { limit: number; grant(): void }[] = [];
  // First come, first served among those a free slot fits: a run that allows fewer tabs waits for its own turn only.
  const wake = () => {
    for (let i = 0; i < waiting.length; ) {
      const waiter = waiting[i] as (typeof waiting)[number];
      if (held < waiter.limit) {
        waiting.splice(i, 1);
        held += 1;
        waiter.grant();
      } else i += 1;
    }
  };
  return {
    take(limit, signal) {
      if (signal.aborted) return Promise.resolve(false);
      if (waiting.length === 0 && held < limit) {
        held += 1;
        return Promise.resolve(true);
      }
      return new Promise((resolve) => {
        const waiter = {
          limit,
          grant: () => {
            signal.removeEventListener('abort', abandon);
            resolve(true);
          },
        };
        const abandon = () => {
          const i = waiting.indexOf(waiter);
          if (i >= 0) waiting.splice(i, 1);
          resolve(false);
        };
        signal.addEventListener('abort', abandon, { once: true });
        waiting.push(waiter);
      });
    },
    give() {
      held = Math.max(0, held - 1);
      wake();
    },
  };
}
