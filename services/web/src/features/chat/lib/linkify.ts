/**
 * Chat text split into plain text and links, for rendering as React text and `<a>` elements
 * (never as HTML). Only absolute `http:` and `https:` addresses become links: `javascript:`,
 * `data:` and the like stay text, whatever they look like.
 */
export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than an address ("see https://x.example/a."). */
const TRAILING = /[.,;:!?'"*_~]+$/;

/** Trailing `)` that has no `(` in the address belongs to the sentence: "(see https://x.example)". */
function trimUrl(candidate: string): string {
  let url = candidate.replace(TRAILING, '');
  while (url.endsWith(')') && (url.match(/\(/g)?.length ?? 0) < (url.match(/\)/g)?.length ?? 0)) {
    url = url.slice(0, -1).replace(TRAILING, '');
  }
  return url;
}

/** The address as a safe `href`, or null when it is not an http(s) URL. */
export function safeHref(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.hostname === '') return null;
  return url.href;
}

export function splitLinks(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  const push = (kind: 'text', value: string): void => {
    if (value === '') return;
    const previous = segments.at(-1);
    if (previous?.kind === kind) previous.text += value;
    else segments.push({ kind, text: value });
  };
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    const url = trimUrl(match[0]);
    const href = safeHref(url);
    if (href === null) continue;
    push('text', text.slice(last, start));
    segments.push({ kind: 'link', text: url, href });
    last = start + url.length;
  }
  push('text', text.slice(last));
  return segments;
}
