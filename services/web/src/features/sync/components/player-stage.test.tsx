import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { PlayerStage } from '@/features/sync/components/player-stage';
import { HtmlVideoAdapter } from '@/features/sync/player/html-video-adapter';
import { YOUTUBE_PRECISION_NOTICE } from '@/features/sync/player/precision';
import { FakeLiveRoom, roomState } from '@/features/sync/player/testing/fake-live-room';
import { FakeYouTubePlayer, installFakeYouTube, uninstallFakeYouTube } from '@/features/sync/player/testing/fake-youtube';
import { YouTubeAdapter } from '@/features/sync/player/youtube-adapter';

/** What jsdom's `<video>` cannot do itself: play, pause, load; `paused` follows the stubs. */
const media = { paused: true, blocked: false };
const rooms: FakeLiveRoom[] = [];

beforeEach(() => {
  media.paused = true;
  media.blocked = false;
  vi.spyOn(HTMLMediaElement.prototype, 'paused', 'get').mockImplementation(() => media.paused);
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(() => {
    if (media.blocked) return Promise.reject(new DOMException('needs a user gesture', 'NotAllowedError'));
    media.paused = false;
    return Promise.resolve();
  });
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => {
    media.paused = true;
  });
  vi.spyOn(HTMLMediaElement.prototype, 'load').mockImplementation(() => undefined);
});

afterEach(() => {
  for (const room of rooms.splice(0)) room.close();
  vi.useRealTimers();
  uninstallFakeYouTube();
});

function newRoom(...args: ConstructorParameters<typeof FakeLiveRoom>): FakeLiveRoom {
  const room = new FakeLiveRoom(...args);
  rooms.push(room);
  return room;
}

function renderStage(canControl = true, live = newRoom()) {
  const utils = render(<PlayerStage live={live} canControl={canControl} />);
  return { live, ...utils };
}

const video = () => screen.getByTestId<HTMLVideoElement>('player-video');

/** Give the mounted `<video>` a length, as its metadata would. */
async function withDuration(seconds: number): Promise<void> {
  Object.defineProperty(video(), 'duration', { configurable: true, get: () => seconds });
  await waitFor(() => expect(screen.getByTestId('seek-bar')).toBeEnabled());
}

