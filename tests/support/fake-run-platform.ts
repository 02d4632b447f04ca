import type { Collection } from '../../utils/collect/collect-links';
import type { ServerMessage } from '../../utils/protocol';
import type { CheckJob, RunClient, RunPlatform } from '../../utils/run/platform';
import { DEFAULT_SETTINGS, type Settings } from '../../utils/settings';
import type { IconState } from '../../utils/toolbar-icon';
import type { FoundLink, LinkResult, Verdict } from '../../utils/types';
import { fakeClock } from './fake-clock';
import { recordingArea } from './storage-area';

/** A job the fake engine was given: the test answers its links one by one, and it ends once each is answered. */
export interface FakeJob extends CheckJob {
  /** Reports that a request for this link was sent. */
  send(url: string): void;
  /** Reports this link's verdict. */
  answer(url: string, verdict?: Verdict): void;
  /** Answers every link not answered yet. */
  answerAll(verdict?: Verdict): void;
  readonly answered: ReadonlySet<string>;
}

export function resultOf(url: string, verdict: Verdict = 'ok', checkedAt = 0): LinkResult {
  const ok = verdict === 'ok';
  return {
    url,
    verdict,
    reason: ok ? '' : verdict === 'skipped' ? 'scheme' : 'status',
    status: ok ? 200 : verdict === 'broken' ? 404 : null,
    finalUrl: ok ? url : null,
    ms: 5,
    attempts: 1,
    redirects: [],
    checkedAt,
  };
}

export function links(n: number, base = 'https://a.test/'): FoundLink[] {
  return Array.from({ length: n }, (_, i) => ({ url: `${base}${i}`, occurrences: 1, texts: [`link ${i}`] }));
}

/**
 * One fake worker's platform: an in-memory storage area (pass another worker's `area` to share it, as a restarted
 * worker shares storage.session), a clock of its own, a page per tab to collect from, and an engine the test drives.
 */
export function fakeRunPlatform(options: { area?: ReturnType<typeof recordingArea>; settings?: Settings } = {}) {
  const storage = options.area ?? recordingArea();
  const time = fakeClock();
  const pages = new Map<number, Collection | (() => Promise<unknown>)>();
  const jobs: FakeJob[] = [];
  const badges = new Map<number, number>();
  /** Every icon each tab was given, in order. */
  const icons = new Map<number, IconState[]>();
  const awake: boolean[] = [];
  const said: string[] = [];
  let ids = 0;
  const platform: RunPlatform = {
    area: storage.area,
    prepare: async () => {},
    readSettings: async () => options.settings ?? DEFAULT_SETTINGS,
    async collect(tabId) {
      const page = pages.get(tabId);
      if (!page) throw new Error(`No tab with id: ${tabId}.`);
      return typeof page === 'function' ? page() : structuredClone(page);
    },
    check(job) {
      const answered = new Set<string>();
      let done: () => void = () => {};
      const ended = new Promise<void>((resolve) => {
        done = resolve;
      });
      const endIfComplete = () => {
        if (job.signal.aborted || answered.size === job.links.length) done();
      };
      job.signal.addEventListener('abort', () => done());
      const fake: FakeJob = {
        ...job,
        answered,
        send: (url) => job.onChecking?.(url),
        answer(url, verdict) {
          answered.add(url);
          job.onResult(resultOf(url, verdict, time.clock.now()));
          endIfComplete();
        },
        answerAll(verdict) {
          for (const link of job.links) if (!answered.has(link.url)) fake.answer(link.url, verdict);
        },
      };
      jobs.push(fake);
      endIfComplete();
      return ended;
    },
    setBadge: (tabId, broken) => badges.set(tabId, broken),
    setIcon: (tabId, state) => icons.set(tabId, [...(icons.get(tabId) ?? []), state]),
    keepAwake: (on) => awake.push(on),
    clock: time.clock,
    newRunId: () => `run-${++ids}`,
    log: { warn: (text: string) => said.push(String(text)), error: (text: string) => said.push(String(text)) },
  };
  return {
    platform,
    storage,
    time,
    jobs,
    badges,
    icons,
    /** Each call of keepAwake, in order. */
    awake,
    /** What was written to the console. */
    said,
    /** Puts a page with these links in a tab (or a function standing for the page's answer). */
    openPage(tabId: number, found: FoundLink[] | (() => Promise<unknown>), url = 'https://a.test/') {
      pages.set(
        tabId,
        typeof found === 'function' ? found : { page: { url, title: 'A' }, links: found, truncated: false, ms: 1 },
      );
    },
  };
}

/** A page connected to the background: what it received, newest last. */
export function fakeClient() {
  const received: ServerMessage[] = [];
  const client: RunClient = { post: (message) => received.push(structuredClone(message)) };
  return {
    client,
    received,
    last: () => received.at(-1),
  };
}
