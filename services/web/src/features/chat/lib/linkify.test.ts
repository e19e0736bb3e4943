import { describe, expect, it } from 'vitest';

import { messageLength } from './limits';
import { safeHref, splitLinks } from './linkify';

describe('splitLinks', () => {
  it('keeps plain text as one text segment', () => {
    expect(splitLinks('hello there')).toEqual([{ kind: 'text', text: 'hello there' }]);
    expect(splitLinks('')).toEqual([]);
  });

  it('finds http and https addresses between words', () => {
    expect(splitLinks('watch https://example.com/a?b=1 and http://x.example now')).toEqual([
      { kind: 'text', text: 'watch ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.example', href: 'http://x.example/' },
      { kind: 'text', text: ' now' },
    ]);
  });

  it('leaves sentence punctuation and an unmatched bracket out of the link', () => {
    expect(splitLinks('see https://example.com/page.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/page', href: 'https://example.com/page' },
      { kind: 'text', text: '.' },
    ]);
    expect(splitLinks('(https://en.example.org/wiki/Film_(1999))').map((s) => s.text)).toEqual([
      '(',
      'https://en.example.org/wiki/Film_(1999)',
      ')',
    ]);
  });

  it('never links other schemes, whatever they look like', () => {
    for (const text of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      '//evil.example/x',
    ]) {
      expect(splitLinks(text)).toEqual([{ kind: 'text', text }]);
    }
  });

  it('stops a link at quotes and angle brackets, so markup stays text', () => {
    const segments = splitLinks('https://evil.example/"><script>alert(1)</script>');
    expect(segments[0]).toEqual({ kind: 'link', text: 'https://evil.example/', href: 'https://evil.example/' });
    expect(segments.slice(1)).toEqual([{ kind: 'text', text: '"><script>alert(1)</script>' }]);
    expect(splitLinks('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });
});

describe('safeHref', () => {
  it('accepts only absolute http(s) URLs with a host', () => {
    expect(safeHref('https://example.com')).toBe('https://example.com/');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('http://')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
  });
});

describe('messageLength', () => {
  it('counts characters of the trimmed text as the chat service does', () => {
    expect(messageLength('  hi  ')).toBe(2);
    expect(messageLength('a\r\nb')).toBe(3);
    expect(messageLength('🎬🍿')).toBe(2);
  });
});
