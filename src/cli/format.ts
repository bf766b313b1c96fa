/** `2024-05-01 10:00:00 UTC` */
export function utc(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds}` : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `1h 2m 3s` */
export function duration(seconds: number): string {
  const s = Math.round(Math.abs(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [d ? `${d}d` : '', d || h ? `${h}h` : '', d || h || m ? `${m}m` : '', `${s % 60}s`];
  return parts.filter(Boolean).join(' ');
}

/** `expires in 59m 12s` or `expired 3m 2s ago`, relative to `now`. */
export function expiresIn(expiresAt: number, now: number): string {
  return expiresAt >= now ? `expires in ${duration(expiresAt - now)}` : `expired ${duration(now - expiresAt)} ago`;
}

/**
 * Text from a token made safe for a terminal: C0 and C1 control characters (ESC starts terminal
 * escape sequences), line and paragraph separators and bidirectional overrides become `\u{…}`.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** Left column padded, for `label  value` tables; both columns made {@link printable}. */
export function rows(entries: readonly (readonly [string, string])[], indent = '  '): string {
  const safe = entries.map(([label, value]) => [printable(label), printable(value)] as const);
  const width = Math.max(0, ...safe.map(([label]) => label.length));
  return safe.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}`).join('\n');
}
