import { describe, expect, it } from 'vitest';

import { chatMessage, systemMessage, tombstone } from '@/testing/chat-fixtures';

import { canDelete } from './chat-source';
import { countUnread } from './unread';

describe('countUnread', () => {
  const messages = [
    chatMessage(1),
    chatMessage(2, { authorUserId: 'u_ann' }),
    systemMessage(3, 'pause', 'ann'),
    chatMessage(4),
    tombstone(chatMessage(5)),
    chatMessage(6),
  ];

  it('counts only others’ words after what was seen', () => {
    expect(countUnread(messages, 1, 'u_ann')).toBe(2);
    expect(countUnread(messages, 4, 'u_ann')).toBe(1);
    expect(countUnread(messages, 6, 'u_ann')).toBe(0);
  });

  it('counts nothing before anything was seen', () => {
    expect(countUnread(messages, null, 'u_ann')).toBe(0);
  });
});

describe('canDelete', () => {
  const bobs = chatMessage(1, { authorUserId: 'u_bob' });
  it('lets the owner delete any message and a member their own', () => {
    expect(canDelete({ userId: 'u_ann', owner: true }, bobs)).toBe(true);
    expect(canDelete({ userId: 'u_ann', owner: true }, systemMessage(2, 'pause', 'bob'))).toBe(true);
    expect(canDelete({ userId: 'u_bob', owner: false }, bobs)).toBe(true);
    expect(canDelete({ userId: 'u_cleo', owner: false }, bobs)).toBe(false);
    expect(canDelete({ userId: 'u_bob', owner: false }, systemMessage(2, 'pause', 'bob'))).toBe(false);
    expect(canDelete({ userId: null, owner: false }, bobs)).toBe(false);
    expect(canDelete({ userId: 'u_ann', owner: true }, tombstone(bobs))).toBe(false);
  });
});
