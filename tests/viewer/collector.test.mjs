// The viewer served by the real collector: starts `blogtrace serve collector` (BLOGTRACE_BIN,
// set by CTest), sends it the test traces as OTLP/JSON and runs the browser suite on its query
// address.
import {test} from 'node:test';
import {viewerSuite} from './lib/scenarios.mjs';
import {startCollector} from './lib/collector.mjs';
import {standardTraces} from './lib/traces.mjs';

const bin = process.env.BLOGTRACE_BIN;
if (!bin) {
  console.error('*** viewer_browser: BLOGTRACE_BIN is not set, so the real-collector tests are SKIPPED. ' +
      'Run them through ctest (-R viewer_browser) or set BLOGTRACE_BIN=build/bin/blogtrace.');
  test('viewer against the real collector', {skip: 'BLOGTRACE_BIN not set'}, () => {});
} else {
  viewerSuite('collector', async () => {
    const collector = await startCollector(bin);
    try {
      const traces = standardTraces();
      await collector.post(Object.values(traces));
      for (const trace of Object.values(traces)) await collector.waitForTrace(trace);
      return {url: collector.queryUrl, traces, close: collector.close};
    } catch (err) {
      await collector.close();
      throw err;
    }
  });
}
