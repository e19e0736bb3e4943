import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { SourcePicker } from '@/features/sync/components/source-picker';
import type { SourceCheck } from '@/features/sync/player/source-check';
import { FakeLiveRoom } from '@/features/sync/player/testing/fake-live-room';
import { applySession } from '@/lib/session';
import { json, mockApi, problem, sessionBody, type RecordedRequest } from '@/testing/fetch-mock';

const ROUTE = 'POST /api/videos/validate-source';
const rooms: FakeLiveRoom[] = [];

afterEach(() => {
  for (const room of rooms.splice(0)) room.close();
});

const youtube: SourceCheck = {
  supported: true,
  sourceType: 'youtube',
  sourceId: 'dQw4w9WgXcQ',
  provider: 'youtube',
  syncSupport: 'coarse',
  reason: null,
  message: 'A YouTube video: it plays in YouTube’s own player.',
  suggestion: null,
  precisionNotice: 'YouTube’s player changes speed only in coarse steps, so SyncWatch keeps everyone together with small seeks.',
};

const netflix: SourceCheck = {
  supported: false,
  sourceType: null,
  sourceId: null,
  provider: null,
  syncSupport: null,
  reason: 'drm_protected',
  message: 'Netflix protects its videos with DRM, so they cannot be watched together here.',
  suggestion: 'Try a YouTube, Vimeo or Dailymotion link, a direct video link, or upload a video you own.',
  precisionNotice: null,
};

const mp4: SourceCheck = {
  supported: true,
  sourceType: 'external',
  sourceId: 'https://cdn.example.com/film.mp4',
  provider: 'direct_mp4',
  syncSupport: 'full',
  reason: null,
  message: 'An MP4 video file: it plays in SyncWatch’s own player.',
  suggestion: null,
  precisionNotice: null,
};

/** Answers by the `url` asked about. */
function validator(answers: Record<string, SourceCheck>) {
  return mockApi({
    [ROUTE]: (request: RecordedRequest) => {
      const { url } = request.body as { url: string };
      const answer = answers[url];
      return answer === undefined ? problem(400, 'invalid_request') : json(200, answer);
    },
  });
}

function renderPicker(onDone = vi.fn()) {
  const live = new FakeLiveRoom();
  rooms.push(live);
  act(() => {
    live.playback({ sourceType: null, sourceId: null, sequenceNumber: 4 });
  });
  render(<SourcePicker live={live} onDone={onDone} />);
  return { live, onDone, field: screen.getByTestId('source-url'), submit: screen.getByTestId('source-submit') };
}

describe('SourcePicker', () => {
  it('names the provider while the link is typed, before the server answers', async () => {
    validator({});
    const user = userEvent.setup();
    const { field } = renderPicker();
    await user.type(field, 'vimeo.com/7697');
    expect(screen.getByTestId('source-provider')).toHaveTextContent('Vimeo');
    await user.clear(field);
    await user.type(field, 'https://cdn.example.com/stream.m3u8');
    expect(screen.getByTestId('source-provider')).toHaveTextContent('HLS stream');
  });

  it('checks the link without the access token, then plays what the server named', async () => {
    const api = validator({ 'https://youtu.be/dQw4w9WgXcQ': youtube });
    applySession(sessionBody());
    const user = userEvent.setup();
    const { live, field, submit, onDone } = renderPicker();
    expect(submit).toBeDisabled();
    await user.type(field, 'https://youtu.be/dQw4w9WgXcQ');

    expect(await screen.findByTestId('source-supported')).toHaveTextContent('A YouTube video: it plays in YouTube’s own player.');
    expect(screen.getByTestId('source-check')).toHaveTextContent('changes speed only in coarse steps');
    const calls = api.calls(ROUTE);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toEqual({ url: 'https://youtu.be/dQw4w9WgXcQ' });
    expect(calls[0]!.headers).not.toHaveProperty('Authorization');

    expect(submit).toBeEnabled();
    await user.click(submit);
    expect(live.requests).toEqual([
      {
        type: 'sync:source',
        data: { sourceType: 'youtube', sourceId: 'dQw4w9WgXcQ', expectedSequence: 4, idempotencyKey: expect.any(String) as string },
      },
    ]);
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(field).toHaveValue('');
  });

  it('checks a pasted link at once', async () => {
    const api = validator({ 'https://cdn.example.com/film.mp4': mp4 });
    const user = userEvent.setup();
    const { field } = renderPicker();
    await user.click(field);
    await user.paste('  https://cdn.example.com/film.mp4 ');
    expect(field).toHaveValue('https://cdn.example.com/film.mp4');
    expect(api.calls(ROUTE)).toHaveLength(1);
    expect(await screen.findByTestId('source-supported')).toHaveTextContent('MP4 video');
  });

  it('explains why a link cannot be played and what to try instead', async () => {
    validator({ 'https://www.netflix.com/watch/80100172': netflix });
    const user = userEvent.setup();
    const { field, submit } = renderPicker();
    await user.type(field, 'https://www.netflix.com/watch/80100172');
    const box = await screen.findByTestId('source-unsupported');
    expect(box).toHaveTextContent(netflix.message);
    expect(screen.getByTestId('source-reason')).toHaveTextContent('A DRM-protected service');
    expect(screen.getByTestId('source-suggestion')).toHaveTextContent(netflix.suggestion!);
    expect(submit).toBeDisabled();
  });

  it('shows only the answer for what is in the field now', async () => {
    const api = validator({ 'https://cdn.example.com/film.mp4': mp4 });
    const user = userEvent.setup();
    const { field, submit } = renderPicker();
    await user.type(field, 'https://cdn.example.com/film.mp4');
    await screen.findByTestId('source-supported');
    await user.type(field, 'x');
    expect(screen.queryByTestId('source-supported')).not.toBeInTheDocument();
    expect(submit).toBeDisabled();
    await waitFor(() => expect(api.calls(ROUTE)).toHaveLength(2));
  });

  it('says when the check is throttled or unavailable', async () => {
    mockApi({ [ROUTE]: () => problem(429, 'rate_limited', { retryAfter: 12 }, { 'Retry-After': '12' }) });
    const user = userEvent.setup();
    const { field } = renderPicker();
    await user.type(field, 'https://cdn.example.com/a.mp4');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many links checked at once. Try again in 12 seconds.');

    mockApi({ [ROUTE]: () => new Response(null, { status: 503 }) });
    await user.type(field, '4');
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('Links cannot be checked right now. Try again in a moment.'));
  });

  it('shows a refused switch as clear text', async () => {
    validator({ 'https://cdn.example.com/film.mp4': mp4 });
    const user = userEvent.setup();
    const { live, field, submit, onDone } = renderPicker();
    live.refuseOnce('not_allowed');
    await user.type(field, 'https://cdn.example.com/film.mp4');
    await screen.findByTestId('source-supported');
    await user.click(submit);
    expect(await screen.findByText('You can’t control playback in this room right now.')).toBeInTheDocument();
    expect(onDone).not.toHaveBeenCalled();
    expect(field).toHaveValue('https://cdn.example.com/film.mp4');
  });
});
