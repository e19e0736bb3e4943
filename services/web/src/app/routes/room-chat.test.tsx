import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ChatPanel } from '@/features/chat/components/chat-panel';
import { ChatProvider } from '@/features/chat/components/chat-provider';
import { createLiveRoom } from '@/features/sync/live/create-live-room';
import type { LiveRoomWithChat } from '@/features/sync/live/live-room';
import { FakeWebSocket } from '@/features/sync/testing/fake-web-socket';
import type { ClientFrame } from '@/lib/protocol/v1.gen';
import { useSessionStore } from '@/stores/session-store';
import { chatMessage } from '@/testing/chat-fixtures';
import { testUser } from '@/testing/fetch-mock';

/** The chat panel on a real live room (socket faked): what the route composes. */
let live: LiveRoomWithChat | null = null;

async function joined(): Promise<{ live: LiveRoomWithChat; ws: FakeWebSocket }> {
  let n = 0;
  const room = createLiveRoom({
    code: 'K7QX2MPA',
    getToken: () => Promise.resolve('token-1'),
    socket: { url: 'ws://watch.test/ws', clientId: 'c_tab', WebSocket: FakeWebSocket, random: () => 0.5 },
    chat: { newId: () => `cm-${++n}` },
  });
  live = room;
  await act(() => vi.advanceTimersByTimeAsync(0));
  const ws = FakeWebSocket.last;
  await act(async () => {
    ws.accept({ userId: 'u_ann' });
    ws.receive({ type: 'chat:history', data: { messages: [chatMessage(1, { content: 'welcome' })], hasMore: false } });
    await vi.advanceTimersByTimeAsync(0);
  });
  return { live: room, ws };
}

const lastChatFrame = (ws: FakeWebSocket): Extract<ClientFrame, { type: 'chat:message' }> => {
  const frame = ws.framesOf('chat:message').at(-1);
  if (frame === undefined) throw new Error('nothing sent');
  return frame;
};

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  FakeWebSocket.reset();
  useSessionStore.setState({ user: testUser, accessToken: 'token-1', expiresAt: Date.now() + 900_000, status: 'signed-in' });
});

afterEach(() => {
  live?.close();
  live = null;
  vi.useRealTimers();
});

describe('the chat panel on a live room', () => {
  it('sends, shows "Sending…" until the ack, then the stored message', async () => {
    const r = await joined();
    const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
    render(
      <ChatProvider chat={r.live.chat}>
        <ChatPanel viewer={{ userId: 'u_ann', owner: false }} />
      </ChatProvider>,
    );
    expect(screen.getByTestId('chat-messages')).toHaveTextContent('welcome');

    await user.type(screen.getByTestId('chat-input'), 'hello <b>room</b>{Enter}');
    const frame = lastChatFrame(r.ws);
    expect(frame.data).toEqual({ content: 'hello <b>room</b>', clientMessageId: 'cm-1' });
    const pending = screen.getAllByTestId('chat-message').at(-1) as HTMLElement;
    expect(pending).toHaveAttribute('data-pending', 'sending');
    expect(pending).toHaveTextContent('Sending…');

    act(() => {
      r.ws.receive({
        type: 'ack',
        id: frame.id,
        data: {
          sequenceNumber: null,
          duplicate: false,
          commandId: null,
          message: chatMessage(2, { authorUserId: 'u_ann', authorName: 'ann', content: frame.data.content, clientMessageId: 'cm-1' }),
        },
      });
    });
    await act(() => vi.advanceTimersByTimeAsync(0));
    const stored = screen.getAllByTestId('chat-message').at(-1) as HTMLElement;
    expect(stored).not.toHaveAttribute('data-pending');
    expect(stored).toHaveAttribute('data-own', 'true');
    expect(within(stored).getByTestId('chat-content').textContent).toBe('hello <b>room</b>');
    expect(stored.querySelector('b')).toBeNull();
  });

  it('keeps what is written while disconnected as "Sending…" and sends it on reconnect', async () => {
    const r = await joined();
    const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
    render(
      <ChatProvider chat={r.live.chat}>
        <ChatPanel viewer={{ userId: 'u_ann', owner: false }} />
      </ChatProvider>,
    );
    act(() => {
      r.ws.serverClose(1006);
    });
    await user.type(screen.getByTestId('chat-input'), 'while away{Enter}');
    expect(screen.getAllByTestId('chat-message').at(-1)).toHaveAttribute('data-pending', 'queued');
    expect(r.ws.framesOf('chat:message')).toHaveLength(0);

    await act(() => vi.advanceTimersByTimeAsync(1000));
    const next = FakeWebSocket.last;
    await act(async () => {
      next.accept({ userId: 'u_ann' });
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(lastChatFrame(next).data).toEqual({ content: 'while away', clientMessageId: 'cm-1' });
  });
});
