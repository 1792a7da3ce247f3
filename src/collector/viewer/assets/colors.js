// Stable per-service colours: the same service has the same colour on every page.
// Red is left out of the palette: it marks errors.

const PALETTE = [
  '#2563eb', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2',
  '#65a30d', '#ea580c', '#4f46e5', '#0d9488', '#a21caf', '#ca8a04',
];

const cache = new Map();

// FNV-1a hash of a string (32-bit), for palette selection.
function hash(text) {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    value ^= text.charCodeAt(i);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}

// The colour of a service name (CSS colour string).
export function serviceColor(name) {
  let color = cache.get(name);
  if (!color) {
    color = PALETTE[hash(String(name)) % PALETTE.length];
    cache.set(name, color);
  }
  return color;
}
