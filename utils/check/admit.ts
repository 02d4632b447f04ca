export interface AdmitOptions {
  /** Most items being worked on at once, all keys together. */
  total: number;
  /** Most items of one key being worked on at once. */
  perKey: number;
}

/**
 * Works through items grouped by key (links by host), starting an item's work only when it is admitted: at most
 * `total` at once and `perKey` per key, keys taking turns. Memory then follows what is admitted, not the length of the
 * page: a run of 10 000 links holds a few hundred pending checks, not 10 000. The per-key cap keeps one slow key (a host
 * that makes its links wait, retry or back off) from filling the admissions while other keys have work; the request
 * limiter inside the work still decides when each request is sent. Resolves once every item's work has settled.
 */
export function admitByKey<T>(
  groups: Iterable<[key: string, items: T[]]>,
  options: AdmitOptions,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  interface Group {
    items: T[];
    next: number;
    active: number;
    ready: boolean;
  }
  const total = Math.max(1, options.total);
  const perKey = Math.max(1, options.perKey);
  // Keys with items left and room to start one, in turn order; `head` walks the array instead of shifting it.
  const ready: Group[] = [];
  let head = 0;
  let active = 0;
  let remaining = 0;
  for (const [, items] of groups) {
    if (items.length === 0) continue;
    remaining += items.length;
    ready.push({ items, next: 0, active: 0, ready: true });
  }

  return new Promise<void>((resolve) => {
    const offer = (group: Group) => {
      if (!group.ready && group.next < group.items.length && group.active < perKey) {
        group.ready = true;
        ready.push(group);
      }
    };
    const pump = () => {
      while (active < total && head < ready.length) {
        const group = ready[head] as Group;
        head += 1;
        group.ready = false;
        const item = group.items[group.next] as T;
        group.next += 1;
        group.active += 1;
        active += 1;
        // Back in line behind the other keys when it may start another one.
        offer(group);
        const settle = () => {
          group.active -= 1;
          active -= 1;
          remaining -= 1;
          offer(group);
          if (remaining === 0) resolve();
          else pump();
        };
        work(item).then(settle, settle);
      }
      // Keep the array from growing without bound over a long run.
      if (head > 1024 && head * 2 > ready.length) {
        ready.splice(0, head);
        head = 0;
      }
    };
    if (remaining === 0) resolve();
    else pump();
  });
}
