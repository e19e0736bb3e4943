/**
 * Which player plays what. Two questions, one set of host rules:
 *
 * - {@link resolvePlayback}: the room's playback state (`sourceType`, `sourceId`, as the server keeps
 *   them after `POST /api/videos/validate-source` normalised the link) → the player to mount.
 * - {@link detectLinkProvider}: whatever someone is typing into the source picker → a provider label
 *   shown at once, before the server's check answers. The server decides; this only guides.
 *
 * Spec §4.5: YouTube through its IFrame API, Vimeo and Dailymotion through their official players,
 * direct MP4/WebM/HLS links in our own `<video>`, uploads as HLS at `/media/<videoId>/master.m3u8`.
 */
import type { PlaybackState } from '@/lib/protocol/v1.gen';

export type PlayerProvider = 'youtube' | 'vimeo' | 'dailymotion' | 'hls' | 'direct';

/** The player to mount for a source. `hls` and `direct` play in a `<video>`; the others in an iframe. */
export type PlayerSource =
  | { provider: 'youtube'; videoId: string }
  | { provider: 'vimeo'; url: string }
  | { provider: 'dailymotion'; videoId: string }
  | { provider: 'hls'; url: string; upload: boolean }
  | { provider: 'direct'; url: string };

export const PROVIDER_LABELS: Record<PlayerProvider, string> = {
  youtube: 'YouTube',
  vimeo: 'Vimeo',
  dailymotion: 'Dailymotion',
  hls: 'HLS stream',
  direct: 'Video file',
};

/** Whether the source plays in our own `<video>` element (frame callbacks, continuous rate). */
export function playsInVideoElement(source: PlayerSource): source is Extract<PlayerSource, { provider: 'hls' | 'direct' }> {
  return source.provider === 'hls' || source.provider === 'direct';
}

/** `host` is `domain` or one of its subdomains. */
function hostIs(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

const isVimeoHost = (host: string): boolean => hostIs(host, 'vimeo.com');
const isDailymotionHost = (host: string): boolean => hostIs(host, 'dailymotion.com') || host === 'dai.ly';
const isYouTubeHost = (host: string): boolean =>
  hostIs(host, 'youtube.com') || hostIs(host, 'youtube-nocookie.com') || host === 'youtu.be';

const HLS_PATH = /\.m3u8$/i;
const FILE_PATH = /\.(mp4|m4v|webm|mov)$/i;
const DAILYMOTION_ID = /^[a-z0-9]+$/i;

/**
 * The Dailymotion video id in one of its links: `dailymotion.com/video/<id>` (an old `_title`
 * suffix dropped), `/embed/video/<id>`, `geo.dailymotion.com/player.html?video=<id>`, `dai.ly/<id>`.
 */
export function dailymotionVideoId(url: URL): string | null {
  const host = url.hostname.toLowerCase();
  let candidate: string | null = null;
  if (host === 'dai.ly') {
    candidate = url.pathname.split('/')[1] ?? null;
  } else if (isDailymotionHost(host)) {
    candidate = url.searchParams.get('video');
    const match = /\/video\/([^/?#]+)/.exec(url.pathname);
    if (candidate === null && match) candidate = match[1] ?? null;
  }
  if (candidate === null) return null;
  const id = candidate.split('_')[0] ?? '';
  return DAILYMOTION_ID.test(id) ? id : null;
}

function parseHttpUrl(text: string, base?: string): URL | null {
  try {
    const url = base === undefined ? new URL(text) : new URL(text, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** Where an upload's HLS rendition is served (the transcoder's output, spec §4.6). */
export function uploadManifestUrl(videoId: string): string {
  return `/media/${encodeURIComponent(videoId)}/master.m3u8`;
}

/**
 * The player for the room's source, or null when nothing is chosen (or the source is one this
 * client cannot play: an external id that is no http(s) URL).
 */
export function resolvePlayback(playback: Pick<PlaybackState, 'sourceType' | 'sourceId'> | null): PlayerSource | null {
  if (playback === null) return null;
  const { sourceType, sourceId } = playback;
  if (sourceType === null || sourceId === null || sourceId === '') return null;
  if (sourceType === 'youtube') return { provider: 'youtube', videoId: sourceId };
  if (sourceType === 'upload') return { provider: 'hls', url: uploadManifestUrl(sourceId), upload: true };
  const url = parseHttpUrl(sourceId);
  if (url === null) return null;
  const host = url.hostname.toLowerCase();
  if (isVimeoHost(host)) return { provider: 'vimeo', url: url.href };
  if (isDailymotionHost(host)) {
    const videoId = dailymotionVideoId(url);
    return videoId === null ? null : { provider: 'dailymotion', videoId };
  }
  if (HLS_PATH.test(url.pathname)) return { provider: 'hls', url: url.href, upload: false };
  return { provider: 'direct', url: url.href };
}

/** A stable key for a source: the player is re-mounted whenever it changes. */
export function sourceKey(playback: Pick<PlaybackState, 'sourceType' | 'sourceId'> | null): string {
  return playback === null ? 'none' : `${playback.sourceType ?? 'none'}:${playback.sourceId ?? ''}`;
}

/** What the picker shows while someone types: a provider, `link` for any other web link, or null. */
export type LinkProvider = PlayerProvider | 'link';

/**
 * A first guess at what a pasted link is, without asking the server. A link without a scheme is
 * read as `https://…`, as the server does.
 */
export function detectLinkProvider(text: string): LinkProvider | null {
  const trimmed = text.trim();
  if (trimmed === '' || /\s/.test(trimmed)) return null;
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed);
  const url = hasScheme ? parseHttpUrl(trimmed) : parseHttpUrl(`https://${trimmed}`);
  if (url === null || !url.hostname.includes('.')) return null;
  const host = url.hostname.toLowerCase();
  if (isYouTubeHost(host)) return 'youtube';
  if (isVimeoHost(host)) return 'vimeo';
  if (isDailymotionHost(host)) return 'dailymotion';
  if (HLS_PATH.test(url.pathname)) return 'hls';
  if (FILE_PATH.test(url.pathname)) return 'direct';
  return 'link';
}
