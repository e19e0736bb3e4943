import { act, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { PlayerStage } from '@/features/sync/components/player-stage';
import { FakeLiveRoom } from '@/features/sync/player/testing/fake-live-room';

const rooms: FakeLiveRoom[] = [];

afterEach(() => {
  for (const room of rooms.splice(0)) room.close();
  Object.defineProperty(document, 'fullscreenElement', { configurable: true, value: null });
});

describe('PlayerStage overlay', () => {
  it('draws the overlay inside the element that goes full screen, telling it when it is', () => {
    const live = new FakeLiveRoom();
    rooms.push(live);
    const overlay = vi.fn(({ fullscreen }: { fullscreen: boolean }) => (
      <p data-testid="over-video">{fullscreen ? 'full screen' : 'inline'}</p>
    ));
    render(<PlayerStage live={live} canControl overlay={overlay} />);
    const surface = screen.getByTestId('player-surface');
    expect(within(surface).getByTestId('over-video')).toHaveTextContent('inline');

    act(() => {
      Object.defineProperty(document, 'fullscreenElement', { configurable: true, value: surface });
      document.dispatchEvent(new Event('fullscreenchange'));
    });
    expect(within(surface).getByTestId('over-video')).toHaveTextContent('full screen');
    expect(overlay).toHaveBeenLastCalledWith({ fullscreen: true });
  });
});
