// Reading a V8 CPU profile (CDP `Profiler.stop`) the way DevTools does: each sample stands for the time until the next.

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Time per sample in ms, with each sample's node. */
function sampled(profile: CpuProfile): { node: number; ms: number }[] {
  return profile.samples.map((node, i) => ({ node, ms: (profile.timeDeltas[i + 1] ?? 0) / 1000 }));
}

/** Milliseconds the profiled thread spent running anything (JS, the engine's own work, garbage collection). */
export function busyMs(profile: CpuProfile): number {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  return sampled(profile).reduce((sum, s) => sum + (idle.has(s.node) ? 0 : s.ms), 0);
}

/** Milliseconds spent in code whose stack holds a frame of a script whose URL ends with `urlSuffix` (callees included). */
export function timeInScript(profile: CpuProfile, urlSuffix: string): number {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const inScript = new Map<number, boolean>();
  const isIn = (id: number): boolean => {
    const known = inScript.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const value = (node?.callFrame.url.endsWith(urlSuffix) ?? false) || (up !== undefined && isIn(up));
    inScript.set(id, value);
    return value;
  };
  return sampled(profile).reduce((sum, s) => sum + (isIn(s.node) ? s.ms : 0), 0);
}
