/**
 * Waits for a condition that an event will make true (a server seeing a request, a page showing a state), checking
 * every 50 ms, and fails with `what` when it does not hold within `timeout` ms. For end-to-end tests and real servers:
 * unit tests on fake time advance the clock instead.
 */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting until ${what}`);
}
