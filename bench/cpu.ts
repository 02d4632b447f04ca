// CPU time used by a browser and every process it started (Linux /proc): what a run costs the machine, which a loaded
// machine does not blur the way it blurs wall time (a run that waits for a core takes longer, not more CPU).
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

interface Stat {
  ppid: number;
  /** utime + stime, in clock ticks. */
  ticks: number;
}

function readStat(pid: string): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields that follow start after its last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // gone meanwhile, or not Linux
  }
}

/** What a browser process is, from its command line: where a run's CPU time goes. */
function kindOf(pid: number): string {
  let args: string[];
  try {
    // Chromium's children rewrite their command line as one string (setproctitle): split on spaces too.
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
  } catch {
    return 'gone';
  }
  const type = args.find((a) => a.startsWith('--type='))?.slice('--type='.length);
  if (type === undefined) return args[0]?.includes('chrom') ? 'browser process' : 'other';
  if (type === 'renderer') return args.includes('--extension-process') ? 'extension renderer' : 'page renderer';
  const sub = args.find((a) => a.startsWith('--utility-sub-type='))?.slice('--utility-sub-type='.length);
  if (sub?.includes('network')) return 'network service';
  return sub ? `${type} (${sub})` : type;
}

/**
 * CPU milliseconds used so far by process `root` and its descendants, by kind of process (null where /proc is not
 * there).
 */
export function treeCpuByKind(root: number | undefined): Map<string, number> | null {
  if (root === undefined) return null;
  let names: string[];
  try {
    names = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const stats = new Map<number, Stat>();
  for (const name of names) {
    const stat = readStat(name);
    if (stat) stats.set(Number(name), stat);
  }
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of stats) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const byKind = new Map<string, number>();
  const queue = [root];
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    const kind = kindOf(pid);
    byKind.set(kind, (byKind.get(kind) ?? 0) + ((stats.get(pid)?.ticks ?? 0) * 1000) / TICKS_PER_SECOND);
    queue.push(...(children.get(pid) ?? []));
  }
  return byKind;
}
