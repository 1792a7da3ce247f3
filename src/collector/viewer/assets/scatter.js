// The search results' scatter plot: one dot per trace, x = start time, y = duration.
import {s} from './dom.js';
import {formatClock, formatDuration, formatTime} from './format.js';
import {serviceColor} from './colors.js';

const HEIGHT = 200;
const MARGIN = {top: 16, right: 16, bottom: 28, left: 64};

// "Nice" tick values from 0 to at least max: 0, step, 2·step… with step 1/2/5·10^k.
function niceTicks(max, count = 4) {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((m) => m >= raw);
  const ticks = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(v);
  return ticks;
}

// Draws the plot into `container` (its width is read once). `onOpen(traceId)` opens a trace.
export function drawScatter(container, summaries, onOpen) {
  const width = Math.max(container.clientWidth, 320);
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  let minT = Math.min(...summaries.map((t) => t.start));
  let maxT = Math.max(...summaries.map((t) => t.start));
  if (maxT - minT < 2e6) {  // a single trace or a burst: widen to ±1 s around them
    minT -= 1e6;
    maxT += 1e6;
  }
  const padT = (maxT - minT) * 0.04;
  minT -= padT;
  maxT += padT;
  const yTicks = niceTicks(Math.max(...summaries.map((t) => t.duration)));
  const maxD = yTicks[yTicks.length - 1];
  const x = (t) => MARGIN.left + ((t - minT) / (maxT - minT)) * plotW;
  const y = (d) => MARGIN.top + plotH - (d / maxD) * plotH;
  const maxSpans = Math.max(...summaries.map((t) => t.spanCount));

  const svg = s('svg', {
    class: 'scatter', width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`,
    role: 'img', 'aria-label': `Durations of ${summaries.length} traces over time`,
  });
  const grid = s('g', {class: 'scatter-grid'});
  for (const tick of yTicks) {
    grid.append(
        s('line', {x1: MARGIN.left, x2: width - MARGIN.right, y1: y(tick), y2: y(tick)}),
        s('text', {x: MARGIN.left - 8, y: y(tick), 'text-anchor': 'end', 'dominant-baseline': 'middle'},
            formatDuration(tick)));
  }
  const xTickCount = Math.max(2, Math.min(6, Math.floor(plotW / 120)));
  let lastLabel = '';
  for (let i = 0; i <= xTickCount; i++) {
    const t = minT + ((maxT - minT) * i) / xTickCount;
    if (formatClock(t) === lastLabel) continue;  // a short window: one label per second
    lastLabel = formatClock(t);
    grid.append(s('text', {
      x: x(t), y: HEIGHT - 8, 'text-anchor': i === 0 ? 'start' : i === xTickCount ? 'end' : 'middle',
    }, formatClock(t)));
  }
  svg.append(grid);
  const dots = s('g', {class: 'scatter-dots'});
  // Errors drawn last so their red dots stay on top.
  const ordered = summaries.slice().sort((a, b) => (a.errorCount > 0) - (b.errorCount > 0));
  for (const t of ordered) {
    const r = 4 + 5 * Math.sqrt(t.spanCount / maxSpans);
    const label = `${t.rootService}: ${t.rootOperation}, ${formatDuration(t.duration)}, ` +
        `${t.spanCount} spans${t.errorCount ? `, ${t.errorCount} errors` : ''}, ${formatTime(t.start)}`;
    const dot = s('circle', {
      class: t.errorCount ? 'dot dot-error' : 'dot', cx: x(t.start), cy: y(t.duration), r,
      style: t.errorCount ? null : {fill: serviceColor(t.rootService)},
      tabindex: '0', role: 'link', 'aria-label': `Open trace ${label}`,
      dataset: {traceId: t.traceID},
    }, s('title', null, label));
    dot.addEventListener('click', () => onOpen(t.traceID));
    dot.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        onOpen(t.traceID);
      }
    });
    dots.append(dot);
  }
  svg.append(dots);
  container.replaceChildren(svg);
}
