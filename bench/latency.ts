// Latency: the first verdict on screen after the click, on five fresh pages.
import { clickToolbarIcon } from '../tests/e2e/harness.ts';
import { type Bench, median, shownAt } from './context.ts';

export async function latency(bench: Bench): Promise<void> {
  const ext = bench.linkpulse;
  const local = bench.local;
  // First visible result after the click, on five fresh pages (each with its own links: a cached result would show
  // at once); the median is reported, next to every value.
  bench.section('Latency');
  const firsts: number[] = [];
  const sighted: number[] = [];
  const opens: number[] = [];
  const loads: number[] = [];
  for (let k = 0; k < 5; k++) {
    const small = await ext.browser.newPage();
    await small.goto(local.url(`/generate?n=50&hosts=5&latency=${k}`, `small${k}.test`));
    const { popup, clickedAt } = await clickToolbarIcon(ext, small);
    // The harness's own sighting: the first frame in which a row with a verdict is in the popup. Its polling starts only
    // once Puppeteer has attached to the popup, itself some tens of ms after the document starts.
    const seen = await shownAt(popup, '[data-testid="popup-row"]:not([data-verdict=""])', 30_000);
    sighted.push(Math.round(seen - clickedAt));
    // The popup's own User Timing mark, set as the first verdict is committed to the screen (FIRST_VERDICT_MARK).
    const marked = await popup.evaluate(() => {
      const [mark] = performance.getEntriesByName('linkpulse:first-verdict', 'mark');
      return mark ? performance.timeOrigin + mark.startTime : null;
    });
    firsts.push(marked === null ? Number.NaN : Math.round(marked - clickedAt));
    // Where that time goes: the browser opening the popup (click to the popup document's time origin), and the popup
    // loading its document and script (time origin to DOMContentLoaded's end); the rest is the run's start, the first
    // answer and its way to the screen.
    opens.push(Math.round((await popup.evaluate(() => performance.timeOrigin)) - clickedAt));
    loads.push(
      Math.round(
        await popup.evaluate(
          () =>
            (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)
              ?.domContentLoadedEventEnd ?? 0,
        ),
      ),
    );
    await popup.close();
    await small.close();
  }
  const firstMs = median(firsts);
  bench.record(
    "first verdict on screen after the click (the popup's mark; median of 5)",
    `${firstMs} ms (${firsts.join(', ')})`,
    '< 300 ms',
    firstMs < 300,
  );
  bench.record('the same, as the harness first sees it (median)', `${median(sighted)} ms (${sighted.join(', ')})`);
  bench.record('of which the browser opening the popup (median)', `${median(opens)} ms (${opens.join(', ')})`);
  bench.record(
    'of which the popup loading its document and script (median)',
    `${median(loads)} ms (${loads.join(', ')})`,
  );
}
