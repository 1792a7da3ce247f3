// Formatting and parsing of durations (microseconds) and times for display.

// Rounds to a few significant digits and drops trailing zeros: 12.50 -> "12.5".
function trim(value) {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}

// Formats a duration in microseconds like Jaeger: 740µs, 12.3ms, 1.52s, 2m 5s, 1h 3m.
export function formatDuration(us) {
  if (!Number.isFinite(us)) return '–';
  if (us <= 0) return '0ms';
  if (us < 1) return `${trim(us)}µs`;
  if (us < 1000) return `${trim(us)}µs`;
  if (us < 1e6) return `${trim(us / 1000)}ms`;
  if (us < 60e6) return `${trim(us / 1e6)}s`;
  const totalSeconds = Math.round(us / 1e6);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return hours ? `${hours}h ${minutes}m` : `${minutes}m ${seconds}s`;
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

// Formats a µs epoch timestamp as local "YYYY-MM-DD HH:MM:SS.mmm".
export function formatTime(us) {
  const d = new Date(us / 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
      `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.` +
      `${pad(d.getMilliseconds(), 3)}`;
}

// Formats a µs epoch timestamp as a short local clock time "HH:MM:SS".
export function formatClock(us) {
  const d = new Date(us / 1000);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

// Formats how long ago a µs timestamp was: "just now", "5 minutes ago", "2 days ago".
export function formatRelative(us, nowMs = Date.now()) {
  const seconds = Math.round((nowMs - us / 1000) / 1000);
  if (seconds < 0) return 'in the future';
  if (seconds < 10) return 'just now';
  const units = [['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]];
  for (const [name, size] of units) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      return `${n} ${name}${n === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}

// Microseconds per unit of Go's time.ParseDuration.
const GO_UNITS = {ns: 1e-3, us: 1, 'µs': 1, 'μs': 1, ms: 1e3, s: 1e6, m: 60e6, h: 3600e6};
const GO_DURATION = /^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h)(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))*$/;

// Parses a Go duration ("100ms", "1.5s", "1h30m") to microseconds; null when invalid.
export function parseGoDuration(text) {
  const value = String(text).trim();
  if (!GO_DURATION.test(value)) return null;
  let total = 0;
  for (const [, number, unit] of value.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(number) * GO_UNITS[unit];
  }
  return total;
}

// Renders a typed Jaeger tag value for display (objects as JSON).
export function formatTagValue(tag) {
  const value = tag.value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
