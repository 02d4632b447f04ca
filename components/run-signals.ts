import { batch, computed, signal } from '@preact/signals';
import type { ServerMessage } from '@/utils/protocol';
import { summarize } from '@/utils/report/report';
import type { RunMeta } from '@/utils/run/stored-run';
import type { LinkEntry } from '@/utils/types';
import { unavailableText } from './unavailable-words';

/** Which rows a publication changed: their indexes, or `all` (a new run, or none). Versions count publications. */
export interface RowChanges {
  version: number;
  rows: readonly number[] | 'all';
}

/**
 * One store per page (popup, report), fed by the protocol. Updates are applied to a mutable copy and published at
 * most once per animation frame, so a stream of results never renders once per link. A changed row gets a new entry
 * object and the others keep theirs, and `changes` names the changed rows: lists re-sort and re-render only those.
 */
export function createRunSignals(schedule: (publish: () => void) => void = requestAnimationFrame) {
  const meta = signal<RunMeta | null>(null);
  const entries = signal<LinkEntry[]>([]);
  const unavailable = signal<string | null>(null);
  const changes = signal<RowChanges>({ version: 0, rows: 'all' });
  const summary = computed(() => summarize(entries.value, meta.value?.state ?? 'running'));
  let working: LinkEntry[] = [];
  let workingMeta: RunMeta | null = null;
  let scheduled = false;
  let changedAll = true;
  const changedRows = new Set<number>();

  function publish() {
    scheduled = false;
    const rows = changedAll ? 'all' : [...changedRows];
    changedAll = false;
    changedRows.clear();
    batch(() => {
      meta.value = workingMeta ? { ...workingMeta } : null;
      entries.value = working.slice();
      changes.value = { version: changes.value.version + 1, rows };
    });
  }

  function apply(message: ServerMessage) {
    switch (message.type) {
      case 'snapshot':
        working = message.entries.slice();
        workingMeta = message.meta;
        changedAll = true;
        unavailable.value = null;
        break;
      case 'rows':
        // The rest of a snapshot too big for one message; rows of a run replaced meanwhile are not this run's. They are
        // changed rows too: the snapshot may be published already, and lists place and paint only the rows named.
        if (workingMeta?.runId === message.runId) {
          for (const entry of message.entries) changedRows.add(working.push(entry) - 1);
        }
        break;
      case 'update':
        workingMeta = message.meta;
        for (const [index, entry] of message.changes) {
          working[index] = entry;
          changedRows.add(index);
        }
        break;
      case 'unavailable':
        working = [];
        workingMeta = null;
        changedAll = true;
        unavailable.value = unavailableText(message.problem);
        break;
    }
    if (!scheduled) {
      scheduled = true;
      schedule(publish);
    }
  }

  return { meta, entries, changes, summary, unavailable, apply };
}

export type RunSignals = ReturnType<typeof createRunSignals>;