describe('PlayerStage sources', () => {
  it('offers the source picker on an empty stage to members who may control', () => {
    renderStage(true);
    expect(screen.getByRole('heading', { name: 'Nothing is playing yet' })).toBeInTheDocument();
    expect(screen.getByTestId('source-url')).toBeInTheDocument();
    expect(screen.queryByTestId('play-pause')).not.toBeInTheDocument();
  });

  it('tells viewers without control what will happen, without a picker', () => {
    renderStage(false);
    expect(screen.getByText(/picks a video, it plays here for everyone/)).toBeInTheDocument();
    expect(screen.queryByTestId('source-url')).not.toBeInTheDocument();
  });

  it('plays a direct link in a bare inline <video> the engine controls', () => {
    const { live } = renderStage();
    act(() => {
      live.playback({ sourceId: 'https://cdn.example.com/film.mp4' });
    });
    const element = video();
    expect(element).toHaveAttribute('src', 'https://cdn.example.com/film.mp4');
    expect(element).toHaveAttribute('playsinline');
    expect(element).not.toHaveAttribute('controls');
    expect(live.engine.controller.attached).toBeInstanceOf(HtmlVideoAdapter);
    expect((live.engine.controller.attached as HtmlVideoAdapter).video).toBe(element);
    expect(screen.queryByTestId('sync-precision-notice')).not.toBeInTheDocument();
  });

  it('mounts a new player when the source changes, and lets the old one go', () => {
    const { live } = renderStage();
    act(() => {
      live.playback({ sourceId: 'https://cdn.example.com/one.mp4', sequenceNumber: 1 });
    });
    const first = video();
    const firstAdapter = live.engine.controller.attached;
    act(() => {
      live.playback({ sourceId: 'https://cdn.example.com/two.webm', sequenceNumber: 2 });
    });
    expect(first).not.toBeInTheDocument();
    expect(video()).toHaveAttribute('src', 'https://cdn.example.com/two.webm');
    expect(live.engine.controller.attached).not.toBe(firstAdapter);
    expect(live.engine.controller.attached).toBeInstanceOf(HtmlVideoAdapter);
  });

  it('plays uploads as HLS, and says so plainly when the browser cannot', () => {
    const { live } = renderStage();
    act(() => {
      live.playback({ sourceType: 'upload', sourceId: 'v_123' });
    });
    // jsdom has neither Media Source Extensions nor native HLS.
    expect(screen.getByTestId('player-error')).toHaveTextContent('This browser cannot play HLS streams.');
    expect(within(screen.getByTestId('player-error')).getByRole('button', { name: 'Choose another video' })).toBeInTheDocument();
  });

  it('plays YouTube in its official player, with the precision notice', async () => {
    installFakeYouTube();
    const { live } = renderStage();
    act(() => {
      live.playback({ sourceType: 'youtube', sourceId: 'dQw4w9WgXcQ' });
    });
    expect(screen.getByTestId('sync-precision-notice')).toHaveTextContent(YOUTUBE_PRECISION_NOTICE);
    expect(screen.queryByTestId('player-video')).not.toBeInTheDocument();
    await act(async () => {
      await Promise.resolve();
    });
    const yt = FakeYouTubePlayer.last!;
    expect(yt.options.videoId).toBe('dQw4w9WgXcQ');
    expect(yt.options.playerVars).toMatchObject({ controls: 0, playsinline: 1, disablekb: 1 });
    expect(screen.getByTestId('player-buffering')).toHaveTextContent('Loading video…');
    act(() => yt.ready());
    await act(async () => {
      await Promise.resolve();
    });
    expect(live.engine.controller.attached).toBeInstanceOf(YouTubeAdapter);
    expect(live.engine.controller.attached?.rateControl).toBe('coarse');
    expect(screen.queryByTestId('player-buffering')).not.toBeInTheDocument();

    act(() => {
      live.playback({ sourceId: 'https://cdn.example.com/film.mp4', sequenceNumber: 2 });
    });
    expect(yt.calls).toContain('destroy');
    expect(video()).toBeInTheDocument();
  });
});

