// Layered layout of the service dependency graph: each service sits in the column of its
// longest call path from a caller-less service (edges that close a cycle are left out of the
// layering); within a column, services are ordered by the mean row of their callers.

// Returns {nodes: [{name, layer, row, calls_in, calls_out}], edges: [{parent, child, callCount,
// back}], layers} for edges [{parent, child, callCount}].
export function layoutDependencies(links) {
  const names = [...new Set(links.flatMap((l) => [l.parent, l.child]))].sort();
  const out = new Map(names.map((n) => [n, []]));
  for (const l of links) if (l.parent !== l.child) out.get(l.parent).push(l.child);
  // Depth-first search marks edges that close a cycle ("back" edges).
  const state = new Map();  // 1 = on the stack, 2 = done
  const back = new Set();
  for (const start of names) {
    if (state.get(start)) continue;
    const stack = [[start, 0]];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [node, i] = top;
      const next = out.get(node)[i];
      if (next === undefined) {
        state.set(node, 2);
        stack.pop();
        continue;
      }
      top[1]++;
      if (state.get(next) === 1) back.add(`${node}\u0000${next}`);
      else if (!state.get(next)) {
        state.set(next, 1);
        stack.push([next, 0]);
      }
    }
  }
  const isBack = (l) => l.parent === l.child || back.has(`${l.parent}\u0000${l.child}`);
  // Longest-path layering over the acyclic edges (Kahn's order).
  const indegree = new Map(names.map((n) => [n, 0]));
  const forward = links.filter((l) => !isBack(l));
  for (const l of forward) indegree.set(l.child, indegree.get(l.child) + 1);
  const layer = new Map(names.map((n) => [n, 0]));
  const queue = names.filter((n) => indegree.get(n) === 0);
  while (queue.length) {
    const node = queue.shift();
    for (const l of forward) {
      if (l.parent !== node) continue;
      layer.set(l.child, Math.max(layer.get(l.child), layer.get(node) + 1));
      indegree.set(l.child, indegree.get(l.child) - 1);
      if (indegree.get(l.child) === 0) queue.push(l.child);
    }
  }
  const layerCount = names.length ? Math.max(...layer.values()) + 1 : 0;
  const columns = Array.from({length: layerCount}, () => []);
  for (const n of names) columns[layer.get(n)].push(n);
  const row = new Map();
  columns.forEach((column, index) => {
    if (index > 0) {
      const mean = (n) => {
        const rows = forward.filter((l) => l.child === n && row.has(l.parent)).map((l) => row.get(l.parent));
        return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : Infinity;
      };
      column.sort((a, b) => mean(a) - mean(b) || a.localeCompare(b));
    }
    column.forEach((n, i) => row.set(n, i));
  });
  const nodes = names.map((name) => ({
    name, layer: layer.get(name), row: row.get(name),
    callsIn: links.filter((l) => l.child === name).reduce((s, l) => s + l.callCount, 0),
    callsOut: links.filter((l) => l.parent === name).reduce((s, l) => s + l.callCount, 0),
  }));
  const edges = links.map((l) => ({...l, back: isBack(l)}));
  return {nodes, edges, layers: columns};
}
