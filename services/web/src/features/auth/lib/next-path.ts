/**
 * Where to go after logging in: the `next` query parameter when it is a path on this site,
 * else the home page. Anything that could leave the site (`//evil.example`, `/\evil`,
 * `https://…`, or a path with whitespace that browsers strip into `//`) is ignored.
 */
export function safeNextPath(next: string | null): string {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || /[\\\s]/.test(next)) return '/';
  return next;
}

/** `/login?next=/profile`: slashes stay readable, everything else is encoded. */
export function loginPathFor(path: string): string {
  return `/login?next=${encodeURIComponent(path).replace(/%2F/gi, '/')}`;
}