describe('PlayerStage controls', () => {
  it('plays with the last sequence seen and a fresh idempotency key', async () => {
    const user = userEvent.setup();
    const { live } = renderStage();
    act(() => {
      live.playback({ sequenceNumber: 7 });
    });
    const button = screen.getByTestId('play-pause');
    expect(button).toHaveAccessibleName('Play');
    await user.click(button);
    expect(live.requests).toEqual([
      { type: 'sync:play', data: { expectedSequence: 7, idempotencyKey: expect.any(String) as string } },
    ]);

    act(() => {
      live.playback({ isPlaying: true, sequenceNumber: 8 });
    });
    expect(button).toHaveAccessibleName('Pause');
    await user.click(button);
    expect(live.requests[1]).toEqual({
      type: 'sync:pause',
      data: { expectedSequence: 8, idempotencyKey: expect.any(String) as string },
    });
    expect(live.requests[1]!.data).not.toEqual(live.requests[0]!.data);
  });

  it('retries once without expectedSequence after a conflict', async () => {
    const user = userEvent.setup();
    const { live } = renderStage();
    act(() => {
      live.playback({ sequenceNumber: 3 });
    });
    live.refuseOnce('conflict');
    await user.click(screen.getByTestId('play-pause'));
    await waitFor(() => expect(live.requests).toHaveLength(2));
    const [first, retry] = live.requests;
    expect(first).toMatchObject({ type: 'sync:play', data: { expectedSequence: 3 } });
    expect(retry!.type).toBe('sync:play');
    expect(retry!.data).not.toHaveProperty('expectedSequence');
    expect(retry!.data).toHaveProperty('idempotencyKey');
    expect((retry!.data as { idempotencyKey: string }).idempotencyKey).not.toBe(
      (first!.data as { idempotencyKey: string }).idempotencyKey,
    );
    expect(screen.queryByTestId('player-command-error')).not.toBeInTheDocument();
  });

  it('shows a refusal as clear text', async () => {
    const user = userEvent.setup();
    const { live } = renderStage();
    act(() => {
      live.playback();
    });
    live.refuseOnce('not_allowed');
    await user.click(screen.getByTestId('play-pause'));
    expect(await screen.findByTestId('player-command-error')).toHaveTextContent('You can’t control playback in this room right now.');
    expect(live.requests).toHaveLength(1);
  });

  it('seeks when the seek bar is let go, and shows where it goes', async () => {
    const { live } = renderStage();
    act(() => {
      live.playback({ sequenceNumber: 4 });
    });
    await withDuration(600);
    const seek = screen.getByTestId('seek-bar');
    expect(screen.getByTestId('time-display')).toHaveTextContent('0:00 / 10:00');
    // Dragging previews without sending anything.
    fireEvent.input(seek, { target: { value: '42000' } });
    expect(screen.getByTestId('time-display')).toHaveTextContent('0:42 / 10:00');
    expect(live.requests).toHaveLength(0);
    // Letting go sends the seek.
    fireEvent.change(seek, { target: { value: '90000' } });
    expect(live.requests).toEqual([
      { type: 'sync:seek', data: { targetMediaTime: 90_000, expectedSequence: 4, idempotencyKey: expect.any(String) as string } },
    ]);
    expect(screen.getByTestId('time-display')).toHaveTextContent('1:30 / 10:00');
  });

  it('changes the room’s speed from the rate menu', async () => {
    const user = userEvent.setup();
    const { live } = renderStage();
    act(() => {
      live.playback({ playbackRate: 1 });
    });
    const rate = screen.getByTestId('playback-rate');
    expect(rate).toHaveDisplayValue('Normal');
    expect(within(rate).getAllByRole('option').map((o) => o.textContent)).toEqual(['0.5×', '0.75×', 'Normal', '1.25×', '1.5×', '1.75×', '2×']);
    await user.selectOptions(rate, '1.5');
    expect(live.requests).toEqual([{ type: 'sync:rate', data: { rate: 1.5, expectedSequence: 1, idempotencyKey: expect.any(String) as string } }]);
  });

  it('keeps volume and mute local', async () => {
    const user = userEvent.setup();
    const { live } = renderStage();
    act(() => {
      live.playback();
    });
    await user.click(screen.getByTestId('mute'));
    expect(video().muted).toBe(true);
    expect(screen.getByTestId('mute')).toHaveAttribute('aria-pressed', 'true');
    fireEvent.change(screen.getByTestId('volume'), { target: { value: '0.35' } });
    expect(video().volume).toBe(0.35);
    expect(video().muted).toBe(false);
    expect(live.requests).toHaveLength(0);
    expect(window.localStorage.getItem('syncwatch.player.volume')).toBe('0.35');
  });

  it('puts the stage in full screen', async () => {
    const user = userEvent.setup();
    const requestFullscreen = vi.fn(() => Promise.resolve());
    HTMLElement.prototype.requestFullscreen = requestFullscreen;
    try {
      const { live } = renderStage();
      act(() => {
        live.playback();
      });
      await user.click(screen.getByTestId('fullscreen'));
      expect(requestFullscreen).toHaveBeenCalledTimes(1);
      expect(requestFullscreen.mock.contexts[0]).toBe(screen.getByTestId('player-surface'));
    } finally {
      delete (HTMLElement.prototype as Partial<HTMLElement>).requestFullscreen;
    }
  });

  it('shows viewers without control the controls switched off, with the reason', () => {
    const { live } = renderStage(false);
    act(() => {
      live.playback();
    });
    for (const id of ['play-pause', 'seek-bar', 'playback-rate']) {
      expect(screen.getByTestId(id)).toBeDisabled();
      expect(screen.getByTestId(id)).toHaveAttribute('title', 'Only the owner controls playback');
      expect(screen.getByTestId(id)).toHaveAccessibleDescription('Only the owner controls playback');
    }
    expect(screen.getByTestId('control-hint')).toHaveTextContent('Only the owner controls playback');
    expect(screen.getByTestId('mute')).toBeEnabled();
    expect(screen.getByTestId('fullscreen')).toBeEnabled();
    expect(screen.queryByTestId('change-video')).not.toBeInTheDocument();
  });

  it('words the reason after the room’s control mode', () => {
    const live = newRoom({ room: roomState({ playbackControl: 'selected', canControl: false, you: 'm_bob' }) });
    renderStage(false, live);
    act(() => {
      live.playback();
    });
    expect(screen.getByTestId('play-pause')).toHaveAttribute('title', 'Only the owner and the members they choose control playback');
  });

  it('opens the source picker from "Change video"', async () => {
    const user = userEvent.setup();
    const { live } = renderStage();
    act(() => {
      live.playback();
    });
    await user.click(screen.getByTestId('change-video'));
    const dialog = screen.getByRole('dialog', { name: 'Change video' });
    expect(within(dialog).getByTestId('source-url')).toHaveFocus();
  });
});

