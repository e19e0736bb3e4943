import type { ReactNode } from 'react';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ChatDock } from '@/features/chat/components/chat-dock';
import { ChatOverlay } from '@/features/chat/components/chat-overlay';
import { ChatPanel } from '@/features/chat/components/chat-panel';
import { ChatProvider } from '@/features/chat/components/chat-provider';
import { CHAT_MUTED_KEY } from '@/features/chat/lib/chat-sound';
import type { ChatViewer } from '@/features/chat/lib/chat-source';
import { fakeChat } from '@/features/chat/testing/fake-chat';
import { useSessionStore } from '@/stores/session-store';
import { chatMessage, chatMessageId, systemMessage, tombstone } from '@/testing/chat-fixtures';
import { testUser } from '@/testing/fetch-mock';
import { stubMatchMedia } from '@/testing/match-media';

const ann: ChatViewer = { userId: 'u_ann', owner: false };
const owner: ChatViewer = { userId: 'u_ann', owner: true };
const guest: ChatViewer = { userId: null, owner: false };

type FakeChat = ReturnType<typeof fakeChat>;

function renderWith(chat: FakeChat, ui: ReactNode) {
  return render(<ChatProvider chat={chat}>{ui}</ChatProvider>);
}

const rows = () => screen.queryAllByTestId('chat-message');
const rowOf = (seq: number): HTMLElement => {
  const row = rows().find((entry) => entry.getAttribute('data-message-id') === chatMessageId(seq));
  if (row === undefined) throw new Error(`no row for message ${seq}`);
  return row;
};

/** Give the message list a scroll geometry (jsdom has none) and scroll it. */
function scrollList(top: number, { height = 2000, client = 400 } = {}): void {
  const list = screen.getByTestId('chat-messages');
  Object.defineProperty(list, 'scrollHeight', { configurable: true, value: height });
  Object.defineProperty(list, 'clientHeight', { configurable: true, value: client });
  Object.defineProperty(list, 'scrollTop', { configurable: true, writable: true, value: top });
  fireEvent.scroll(list);
}

beforeEach(() => {
  useSessionStore.setState({ user: testUser, accessToken: 'token-1', expiresAt: Date.now() + 900_000, status: 'signed-in' });
});

