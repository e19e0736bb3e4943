import { act } from '@testing-library/react';
import { vi } from 'vitest';

import type { ChatSnapshot, ChatSource } from '@/features/chat/lib/chat-source';
import type { ChatMessage } from '@/lib/protocol/v1.gen';

/**
 * A chat for panel tests: the snapshot is set by the test (`update`, `receive`, inside `act`), as
 * the sync feature's `LiveChat` sets it from the socket; the actions are spies.
 */
export function fakeChat(initial: Partial<ChatSnapshot> = {}) {
  let snapshot: ChatSnapshot = {
    messages: [],
    hasMore: false,
    loaded: true,
    loadingOlder: false,
    pending: [],
    unavailable: false,
    rateLimitedUntil: null,
    ...initial,
  };
  const listeners = new Set<() => void>();
  const set = (next: ChatSnapshot): void => {
    act(() => {
      snapshot = next;
      for (const listener of [...listeners]) listener();
    });
  };
  const never = <T>() => new Promise<T>(() => undefined);
  const source = {
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: () => snapshot,
    sendChat: vi.fn<ChatSource['sendChat']>(() => never()),
    retryChat: vi.fn<ChatSource['retryChat']>(() => never()),
    discardChat: vi.fn<ChatSource['discardChat']>(),
    deleteChat: vi.fn<ChatSource['deleteChat']>((id) => {
      const message = snapshot.messages.find((m) => m.id === id);
      return message === undefined ? Promise.reject(new Error('gone')) : Promise.resolve({ ...message, deleted: true, content: '' });
    }),
    loadOlder: vi.fn<ChatSource['loadOlder']>(() => Promise.resolve()),
    /** Replace parts of the snapshot. */
    update(patch: Partial<ChatSnapshot>): void {
      set({ ...snapshot, ...patch });
    },
    /** New messages at the end (as `chat:message` frames would bring them). */
    receive(...messages: ChatMessage[]): void {
      set({ ...snapshot, messages: [...snapshot.messages, ...messages] });
    },
  } satisfies ChatSource & Record<string, unknown>;
  return source;
}
