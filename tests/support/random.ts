/**
 * A small deterministic generator for tests that make many random moves: the same moves every run. `next(n)` < n, from
 * the generator's high bits (its low bits repeat after a few draws, which would tie one draw to the next).
 */
export function random(seed: number): (n: number) => number {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((s / 2 ** 31) * n);
  };
}
