import { batch, signal } from '@preact/signals';
import type { ServerMessage } from '@/utils/protocol';
import { RunCounter } from '@/utils/report/report';
import type { RunMeta } from '@/utils/run/stored-run';
import type { LinkEntry } from '@/utils/types';
import { unavailableText } from './unavailable-words';

/** Which rows a publication changed: their indexes, or `all` (a new run, or none). Versions count publications. */
export interface RowChanges {
  version: number;
  rows: readonly number[] | 'all';
}

/**
 * While a run's results stream in, a page draws them at most this often. Each drawing costs a fixed part (the summary,
 * the list, the browser's layout and paint) whatever the rows it brings, and a check is CPU-bound on a small machine:
 * drawing every frame took the popup ~1 s of CPU in a 2 000-link check that the checking itself needs (`npm run bench
 * -- --only=versus --profile`). Five times a second still reads as live.
 */
export const DRAW_EVERY_MS = 200;

/** Asks for `publish` to run; `urgent` when what changed must be seen at once (a new run, its end, its first answer). */
export type Schedule = (publish: () => void, urgent: boolean) => void;

export interface PacerDeps {
  frame: (callback: () => void) => void;
  now: () => number;
  setTimer: (callback: () => void, ms: number) => unknown;
  clearTimer: (timer: unknown) => void;
}

const browserPacerDeps = (): PacerDeps => ({
  frame: (callback) => requestAnimationFrame(callback),
  now: () => performance.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
});

/**
 * Publishes in an animation frame, and no sooner than `everyMs` after the last publication unless asked urgently (an
 * urgent ask also hurries one already waiting). Asks while one is waiting are the same publication.
 */
export function framePacer(everyMs = DRAW_EVERY_MS, deps: PacerDeps = browserPacerDeps()): Schedule {
  let last = Number.NEGATIVE_INFINITY;
  let timer: unknown;
  let inFrame = false;
  let waiting: (() => void) | null = null;
  const toFrame = () => {
    inFrame = true;
    deps.frame(() => {
      inFrame = false;
      last = deps.now();
      const publish = waiting;
      waiting = null;
      publish?.();
    });
  };
  return (publish, urgent) => {
    waiting = publish;
    if (inFrame) return;
    const wait = urgent ? 0 : last + everyMs - deps.now();
    if (wait > 0) {
      timer ??= deps.setTimer(() => {
        timer = undefined;
        toFrame();
      }, wait);
      return;
    }
    if (timer !== undefined) {
      deps.clearTimer(timer);
      timer = undefined;
    }
    toFrame();
  };
}

/**
 * New rows the report page draws per frame. It keeps every row in the DOM, and drawing the ten thousand rows of a large
 * run's snapshot at once was its longest task by far (~0.8 s, `npm run bench:report`); a few hundred rows take a few
 * tens of milliseconds on a small machine.
 */
export const REPORT_ROWS_PER_FRAME = 400;

/**
 * One store per page (popup, report), fed by the protocol. Updates are applied to a mutable copy and published at
 * most once per animation frame, and while results stream in at most every DRAW_EVERY_MS, so a stream of results
 * never renders once per link. A changed row gets a new entry object and the others keep theirs, and `changes` names
 * the changed rows: lists re-sort and re-render only those.
 *
 * At most `newRowsPerFrame` rows are added per publication (the rest follow frame by frame, at once): until every row
 * received is published, the summary says `running` (`drawing`), so a page never says a run is done before all its rows
 * are there.
 */
export function createRunSignals(schedule: Schedule = framePacer(), newRowsPerFrame = Number.POSITIVE_INFINITY) {
  const meta = signal<RunMeta | null>(null);
  const entries = signal<LinkEntry[]>([]);
  const unavailable = signal<string | null>(null);
  const changes = signal<RowChanges>({ version: 0, rows: 'all' });
  /** Rows received are still to be shown (a large snapshot, drawn over the next frames). */
  const drawing = signal(false);
  // The counts and state shown say `running` until every row received is there: a page never says done with rows
  // missing. The metadata itself stays true (the controls follow the run).
  const counter = new RunCounter();
  const summary = signal(counter.summary('running'));
  let working: LinkEntry[] = [];
  let workingMeta: RunMeta | null = null;
  let scheduled = false;
  let scheduledUrgent = false;
  /** Results of the shown run received since its snapshot: the first is drawn at once. */
  let updatesReceived = 0;
  let changedAll = true;
  const changedRows = new Set<number>();
  /** How many of the working rows are published: the rows past it are new rows still to come. */
  let published = 0;
  /** The snapshot's last rows have not arrived yet (its parts say `more`). */
  let receiving = false;

  function publish() {
    scheduled = false;
    scheduledUrgent = false;
    if (changedAll) published = 0;
    const upTo = Math.min(working.length, published + newRowsPerFrame);
    let rows: number[] | 'all' = 'all';
    if (!changedAll) {
      // Changed rows already shown, then the new ones shown now; a change to a row still to come comes with it.
      rows = [...changedRows].filter((i) => i < published);
      for (let i = published; i < upTo; i++) rows.push(i);
    }
    const more = upTo < working.length;
    // Still drawing: rows received and not drawn yet, or rows of the snapshot still to arrive.
    const incomplete = more || receiving;
    // The counts follow the rows published, row by row (a publication costs the rows it changed).
    const shown = entries.value;
    const next = working.slice(0, upTo);
    if (rows === 'all') counter.reset(next);
    else {
      for (const i of rows) {
        const entry = working[i] as LinkEntry;
        if (i < shown.length) counter.replace(shown[i] as LinkEntry, entry);
        else counter.add(entry);
      }
    }
    changedAll = false;
    changedRows.clear();
    published = upTo;
    batch(() => {
      meta.value = workingMeta ? { ...workingMeta } : null;
      entries.value = next;
      changes.value = { version: changes.value.version + 1, rows };
      drawing.value = incomplete;
      summary.value = counter.summary(incomplete ? 'running' : (workingMeta?.state ?? 'running'));
    });
    if (more) ask(true);
  }

  function ask(urgent: boolean) {
    if (!scheduled || (urgent && !scheduledUrgent)) {
      scheduled = true;
      scheduledUrgent = urgent;
      schedule(publish, urgent);
    }
  }

  function apply(message: ServerMessage) {
    // Paced: results of a run going on, after its first, and the first parts of an update too big for one message. At
    // once: a new run, the rest of its snapshot, a change of its state (its end, a pause), anything once it has ended, a
    // run that is not there.
    let urgent = true;
    switch (message.type) {
      case 'snapshot':
        updatesReceived = 0;
        receiving = message.more === true;
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
          receiving = message.more === true;
        }
        break;
      case 'update':
        // A part with more to come leaves the run's metadata as it was: an update's counts and state (its end) are
        // shown with its last part, never before all its rows are there.
        urgent =
          updatesReceived++ === 0 ||
          (!message.more && (message.meta.state !== 'running' || message.meta.state !== workingMeta?.state));
        if (!message.more) workingMeta = message.meta;
        for (const [index, entry] of message.changes) {
          working[index] = entry;
          changedRows.add(index);
        }
        break;
      case 'unavailable':
        working = [];
        workingMeta = null;
        receiving = false;
        changedAll = true;
        unavailable.value = unavailableText(message.problem);
        break;
    }
    ask(urgent);
  }

  return { meta, entries, changes, drawing, summary, unavailable, apply };
}

export type RunSignals = ReturnType<typeof createRunSignals>;
