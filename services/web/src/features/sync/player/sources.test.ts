import { describe, expect, it } from 'vitest';

import { detectLinkProvider, resolvePlayback, sourceKey, uploadManifestUrl } from './sources';

const external = (sourceId: string) => resolvePlayback({ sourceType: 'external', sourceId });

describe('resolvePlayback', () => {
  it('plays nothing before a source is chosen', () => {
    expect(resolvePlayback(null)).toBeNull();
    expect(resolvePlayback({ sourceType: null, sourceId: null })).toBeNull();
    expect(resolvePlayback({ sourceType: 'youtube', sourceId: '' })).toBeNull();
  });

  it('plays YouTube ids in the YouTube player', () => {
    expect(resolvePlayback({ sourceType: 'youtube', sourceId: 'dQw4w9WgXcQ' })).toEqual({ provider: 'youtube', videoId: 'dQw4w9WgXcQ' });
  });

  it('plays uploads as HLS from the media path', () => {
    expect(resolvePlayback({ sourceType: 'upload', sourceId: 'v_01H8' })).toEqual({
      provider: 'hls',
      url: '/media/v_01H8/master.m3u8',
      upload: true,
    });
    expect(uploadManifestUrl('a/b')).toBe('/media/a%2Fb/master.m3u8');
  });

  it('recognises Vimeo links, on vimeo.com and player.vimeo.com', () => {
    expect(external('https://vimeo.com/76979871')).toEqual({ provider: 'vimeo', url: 'https://vimeo.com/76979871' });
    expect(external('https://vimeo.com/76979871/8272103f6e')).toEqual({ provider: 'vimeo', url: 'https://vimeo.com/76979871/8272103f6e' });
    expect(external('https://player.vimeo.com/video/76979871')).toMatchObject({ provider: 'vimeo' });
  });

  it('recognises Dailymotion links and finds their video id', () => {
    expect(external('https://www.dailymotion.com/video/x8abc12')).toEqual({ provider: 'dailymotion', videoId: 'x8abc12' });
    expect(external('https://www.dailymotion.com/video/x8abc12_some-title')).toEqual({ provider: 'dailymotion', videoId: 'x8abc12' });
    expect(external('https://www.dailymotion.com/embed/video/x8abc12')).toEqual({ provider: 'dailymotion', videoId: 'x8abc12' });
    expect(external('https://geo.dailymotion.com/player.html?video=x8abc12')).toEqual({ provider: 'dailymotion', videoId: 'x8abc12' });
    expect(external('https://dai.ly/x8abc12')).toEqual({ provider: 'dailymotion', videoId: 'x8abc12' });
    expect(external('https://www.dailymotion.com/channel/news')).toBeNull();
  });

  it('plays .m3u8 links through HLS and everything else directly', () => {
    expect(external('https://cdn.example.com/live/stream.m3u8?token=abc')).toEqual({
      provider: 'hls',
      url: 'https://cdn.example.com/live/stream.m3u8?token=abc',
      upload: false,
    });
    expect(external('https://cdn.example.com/film.mp4')).toEqual({ provider: 'direct', url: 'https://cdn.example.com/film.mp4' });
    expect(external('https://cdn.example.com/film.webm')).toEqual({ provider: 'direct', url: 'https://cdn.example.com/film.webm' });
    expect(external('https://cdn.example.com/play?id=7')).toMatchObject({ provider: 'direct' });
  });

  it('does not match look-alike hosts', () => {
    expect(external('https://notvimeo.com/123')).toMatchObject({ provider: 'direct' });
    expect(external('https://vimeo.com.evil.example/123')).toMatchObject({ provider: 'direct' });
  });

  it('refuses external ids that are no web links', () => {
    expect(external('javascript:alert(1)')).toBeNull();
    expect(external('not a link')).toBeNull();
  });

  it('keys a source by type and id', () => {
    expect(sourceKey({ sourceType: 'youtube', sourceId: 'abc' })).toBe('youtube:abc');
    expect(sourceKey(null)).toBe('none');
  });
});

describe('detectLinkProvider', () => {
  it.each([
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'youtube'],
    ['youtu.be/dQw4w9WgXcQ', 'youtube'],
    ['https://music.youtube.com/watch?v=dQw4w9WgXcQ', 'youtube'],
    ['https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ', 'youtube'],
    ['https://vimeo.com/76979871', 'vimeo'],
    ['player.vimeo.com/video/76979871', 'vimeo'],
    ['https://www.dailymotion.com/video/x8abc12', 'dailymotion'],
    ['dai.ly/x8abc12', 'dailymotion'],
    ['https://cdn.example.com/stream/master.m3u8', 'hls'],
    ['cdn.example.com/film.MP4', 'direct'],
    ['https://cdn.example.com/clip.webm?x=1', 'direct'],
    ['https://www.netflix.com/watch/80100172', 'link'],
  ])('%s is %s', (text, provider) => {
    expect(detectLinkProvider(text)).toBe(provider);
  });

  it.each(['', '   ', 'just some words', 'ftp://example.com/film.mp4', 'javascript:alert(1)', 'localhost'])(
    '%j is no link',
    (text) => {
      expect(detectLinkProvider(text)).toBeNull();
    },
  );
});