describe('messages', () => {
  it('renders content as text: markup and script URLs never become elements or links', () => {
    const payloads = [
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
      'javascript:alert(1)',
      '<a href="javascript:alert(1)">click</a>',
      '"><svg onload=alert(1)>',
    ];
    const chat = fakeChat({ messages: payloads.map((content, i) => chatMessage(i + 1, { content })) });
    renderWith(chat, <ChatPanel viewer={ann} />);
    const list = screen.getByTestId('chat-messages');
    payloads.forEach((content, i) => {
      expect(within(rowOf(i + 1)).getByTestId('chat-content').textContent).toBe(content);
    });
    expect(list.querySelector('img, script, svg[onload], [onerror]')).toBeNull();
    expect(within(list).queryAllByRole('link')).toEqual([]);
  });

  it('turns http(s) addresses into safe links, and only those', () => {
    const chat = fakeChat({
      messages: [chatMessage(1, { content: 'look https://example.com/film?t=1 or javascript:alert(1) or https://evil.example/"><b>x</b>' })],
    });
    renderWith(chat, <ChatPanel viewer={ann} />);
    const links = within(rowOf(1)).getAllByRole('link');
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['https://example.com/film?t=1', 'https://evil.example/']);
    for (const link of links) {
      expect(link).toHaveAttribute('rel', 'noopener noreferrer nofollow');
      expect(link).toHaveAttribute('target', '_blank');
    }
    expect(within(rowOf(1)).getByTestId('chat-content').textContent).toBe(
      'look https://example.com/film?t=1 or javascript:alert(1) or https://evil.example/"><b>x</b>',
    );
    expect(rowOf(1).querySelector('b')).toBeNull();
  });

  it('shows names, your own messages apart, system messages as room events, and tombstones', () => {
    const chat = fakeChat({
      messages: [
        chatMessage(1, { content: 'hi all' }),
        chatMessage(2, { authorUserId: 'u_ann', authorName: 'ann', content: 'hey bob' }),
        systemMessage(3, 'pause', 'ann'),
        systemMessage(4, 'seek', 'bob', { position: '5010' }),
        systemMessage(5, 'join', 'Kim', { memberId: 'm_kim', memberKind: 'user' }),
        tombstone(chatMessage(6)),
      ],
    });
    renderWith(chat, <ChatPanel viewer={ann} />);
    expect(rowOf(1)).toHaveAttribute('data-kind', 'user');
    expect(within(rowOf(1)).getByTestId('chat-author')).toHaveTextContent('bob');
    expect(rowOf(1)).not.toHaveAttribute('data-own');
    expect(within(rowOf(2)).getByTestId('chat-author')).toHaveTextContent('You');
    expect(rowOf(2)).toHaveAttribute('data-own', 'true');
    expect(rowOf(3)).toHaveAttribute('data-kind', 'system');
    expect(rowOf(3)).toHaveTextContent('ann paused');
    expect(rowOf(4)).toHaveTextContent('bob jumped to 1:23:30');
    expect(rowOf(5)).toHaveTextContent('Kim joined');
    expect(rowOf(6)).toHaveTextContent('Message deleted');
    expect(rowOf(6)).not.toHaveTextContent('message 6');
    expect(within(rowOf(1)).getByRole('time')).toHaveTextContent(/ago|just now|\d/);
  });

  it('lets a member delete their own messages only, after confirming', async () => {
    const user = userEvent.setup();
    const chat = fakeChat({ messages: [chatMessage(1), chatMessage(2, { authorUserId: 'u_ann', authorName: 'ann' }), systemMessage(3, 'pause', 'bob')] });
    renderWith(chat, <ChatPanel viewer={ann} />);
    expect(within(rowOf(1)).queryByTestId('chat-delete')).not.toBeInTheDocument();
    expect(within(rowOf(3)).queryByTestId('chat-delete')).not.toBeInTheDocument();
    await user.click(within(rowOf(2)).getByTestId('chat-delete'));
    expect(chat.deleteChat).not.toHaveBeenCalled();
    expect(within(rowOf(2)).getByTestId('chat-delete-confirm')).toHaveTextContent('Delete for everyone?');
    await user.click(within(rowOf(2)).getByTestId('chat-delete-yes'));
    expect(chat.deleteChat).toHaveBeenCalledWith(chatMessageId(2));
  });

  it('lets the owner delete anyone’s message, and cancel', async () => {
    const user = userEvent.setup();
    const chat = fakeChat({ messages: [chatMessage(1), systemMessage(2, 'pause', 'bob')] });
    renderWith(chat, <ChatPanel viewer={owner} />);
    expect(within(rowOf(2)).getByTestId('chat-delete')).toBeInTheDocument();
    await user.click(within(rowOf(1)).getByTestId('chat-delete'));
    await user.click(within(rowOf(1)).getByRole('button', { name: 'Cancel' }));
    expect(within(rowOf(1)).queryByTestId('chat-delete-confirm')).not.toBeInTheDocument();
    expect(chat.deleteChat).not.toHaveBeenCalled();
  });

  it('shows your pending messages as sending, and failed ones with a retry', async () => {
    const user = userEvent.setup();
    const chat = fakeChat({
      pending: [
        { clientMessageId: 'cm-1', content: 'on its way', createdAt: 0, status: 'sending', error: null },
        {
          clientMessageId: 'cm-2',
          content: 'refused',
          createdAt: 0,
          status: 'failed',
          error: { code: 'invalid_request', message: 'content: at most 2000 characters', retryAfter: null },
        },
      ],
    });
    renderWith(chat, <ChatPanel viewer={ann} />);
    const [sending, failed] = rows();
    expect(sending).toHaveAttribute('data-pending', 'sending');
    expect(sending).toHaveTextContent('Sending…');
    expect(failed).toHaveTextContent('Not sent: content: at most 2000 characters');
    await user.click(within(failed as HTMLElement).getByTestId('chat-retry'));
    expect(chat.retryChat).toHaveBeenCalledWith('cm-2');
    await user.click(within(failed as HTMLElement).getByRole('button', { name: 'Discard this message' }));
    expect(chat.discardChat).toHaveBeenCalledWith('cm-2');
  });

  it('shows messages kept from before a reload while the history is still loading', () => {
    const chat = fakeChat({
      loaded: false,
      pending: [{ clientMessageId: 'cm-1', content: 'written before the reload', createdAt: 0, status: 'queued', error: null }],
    });
    renderWith(chat, <ChatPanel viewer={ann} />);
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toHaveAttribute('data-pending', 'queued');
    expect(rows()[0]).toHaveTextContent('Sending…');
    expect(within(screen.getByTestId('chat-messages')).getByText('Loading the chat…')).toBeInTheDocument();
  });

  it('asks for older messages when scrolled to the top, and with the button', async () => {
    const user = userEvent.setup();
    const chat = fakeChat({ messages: [chatMessage(51), chatMessage(52)], hasMore: true });
    renderWith(chat, <ChatPanel viewer={ann} />);
    scrollList(0);
    expect(chat.loadOlder).toHaveBeenCalledTimes(1);
    await user.click(screen.getByTestId('chat-load-older'));
    expect(chat.loadOlder).toHaveBeenCalledTimes(2);
    chat.update({ hasMore: false });
    expect(screen.queryByTestId('chat-load-older')).not.toBeInTheDocument();
  });
});

