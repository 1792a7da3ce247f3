// The viewer against the fixture server (node, in-memory Jaeger JSON): fast, no C++ build needed.
import {viewerSuite} from './lib/scenarios.mjs';
import {startFixtureServer} from './lib/fixture-server.mjs';
import {standardTraces} from './lib/traces.mjs';

viewerSuite('fixture', async () => {
  const traces = standardTraces();
  const server = await startFixtureServer({traces: Object.values(traces)});
  return {url: server.url, traces, close: server.close};
});
