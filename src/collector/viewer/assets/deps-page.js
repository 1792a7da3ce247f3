// The dependencies page (/dependencies): the service call graph from /api/dependencies as an
// SVG (layered by call depth, edges labelled with call counts) and the same data as a table.
import {h, replace, s} from './dom.js';
import {fetchDependencies} from './api.js';
import {layoutDependencies} from './graph-layout.js';
import {serviceColor} from './colors.js';
import {apiErrorNotice, link, loading, notice, setTitle} from './ui.js';

const WINDOWS = [['1h', 'Last hour', 3600e3], ['6h', 'Last 6 hours', 6 * 3600e3],
  ['24h', 'Last 24 hours', 86400e3], ['7d', 'Last 7 days', 7 * 86400e3]];
const NODE_W = 168;
const NODE_H = 52;
const COL_GAP = 120;
const ROW_GAP = 36;
const PAD = 28;

// Renders the page; the window is kept in the URL (?lookback=24h).
export async function renderDependenciesPage(ctx) {
  setTitle('Dependencies');
  const lookback = WINDOWS.some(([v]) => v === ctx.url.searchParams.get('lookback')) ?
      ctx.url.searchParams.get('lookback') : '24h';
  const select = h('select', {id: 'deps-lookback', 'aria-label': 'Time window'},
      WINDOWS.map(([v, label]) => h('option', {value: v, selected: v === lookback ? true : null}, label)));
  select.addEventListener('change', () => ctx.navigate(`/dependencies?lookback=${select.value}`, {replace: true}));
  const content = h('div', {class: 'deps-content'}, loading('Loading dependencies…'));
  replace(ctx.main, h('div', {class: 'deps-page'},
      h('div', {class: 'page-head'}, h('h1', null, 'Service dependencies'), h('label', {class: 'sort-label'}, 'Window ', select)),
      content));
  let links;
  try {
    links = await fetchDependencies(WINDOWS.find(([v]) => v === lookback)[2], ctx.signal);
  } catch (err) {
    if (err.name === 'AbortError') return;
    replace(content, apiErrorNotice(err, 'the dependencies'));
    return;
  }
  if (ctx.signal.aborted) return;
  links = links.filter((l) => l && l.parent && l.child).map((l) => ({...l, callCount: Number(l.callCount) || 0}));
  if (!links.length) {
    replace(content, notice('info', 'No dependencies in this window',
        'No service called another in the chosen window. Calls between services appear here once traces with ',
        'CLIENT/SERVER spans across services arrive; ', link('/search', null, 'search traces'), '.'));
    return;
  }
  const layout = layoutDependencies(links);
  replace(content,
      h('div', {class: 'panel graph-panel'}, drawGraph(layout)),
      h('div', {class: 'panel'}, h('table', {class: 'deps-table'},
          h('caption', null, `${links.length} call edge${links.length === 1 ? '' : 's'} between ${layout.nodes.length} services`),
          h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Caller'), h('th', {scope: 'col'}, 'Callee'),
              h('th', {scope: 'col', class: 'num'}, 'Calls'))),
          h('tbody', null, links.slice().sort((a, b) => b.callCount - a.callCount).map((l) => h('tr', null,
              h('td', null, l.parent), h('td', null, l.child), h('td', {class: 'num'}, String(l.callCount))))))));
}

function drawGraph(layout) {
  const maxRows = Math.max(...layout.layers.map((c) => c.length));
  const width = PAD * 2 + layout.layers.length * NODE_W + (layout.layers.length - 1) * COL_GAP;
  const height = PAD * 2 + maxRows * NODE_H + (maxRows - 1) * ROW_GAP + 24;
  const pos = new Map();
  for (const node of layout.nodes) {
    const columnSize = layout.layers[node.layer].length;
    const offset = ((maxRows - columnSize) * (NODE_H + ROW_GAP)) / 2;
    pos.set(node.name, {x: PAD + node.layer * (NODE_W + COL_GAP), y: PAD + offset + node.row * (NODE_H + ROW_GAP)});
  }
  const svg = s('svg', {class: 'deps-graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': `Service dependency graph: ${layout.edges.map((e) => `${e.parent} calls ${e.child} ${e.callCount} times`).join('; ')}`},
  s('defs', null, s('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7',
    markerHeight: '7', orient: 'auto-start-reverse'}, s('path', {d: 'M0,0 L10,5 L0,10 z', class: 'deps-arrow'}))));
  const edgeLayer = s('g', {class: 'deps-edges'});
  const labelLayer = s('g', {class: 'deps-labels'});
  for (const edge of layout.edges) {
    const a = pos.get(edge.parent);
    const b = pos.get(edge.child);
    let d;
    let mid;
    if (edge.parent === edge.child) {
      const x = a.x + NODE_W / 2;
      d = `M${x - 20},${a.y} C${x - 40},${a.y - 40} ${x + 40},${a.y - 40} ${x + 20},${a.y}`;
      mid = {x, y: a.y - 30};
    } else if (!edge.back && b.x > a.x) {
      const x1 = a.x + NODE_W;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x;
      const y2 = b.y + NODE_H / 2;
      const c = (x2 - x1) / 2;
      d = `M${x1},${y1} C${x1 + c},${y1} ${x2 - c},${y2} ${x2},${y2}`;
      mid = {x: (x1 + x2) / 2, y: (y1 + y2) / 2};
    } else {  // an edge closing a cycle: curve below the nodes, from bottom to bottom
      const x1 = a.x + NODE_W / 2;
      const y1 = a.y + NODE_H;
      const x2 = b.x + NODE_W / 2;
      const y2 = b.y + NODE_H;
      const low = Math.max(y1, y2) + 40;
      d = `M${x1},${y1} C${x1},${low} ${x2},${low} ${x2},${y2}`;
      mid = {x: (x1 + x2) / 2, y: low - 10};
    }
    edgeLayer.append(s('path', {class: 'deps-edge', d, 'marker-end': 'url(#arrow)'},
        s('title', null, `${edge.parent} → ${edge.child}: ${edge.callCount} calls`)));
    const text = String(edge.callCount);
    const w = 10 + text.length * 7.5;
    labelLayer.append(s('g', {class: 'deps-label', transform: `translate(${mid.x},${mid.y})`},
        s('rect', {x: -w / 2, y: -10, width: w, height: 20, rx: 10}),
        s('text', {'text-anchor': 'middle', 'dominant-baseline': 'central'}, text)));
  }
  const nodeLayer = s('g', {class: 'deps-nodes'});
  for (const node of layout.nodes) {
    const p = pos.get(node.name);
    const color = serviceColor(node.name);
    nodeLayer.append(s('g', {class: 'deps-node', transform: `translate(${p.x},${p.y})`, dataset: {service: node.name}},
        s('rect', {width: NODE_W, height: NODE_H, rx: 10, style: {stroke: color}}),
        s('rect', {width: 6, height: NODE_H - 16, x: 10, y: 8, rx: 3, style: {fill: color}}),
        s('text', {x: 26, y: 21, class: 'deps-node-name'}, node.name.length > 17 ? `${node.name.slice(0, 16)}…` : node.name),
        s('text', {x: 26, y: 39, class: 'deps-node-sub'}, `in ${node.callsIn} · out ${node.callsOut}`),
        s('title', null, `${node.name}: called ${node.callsIn} times, calls others ${node.callsOut} times`)));
  }
  svg.append(edgeLayer, nodeLayer, labelLayer);
  return h('div', {class: 'graph-scroll'}, svg);
}
