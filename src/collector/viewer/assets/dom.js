// Tiny DOM helpers: build elements declaratively without a framework.

const SVG_NS = 'http://www.w3.org/2000/svg';

// Appends children (nodes, strings, arrays, null/false skipped) to a parent node.
function append(parent, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : String(child));
  }
}

// Applies attributes: `class`, `style` (object or string), `on<event>` handlers, booleans, data.
function setAttrs(el, attrs) {
  if (!attrs) return;
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'style' && typeof value === 'object') {
      // setProperty handles custom properties (--svc), which plain assignment ignores.
      for (const [name, v] of Object.entries(value)) {
        if (v == null) continue;
        if (name.startsWith('--')) el.style.setProperty(name, v);
        else el.style[name] = v;
      }
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

// Creates an HTML element: h('a', {href: '/x', class: 'link'}, 'text', child).
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

// Creates an SVG element (same calling convention as h).
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

// Replaces every child of `el` with `children`.
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}