describe('PlayerStage keyboard', () => {
  it('plays and pauses with space and k when nothing else has focus', async () => {
    const user = userEvent.setup();
    const { live } = renderStage();
    act(() => {
      live.playback({ sequenceNumber: 2 });
    });
    await user.keyboard(' ');
    expect(live.requests.map((r) => r.type)).toEqual(['sync:play']);
    act(() => {
      live.playback({ isPlaying: true, sequenceNumber: 3 });
    });
    await user.keyboard('k');
    expect(live.requests.map((r) => r.type)).toEqual(['sync:play', 'sync:pause']);
    expect(screen.getByTestId('player-announcer')).toHaveTextContent('Playing');
  });

  it('presses a focused button once with space, not twice', async () => {
    const user = userEvent.setup();
    const { live } = renderStage();
    act(() => {
      live.playback();
    });
    screen.getByTestId('play-pause').focus();
    await user.keyboard(' ');
    expect(live.requests).toHaveLength(1);
  });

  it('seeks by 5 s with the arrows and 10 s with j and l, from where the last seek went', async () => {
    const user = userEvent.setup();
    const { live } = renderStage();
    act(() => {
      live.playback();
    });
    await withDuration(600);
    await user.keyboard('{ArrowRight}');
    await user.keyboard('l');
    await user.keyboard('j');
    await user.keyboard('{ArrowLeft}');
    await user.keyboard('{ArrowLeft}');
    const targets = live.requests.map((r) => (r.data as { targetMediaTime: number }).targetMediaTime);
    expect(targets).toEqual([5000, 15_000, 5000, 0, 0]);
    expect(screen.getByTestId('player-announcer')).toHaveTextContent('Back 5 seconds, 0:00');
  });

  it('mutes with m and goes full screen with f', async () => {
    const user = userEvent.setup();
    const requestFullscreen = vi.fn(() => Promise.resolve());
    HTMLElement.prototype.requestFullscreen = requestFullscreen;
    try {
      const { live } = renderStage(false);
      act(() => {
        live.playback();
      });
      await user.keyboard('m');
      expect(video().muted).toBe(true);
      expect(screen.getByTestId('player-announcer')).toHaveTextContent('Muted');
      await user.keyboard('f');
      expect(requestFullscreen).toHaveBeenCalledTimes(1);
    } finally {
      delete (HTMLElement.prototype as Partial<HTMLElement>).requestFullscreen;
    }
  });

  it('leaves keys alone while someone types elsewhere', async () => {
    const user = userEvent.setup();
    const live = newRoom();
    render(
      <>
        <input aria-label="Chat message" />
        <PlayerStage live={live} canControl />
      </>,
    );
    act(() => {
      live.playback();
    });
    await user.click(screen.getByRole('textbox', { name: 'Chat message' }));
    await user.keyboard(' kljm{ArrowLeft}');
    expect(live.requests).toHaveLength(0);
    expect(video().muted).toBe(false);
  });

  it('tells viewers without control why play/pause does nothing', async () => {
    const user = userEvent.setup();
    const { live } = renderStage(false);
    act(() => {
      live.playback();
    });
    await user.keyboard(' ');
    await user.keyboard('{ArrowRight}');
    expect(live.requests).toHaveLength(0);
    expect(screen.getByTestId('player-announcer')).toHaveTextContent('Only the owner controls playback');
  });
});

