// Parses the search form's tag filter: `key=value key2="quoted value"` (logfmt) into an object
// for the query API's `tags` JSON parameter.

// Returns {tags: {key: value, ...}} or {error: "what is wrong, for a person"}.
export function parseTagFilter(text) {
  const tags = {};
  const input = String(text ?? '');
  let i = 0;
  const skipSpace = () => {
    while (i < input.length && /\s/.test(input[i])) i++;
  };
  // Reads a bare token up to whitespace or '=', or a double-quoted string with \" escapes.
  const readToken = (stopAtEquals) => {
    if (input[i] === '"') {
      let out = '';
      i++;
      while (i < input.length && input[i] !== '"') {
        if (input[i] === '\\' && i + 1 < input.length) i++;
        out += input[i++];
      }
      if (input[i] !== '"') return {error: 'unterminated quote'};
      i++;
      return {value: out};
    }
    const start = i;
    while (i < input.length && !/\s/.test(input[i]) && !(stopAtEquals && input[i] === '=')) i++;
    return {value: input.slice(start, i)};
  };
  skipSpace();
  while (i < input.length) {
    const key = readToken(true);
    if (key.error) return {error: `Tag filter: ${key.error}`};
    if (!key.value) return {error: 'Tag filter: a tag needs a key before "="'};
    if (input[i] !== '=') return {error: `Tag filter: "${key.value}" needs a value (key=value)`};
    i++;
    const value = readToken(false);
    if (value.error) return {error: `Tag filter: ${value.error}`};
    tags[key.value] = value.value;
    skipSpace();
  }
  return {tags};
}

// Formats a tags object back into the logfmt text the form shows.
export function formatTagFilter(tags) {
  return Object.entries(tags || {})
      .map(([k, v]) => `${k}=${/[\s"]/.test(v) || v === '' ? JSON.stringify(v) : v}`)
      .join(' ');
}
