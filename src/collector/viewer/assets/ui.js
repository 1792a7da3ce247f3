// Shared pieces of the pages: loading and error notices, service chips, links.
import {h} from './dom.js';
import {serviceColor} from './colors.js';

// A "loading" line with a spinner, announced to screen readers.
export function loading(text = 'Loading…') {
  return h('div', {class: 'loading', role: 'status', 'aria-live': 'polite'},
      h('span', {class: 'spinner', 'aria-hidden': 'true'}), text);
}

// A notice box. kind: 'error' | 'info' | 'warning'.
export function notice(kind, title, ...body) {
  return h('div', {class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status'},
      h('strong', {class: 'notice-title'}, title),
      body.length ? h('div', {class: 'notice-body'}, ...body) : null);
}

// The notice for a failed API call (unreachable API or an error answer).
export function apiErrorNotice(err, what) {
  if (err && err.status === 0) {
    return notice('error', 'Cannot reach the query API', err.message,
        h('div', {class: 'hint'}, 'Start it with ', h('code', null, 'blogtrace serve collector'),
            ' (or ', h('code', null, 'blogtrace up'), ') and reload the page.'));
  }
  return notice('error', `Could not load ${what}`, err ? err.message : 'unknown error');
}

// A coloured chip naming a service, optionally with a count and an error count.
export function serviceChip(name, count, errors) {
  return h('span', {class: 'chip', style: {'--svc': serviceColor(name)}, title: name},
      h('span', {class: 'chip-dot', 'aria-hidden': 'true'}), h('span', {class: 'chip-name'}, name),
      count != null ? h('span', {class: 'chip-count'}, String(count)) : null,
      errors ? h('span', {class: 'chip-errors', title: `${errors} with errors`}, `${errors} err`) : null);
}

// An in-app link (the router intercepts clicks on a[data-route]).
export function link(href, attrs, ...children) {
  return h('a', {href, 'data-route': '', ...attrs}, ...children);
}

// Sets the document title: "<page> · blogtrace".
export function setTitle(text) {
  document.title = text ? `${text} · blogtrace` : 'blogtrace';
}
