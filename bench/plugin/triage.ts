/**
 * Triage page, first verdict after load: the real lab, probe, node_exporter and Prometheus on loopback
 * (tests/browser/stack.ts), the app from dist/ in the Grafana harness, a fresh browser context per
 * repetition (cold cache, as a person arriving from an alert link). Two clocks per repetition:
 * - from the app's start (Grafana's AppRootPage loading module.js, settings, the queries, React) to the
 *   first `t3-verdict` in the DOM — what the plugin controls;
 * - from navigation start, which adds the harness's own stand-in for Grafana's frontend boot.
 */
import { sleep, waitFor } from '../../lab/wait';
import { openPage, startHarness } from '../../tests/browser/harness';
import { stackDatasources, startStack } from '../../tests/browser/stack';
import { TEST_IDS } from '../../src/shared/testIds';
import { APP_BASE_URL } from '../../src/constants';

interface TriageTimes {
  fromAppStartMs: number[];
  fromNavigationMs: number[];
  /** Both verdicts (probe and Prometheus) on the page, from the app's start. */
  bothVerdictsMs: number[];
}

export async function triageFirstVerdict(repeat: number, log: (line: string) => void): Promise<TriageTimes> {
  const stack = await startStack();
  const times: TriageTimes = { fromAppStartMs: [], fromNavigationMs: [], bothVerdictsMs: [] };
  try {
    await waitFor(async () => (await stack.query('t3probe_connected == 1')).length === 3, {
      timeoutMs: 30_000,
      intervalMs: 250,
      what: 'all three legs connected and scraped',
    });
    const from = Date.now();
    await sleep(10_000);
    const to = Date.now();
    const harness = await startHarness({ datasources: stackDatasources(stack) });
    try {
      for (let i = 0; i < repeat; i++) {
        const view = await openPage(harness, `${APP_BASE_URL}/triage?from=${from}&to=${to}`);
        // Timestamps on the page's own clock (ms since navigation start), taken when the DOM changes.
        await view.page.evaluate((selector) => {
          const marks: Record<string, number> = {};
          (window as unknown as { __marks: Record<string, number> }).__marks = marks;
          const observer = new MutationObserver(() => {
            const n = document.querySelectorAll(selector).length;
            if (n >= 1 && marks.first === undefined) {
              marks.first = performance.now();
            }
            if (n >= 2 && marks.both === undefined) {
              marks.both = performance.now();
              observer.disconnect();
            }
          });
          observer.observe(document.body, { childList: true, subtree: true });
          marks.start = performance.now();
        }, `[data-testid="${TEST_IDS.verdict}"]`);
        await view.renderApp('dark');
        await view.page.waitForFunction(
          () => (window as unknown as { __marks: { both?: number } }).__marks.both !== undefined,
          undefined,
          { timeout: 15_000 }
        );
        const marks = await view.page.evaluate(
          () => (window as unknown as { __marks: { start: number; first: number; both: number } }).__marks
        );
        if (view.problems.length > 0) {
          throw new Error(`triage page problems: ${view.problems.join('; ')}`);
        }
        times.fromAppStartMs.push(marks.first - marks.start);
        times.fromNavigationMs.push(marks.first);
        times.bothVerdictsMs.push(marks.both - marks.start);
        log(`triage ${i + 1}/${repeat}: first verdict ${(marks.first - marks.start).toFixed(0)} ms after app start`);
        await view.page.context().close();
      }
    } finally {
      await harness.close();
    }
  } finally {
    await stack.stop();
  }
  return times;
}