describe('PlayerStage status', () => {
  it('names the others the room waits for, not this viewer', () => {
    const { live } = renderStage(false);
    act(() => {
      live.playback();
      live.setSnapshot({
        buffering: { waitingFor: ['m_bob', 'm_ann'], names: ['Bob', 'Ann'], policy: 'wait_then_continue', waitUntilServerTime: null },
      });
    });
    expect(screen.getByTestId('stage-buffering')).toHaveTextContent('Bob is buffering…');
    act(() => {
      live.setSnapshot({
        buffering: { waitingFor: ['m_bob', 'm_cleo', 'm_kim'], names: ['Bob', 'Cleo', 'Kim'], policy: 'always_wait', waitUntilServerTime: null },
      });
    });
    expect(screen.getByTestId('stage-buffering')).toHaveTextContent('Bob, Cleo and Kim are buffering…');
    act(() => {
      live.setSnapshot({ buffering: { waitingFor: [], names: [], policy: 'always_wait', waitUntilServerTime: null } });
    });
    expect(screen.queryByTestId('stage-buffering')).not.toBeInTheDocument();
  });

  it('shows this viewer’s sync health', () => {
    renderStage();
    expect(screen.getByTestId('my-sync-health')).toHaveTextContent('Reconnecting…');
  });

  it('asks for a tap when autoplay is blocked, and joins playback on it', async () => {
    vi.useFakeTimers();
    media.blocked = true;
    const live = newRoom();
    renderStage(false, live);
    act(() => live.hello());
    await act(() => vi.advanceTimersByTimeAsync(1500));
    expect(live.engine.getSnapshot().clockReady).toBe(true);
    expect(screen.getByTestId('my-sync-health')).toHaveTextContent('Clock synced');

    act(() => {
      live.playback({ isPlaying: true, anchorServerTime: live.serverNow(), anchorMediaTime: 0, sequenceNumber: 5 });
    });
    await act(() => vi.advanceTimersByTimeAsync(200));
    const join = screen.getByTestId('join-playback');
    expect(join).toHaveTextContent('Join playback');
    expect(live.sent).toContainEqual({ type: 'sync:buffering', data: { buffering: true, reason: 'autoplay_blocked' } });

    media.blocked = false;
    const play = vi.mocked(HTMLMediaElement.prototype.play);
    const before = play.mock.calls.length;
    fireEvent.click(join);
    // play() runs inside the tap itself: later would be too late for the browser.
    expect(play.mock.calls.length).toBe(before + 1);
    await act(() => vi.advanceTimersByTimeAsync(100));
    expect(screen.queryByTestId('join-playback')).not.toBeInTheDocument();
    expect(live.sent).toContainEqual({ type: 'sync:buffering', data: { buffering: false } });
  });
});
