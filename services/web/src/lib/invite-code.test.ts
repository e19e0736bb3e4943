import { describe, expect, it } from 'vitest';

import {
  buildInviteLink,
  INVITE_CODE_ALPHABET,
  INVITE_CODE_LENGTH,
  isInviteCode,
  parseInviteInput,
} from '@/lib/invite-code';

describe('isInviteCode', () => {
  it('accepts 8 characters from the alphabet', () => {
    expect(isInviteCode('ABCDEFGH')).toBe(true);
    expect(isInviteCode('K7QM2XPA')).toBe(true);
    expect(isInviteCode(INVITE_CODE_ALPHABET.slice(0, INVITE_CODE_LENGTH))).toBe(true);
  });

  it.each([
    ['too short', 'ABCDEFG'],
    ['too long', 'ABCDEFGHJ'],
    ['lowercase', 'abcdefgh'],
    ['look-alike O', 'ABCDEFGO'],
    ['look-alike I', 'ABCDEFGI'],
    ['digit 0', 'ABCDEFG0'],
    ['digit 1', 'ABCDEFG1'],
    ['symbol', 'ABCDEFG!'],
  ])('rejects %s', (_label, value) => {
    expect(isInviteCode(value)).toBe(false);
  });
});

describe('parseInviteInput', () => {
  it.each([
    ['a bare code', 'K7QM2XPA', 'K7QM2XPA'],
    ['lowercase', 'k7qm2xpa', 'K7QM2XPA'],
    ['surrounding spaces', '  K7QM2XPA \n', 'K7QM2XPA'],
    ['grouped with a dash', 'k7qm-2xpa', 'K7QM2XPA'],
    ['grouped with a space', 'K7QM 2XPA', 'K7QM2XPA'],
  ])('reads %s', (_label, input, code) => {
    expect(parseInviteInput(input)).toEqual({ ok: true, code });
  });

  it.each([
    ['a full https link', 'https://watch.example.com/r/K7QM2XPA', 'K7QM2XPA'],
    ['a link with a port', 'http://127.0.0.1:8080/r/K7QM2XPA', 'K7QM2XPA'],
    ['a link with a trailing slash', 'https://watch.example.com/r/K7QM2XPA/', 'K7QM2XPA'],
    ['a link with query and fragment', 'https://watch.example.com/r/K7QM2XPA?ref=chat#top', 'K7QM2XPA'],
    ['a link without a scheme', 'watch.example.com/r/K7QM2XPA', 'K7QM2XPA'],
    ['a bare path', '/r/K7QM2XPA', 'K7QM2XPA'],
    ['a lowercase code in a link', 'https://watch.example.com/r/k7qm2xpa', 'K7QM2XPA'],
  ])('reads %s', (_label, input, code) => {
    expect(parseInviteInput(input)).toEqual({ ok: true, code });
  });

  it('reports empty input', () => {
    expect(parseInviteInput('')).toEqual({ ok: false, error: 'empty' });
    expect(parseInviteInput('   ')).toEqual({ ok: false, error: 'empty' });
  });

  it.each(['ABC', 'ABCDEFGHJK', 'ABCD EFG0', 'hello world', '<script>'])('reports a bad code: %s', (input) => {
    expect(parseInviteInput(input)).toEqual({ ok: false, error: 'bad-code' });
  });

  it.each([
    'https://watch.example.com/',
    'https://watch.example.com/r/',
    'https://watch.example.com/r/SHORT',
    'https://watch.example.com/room/K7QM2XPA',
    'https://watch.example.com/r/K7QM2XP0',
    'https://watch.example.com/r/%E0%A4%A',
  ])('reports a bad link: %s', (input) => {
    expect(parseInviteInput(input)).toEqual({ ok: false, error: 'bad-link' });
  });
});

describe('buildInviteLink', () => {
  it('joins origin and code', () => {
    expect(buildInviteLink('K7QM2XPA', 'https://watch.example.com')).toBe('https://watch.example.com/r/K7QM2XPA');
    expect(buildInviteLink('K7QM2XPA', 'https://watch.example.com/')).toBe('https://watch.example.com/r/K7QM2XPA');
  });

  it('round-trips through the parser', () => {
    const link = buildInviteLink('ABCDEFGH', 'http://localhost:5173');
    expect(parseInviteInput(link)).toEqual({ ok: true, code: 'ABCDEFGH' });
  });
});
