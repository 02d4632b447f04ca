import { batch, computed, signal } from '@preact/signals';
import type { ServerMessage } from '@/utils/protocol';
import { summarize } from '@/utils/report/report';
import type { RunMeta } from '@/utils/run/stored-run';
import type { LinkEntry } from '@/utils/types';

/**
 * One store per page (popup, report), fed by the protocol. Updates are applied to a mutable copy and published at
 * most once per animation frame, so a stream of results never renders once per link.
 */
export function createRunSignals(schedule: (publish: () => void) => void = requestAnimationFrame) {
  const meta = signal<RunMeta | null>(null);
  const entries = signal<LinkEntry[]>([]);
  const unavailable = signal<string | null>(null);
  const summary = computed(() => summarize(entries.value, meta.value?.state ?? 'running'));
  let working: LinkEntry[] = [];
  let workingMeta: RunMeta | null = null;
  let scheduled = false;

  function publish() {
    scheduled = false;
    batch(() => {
      meta.value = workingMeta ? { ...workingMeta } : null;
      entries.value = working.slice();
    });
  }

  function apply(message: ServerMessage) {
    switch (message.type) {
      case 'snapshot':
        working = message.entries.slice();
        workingMeta = message.meta;
        unavailable.value = null;
        break;
      case 'rows':
        // The rest of a snapshot too big for one message; rows of a run replaced meanwhile are not this run's.
        if (workingMeta?.runId === message.runId) for (const entry of message.entries) working.push(entry);
        break;
      case 'update':
        workingMeta = message.meta;
        for (const [index, entry] of message.changes) working[index] = entry;
        break;
      case 'unavailable':
        working = [];
        workingMeta = null;
        unavailable.value = message.message;
        break;
    }
    if (!scheduled) {
      scheduled = true;
      schedule(publish);
    }
  }

  return { meta, entries, summary, unavailable, apply };
}

export type RunSignals = ReturnType<typeof createRunSignals>;
