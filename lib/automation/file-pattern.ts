/**
 * File-name globs for file triggers: `*` (any run of characters, but a leading dot must be
 * explicit, so editor lock files and hidden temporaries never match), `?`, `[abc]`/`[!abc]`,
 * `{pdf,PDF}`. Names only: a pattern with a path separator is rejected by validation.
 */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  let inBraces = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) re += '\\[';
      else {
        let body = pattern.slice(i + 1, close);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '{') {
      inBraces = true;
      re += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces = false;
      re += ')';
    } else if (c === ',' && inBraces) re += '|';
    else re += c.replace(/[.+^$()|\\\]{}]/g, '\\$&');
  }
  if (inBraces) re += ')';
  return new RegExp(`^${pattern.startsWith('.') ? '' : '(?!\\.)'}${re}$`);
}

export function isValidFilePattern(pattern: string): boolean {
  if (!pattern || pattern.length > 200 || /[\\/\0]/.test(pattern)) return false;
  try {
    globToRegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
