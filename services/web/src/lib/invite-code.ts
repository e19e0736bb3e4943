/**
 * Room invite codes (DESIGN.md §2): 8 characters from an alphabet without look-alikes
 * (no I, O, 0 or 1), shared as `https://<host>/r/<CODE>`.
 */

export const INVITE_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const INVITE_CODE_LENGTH = 8;

const CODE_PATTERN = new RegExp(`^[${INVITE_CODE_ALPHABET}]{${INVITE_CODE_LENGTH}}$`);
/** `/r/<segment>` anywhere in a link or path; the segment ends at `/`, `?` or `#`. */
const LINK_PATTERN = /(?:^|\/)r\/([^/?#\s]*)/;

export type InviteParseError = 'empty' | 'bad-code' | 'bad-link';

export type InviteParseResult = { ok: true; code: string } | { ok: false; error: InviteParseError };

export function isInviteCode(value: string): boolean {
  return CODE_PATTERN.test(value);
}

/** Uppercases and drops the separators people add when they read a code out (`abcd-efgh`, `ABCD EFGH`). */
export function normalizeInviteCode(value: string): string {
  return value.replace(/[\s-]+/g, '').toUpperCase();
}

/**
 * Reads what someone typed or pasted into "join a room": a bare code, or any link or path
 * that contains `/r/<CODE>` (with or without scheme, host, query or fragment).
 */
export function parseInviteInput(input: string): InviteParseResult {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, error: 'empty' };

  const looksLikeLink = trimmed.includes('/') || /^[a-z][a-z0-9+.-]*:/i.test(trimmed);
  if (looksLikeLink) {
    const match = LINK_PATTERN.exec(trimmed);
    const segment = match?.[1];
    if (segment === undefined) return { ok: false, error: 'bad-link' };
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return { ok: false, error: 'bad-link' };
    }
    const code = normalizeInviteCode(decoded);
    return isInviteCode(code) ? { ok: true, code } : { ok: false, error: 'bad-link' };
  }

  const code = normalizeInviteCode(trimmed);
  return isInviteCode(code) ? { ok: true, code } : { ok: false, error: 'bad-code' };
}

/** User-facing explanation for each parse error. */
export const INVITE_ERROR_MESSAGES: Record<InviteParseError, string> = {
  empty: 'Enter an invite code or paste an invite link.',
  'bad-code': `Invite codes are ${INVITE_CODE_LENGTH} characters: letters A–Z and digits 2–9 (no I, O, 0 or 1).`,
  'bad-link': 'That link has no valid invite code. It should end in /r/ followed by 8 characters.',
};

/** The shareable link for a room; `origin` is the configured public origin or the page's own. */
export function buildInviteLink(code: string, origin: string): string {
  return `${origin.replace(/\/+$/, '')}/r/${code}`;
}