describe('composer', () => {
  it('sends on Enter, keeps Shift+Enter as a new line, and counts towards 2000', async () => {
    const user = userEvent.setup();
    const chat = fakeChat();
    renderWith(chat, <ChatPanel viewer={ann} />);
    const input = screen.getByTestId('chat-input');
    expect(input.tagName).toBe('TEXTAREA');
    expect(screen.getByTestId('chat-counter')).toHaveTextContent('0/2000');
    expect(screen.getByTestId('chat-send')).toBeDisabled();

    await user.type(input, 'first line{Shift>}{Enter}{/Shift}second');
    expect(input).toHaveValue('first line\nsecond');
    expect(chat.sendChat).not.toHaveBeenCalled();
    expect(screen.getByTestId('chat-counter')).toHaveTextContent('17/2000');
    await user.keyboard('{Enter}');
    expect(chat.sendChat).toHaveBeenCalledWith('first line\nsecond');
    expect(input).toHaveValue('');

    await user.type(input, '  spaced  ');
    await user.click(screen.getByTestId('chat-send'));
    expect(chat.sendChat).toHaveBeenLastCalledWith('spaced');
  });

  it('does not send empty or over-long text', async () => {
    const user = userEvent.setup();
    const chat = fakeChat();
    renderWith(chat, <ChatPanel viewer={ann} />);
    const input = screen.getByTestId('chat-input');
    await user.type(input, '   {Enter}');
    expect(chat.sendChat).not.toHaveBeenCalled();
    fireEvent.change(input, { target: { value: 'x'.repeat(2001) } });
    expect(screen.getByTestId('chat-counter')).toHaveTextContent('1 over the limit · 2001/2000');
    expect(screen.getByTestId('chat-send')).toBeDisabled();
    await user.type(input, '{Enter}');
    expect(chat.sendChat).not.toHaveBeenCalled();
  });

  it('replaces the input with a notice for guests', () => {
    renderWith(fakeChat({ messages: [chatMessage(1)] }), <ChatPanel viewer={guest} />);
    expect(screen.getByTestId('chat-guest-notice')).toHaveTextContent('Sign in to chat — guests can read along');
    expect(screen.queryByTestId('chat-input')).not.toBeInTheDocument();
    expect(screen.queryByTestId('chat-send')).not.toBeInTheDocument();
    expect(rows()).toHaveLength(1);
  });

  describe('rate limit', () => {
    beforeEach(() => {
      vi.useFakeTimers({ now: 1_767_225_600_000, shouldAdvanceTime: true });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('says when sending works again, counting down', async () => {
      const chat = fakeChat({ rateLimitedUntil: Date.now() + 5000 });
      renderWith(chat, <ChatPanel viewer={ann} />);
      expect(screen.getByTestId('chat-rate-limit')).toHaveTextContent('Slow down — you can send again in 5 s');
      fireEvent.change(screen.getByTestId('chat-input'), { target: { value: 'again' } });
      expect(screen.getByTestId('chat-send')).toBeDisabled();
      await act(() => vi.advanceTimersByTimeAsync(2000));
      expect(screen.getByTestId('chat-rate-limit')).toHaveTextContent('in 3 s');
      chat.update({ rateLimitedUntil: null });
      expect(screen.queryByTestId('chat-rate-limit')).not.toBeInTheDocument();
      expect(screen.getByTestId('chat-send')).toBeEnabled();
    });
  });
});

describe('unread', () => {
  it('counts others’ new messages on the phone’s Chat button until the sheet is opened', async () => {
    const user = userEvent.setup();
    const chat = fakeChat({ messages: [chatMessage(1)] });
    renderWith(chat, <ChatDock viewer={ann} />);
    // What was there on arrival is not news.
    expect(screen.getByTestId('chat-open')).toBeInTheDocument();
    expect(screen.queryByTestId('chat-unread')).not.toBeInTheDocument();
    expect(screen.queryByTestId('chat-messages')).not.toBeInTheDocument();

    chat.receive(chatMessage(2), chatMessage(3, { authorUserId: 'u_ann' }), systemMessage(4, 'pause', 'bob'), chatMessage(5));
    expect(screen.getByTestId('chat-unread')).toHaveTextContent('2');

    await user.click(screen.getByTestId('chat-open'));
    expect(screen.getByTestId('chat-sheet')).toBeInTheDocument();
    expect(screen.getByTestId('chat-input')).toHaveFocus();
    expect(screen.queryByTestId('chat-unread')).not.toBeInTheDocument();

    await user.click(screen.getByTestId('chat-close'));
    expect(screen.queryByTestId('chat-sheet')).not.toBeInTheDocument();
    expect(screen.queryByTestId('chat-unread')).not.toBeInTheDocument();
    chat.receive(chatMessage(6));
    expect(screen.getByTestId('chat-unread')).toHaveTextContent('1');
  });

  it('shows a column on wide screens, with a new-messages pill while scrolled up', async () => {
    stubMatchMedia((query) => query === '(min-width: 1024px)');
    const user = userEvent.setup();
    const chat = fakeChat({ messages: [chatMessage(1)] });
    renderWith(chat, <ChatDock viewer={ann} />);
    expect(screen.getByTestId('chat-column')).toBeInTheDocument();
    expect(screen.queryByTestId('chat-open')).not.toBeInTheDocument();

    // At the bottom: new messages are seen as they come, and followed.
    chat.receive(chatMessage(2));
    expect(screen.queryByTestId('chat-unread')).not.toBeInTheDocument();

    scrollList(100);
    chat.receive(chatMessage(3));
    const list = screen.getByTestId('chat-messages');
    expect(list.scrollTop).toBe(100);
    expect(screen.getByTestId('chat-unread')).toHaveTextContent('1 new message');

    await user.click(screen.getByTestId('chat-unread'));
    expect(list.scrollTop).toBe(2000);
    expect(screen.queryByTestId('chat-unread')).not.toBeInTheDocument();
  });

  it('moves into the full-screen overlay, toggled, with its own badge', async () => {
    stubMatchMedia((query) => query === '(min-width: 1024px)');
    const user = userEvent.setup();
    const chat = fakeChat({ messages: [chatMessage(1)] });
    const { rerender } = renderWith(
      chat,
      <>
        <ChatDock viewer={ann} />
        <ChatOverlay viewer={ann} />
      </>,
    );
    // One chat on the page: the column stands aside while the overlay is up.
    expect(screen.queryByTestId('chat-column')).not.toBeInTheDocument();
    expect(screen.queryByTestId('chat-overlay')).not.toBeInTheDocument();
    chat.receive(chatMessage(2));
    expect(within(screen.getByTestId('chat-overlay-toggle')).getByTestId('chat-unread')).toHaveTextContent('1');

    await user.click(screen.getByTestId('chat-overlay-toggle'));
    expect(screen.getByTestId('chat-overlay')).toBeInTheDocument();
    expect(screen.getAllByTestId('chat-input')).toHaveLength(1);
    expect(screen.queryByTestId('chat-unread')).not.toBeInTheDocument();
    expect(screen.getByTestId('chat-panel')).toHaveAttribute('data-tone', 'overlay');
    await user.click(screen.getByTestId('chat-overlay-toggle'));
    expect(screen.queryByTestId('chat-overlay')).not.toBeInTheDocument();

    rerender(
      <ChatProvider chat={chat}>
        <ChatDock viewer={ann} />
      </ChatProvider>,
    );
    expect(screen.getByTestId('chat-column')).toBeInTheDocument();
  });
});

describe('sound', () => {
  const oscillators: { start: ReturnType<typeof vi.fn> }[] = [];

  class FakeAudioContext {
    currentTime = 0;
    state = 'running';
    destination = {};
    createGain() {
      return { gain: { setValueAtTime: vi.fn(), exponentialRampToValueAtTime: vi.fn() }, connect: vi.fn() };
    }
    createOscillator() {
      const oscillator = { type: 'sine', frequency: { setValueAtTime: vi.fn() }, connect: vi.fn(), start: vi.fn(), stop: vi.fn() };
      oscillators.push(oscillator);
      return oscillator;
    }
    resume() {
      return Promise.resolve();
    }
    close() {
      return Promise.resolve();
    }
  }

  beforeEach(() => {
    oscillators.length = 0;
    vi.stubGlobal('AudioContext', FakeAudioContext);
  });

  it('chimes for others’ messages after a gesture; never for yours, system ones, before a gesture or while muted', async () => {
    const user = userEvent.setup();
    const chat = fakeChat({ messages: [chatMessage(1)] });
    renderWith(chat, <ChatPanel viewer={ann} />);

    // No gesture yet: the browser would block it.
    chat.receive(chatMessage(2));
    expect(oscillators).toHaveLength(0);

    fireEvent.keyDown(window, { key: 'Shift' });
    chat.receive(chatMessage(3, { authorUserId: 'u_ann' }));
    chat.receive(systemMessage(4, 'play', 'bob'));
    expect(oscillators).toHaveLength(0);
    chat.receive(chatMessage(5));
    expect(oscillators).toHaveLength(1);
    expect(oscillators[0]?.start).toHaveBeenCalled();

    const mute = screen.getByTestId('chat-mute');
    expect(mute).toHaveAttribute('aria-pressed', 'false');
    await user.click(mute);
    expect(mute).toHaveAttribute('aria-pressed', 'true');
    expect(window.localStorage.getItem(CHAT_MUTED_KEY)).toBe('true');
    chat.receive(chatMessage(6));
    expect(oscillators).toHaveLength(1);
  });

  it('remembers the mute switch in this browser', async () => {
    window.localStorage.setItem(CHAT_MUTED_KEY, 'true');
    const user = userEvent.setup();
    renderWith(fakeChat(), <ChatPanel viewer={ann} />);
    expect(screen.getByTestId('chat-mute')).toHaveAttribute('aria-pressed', 'true');
    await user.click(screen.getByTestId('chat-mute'));
    expect(window.localStorage.getItem(CHAT_MUTED_KEY)).toBe('false');
  });
});
