/**
 * `POST /api/videos/validate-source` (docs/api/videos.md): whether a pasted link can be watched
 * together, and how well. Open to anyone, so it is sent without the access token.
 */
import { apiRequest, ApiError } from '@/lib/api-client';

export type SourceCheckReason =
  | 'invalid_url'
  | 'drm_protected'
  | 'x_frame_options'
  | 'csp_blocked'
  | 'unknown_provider'
  | 'not_video'
  | 'unreachable'
  | 'private_address';

export type SourceCheckProvider = 'youtube' | 'vimeo' | 'dailymotion' | 'direct_mp4' | 'direct_webm' | 'direct_hls';

/** The answer: every member present, null where it does not apply. */
export interface SourceCheck {
  supported: boolean;
  sourceType: 'youtube' | 'external' | null;
  sourceId: string | null;
  provider: SourceCheckProvider | null;
  syncSupport: 'full' | 'partial' | 'coarse' | null;
  reason: SourceCheckReason | null;
  message: string;
  suggestion: string | null;
  precisionNotice: string | null;
}

/** The longest `url` the endpoint takes. */
export const MAX_SOURCE_URL_LENGTH = 2048;

export function checkSource(url: string, signal?: AbortSignal): Promise<SourceCheck> {
  return apiRequest<SourceCheck>('/videos/validate-source', { method: 'POST', body: { url }, signal, auth: false });
}

export const REASON_LABELS: Record<SourceCheckReason, string> = {
  invalid_url: 'Not a web link',
  drm_protected: 'A DRM-protected service',
  x_frame_options: 'The site refuses to be shown inside other pages',
  csp_blocked: 'The site’s security policy refuses to be shown here',
  unknown_provider: 'A web page, not a video we can play',
  not_video: 'Not a video we can play',
  unreachable: 'The link could not be opened',
  private_address: 'The link points into a private network',
};

export const CHECK_PROVIDER_LABELS: Record<SourceCheckProvider, string> = {
  youtube: 'YouTube',
  vimeo: 'Vimeo',
  dailymotion: 'Dailymotion',
  direct_mp4: 'MP4 video',
  direct_webm: 'WebM video',
  direct_hls: 'HLS stream',
};

/** What to tell the person when the check itself failed. */
export function sourceCheckErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The link could not be checked. Try again.';
  if (error.isRateLimited) {
    const wait = error.retryAfter === undefined ? 'a minute' : `${error.retryAfter} second${error.retryAfter === 1 ? '' : 's'}`;
    return `Too many links checked at once. Try again in ${wait}.`;
  }
  if (error.status === 413) return 'That link is too long.';
  if (error.status === 400) return error.fieldError('url') ?? error.userMessage;
  if (error.isServiceUnavailable) return 'Links cannot be checked right now. Try again in a moment.';
  return error.userMessage;
}
