import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { CircleCheck, Info, Play, TriangleAlert } from 'lucide-react';

import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/form-alert';
import { Input } from '@/components/ui/input';
import { Spinner } from '@/components/ui/spinner';
import type { LiveRoom } from '@/features/sync/live/live-room';
import { commandErrorMessage, sendPlaybackCommand } from '@/features/sync/player/commands';
import {
  CHECK_PROVIDER_LABELS,
  checkSource,
  MAX_SOURCE_URL_LENGTH,
  REASON_LABELS,
  sourceCheckErrorMessage,
  type SourceCheck,
} from '@/features/sync/player/source-check';
import { detectLinkProvider, PROVIDER_LABELS } from '@/features/sync/player/sources';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { cn } from '@/lib/cn';

/** Typing pauses this long before the link is checked (a paste is checked at once). */
export const CHECK_DEBOUNCE_MS = 400;

type CheckState =
  | { status: 'idle' }
  | { status: 'checking'; url: string }
  | { status: 'done'; url: string; result: SourceCheck }
  | { status: 'failed'; url: string; message: string };

export interface SourcePickerProps {
  live: LiveRoom;
  /** The room switched to the chosen video. */
  onDone?: () => void;
  /** The link field (a dialog focuses it when it opens). */
  inputRef?: RefObject<HTMLInputElement>;
  className?: string;
}

/**
 * "What shall we watch?": a pasted link, recognised as the person types, then checked by the
 * server (`POST /api/videos/validate-source`), whose answer is shown as it comes — what the link
 * is, why it cannot be played and what to try instead, how precise sync will be. "Play this" sends
 * `sync:source` with the source the server named.
 */
export function SourcePicker({ live, onDone, inputRef: externalRef, className }: SourcePickerProps) {
  const [text, setText] = useState('');
  const [check, setCheck] = useState<CheckState>({ status: 'idle' });
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const ownRef = useRef<HTMLInputElement>(null);
  const inputRef = externalRef ?? ownRef;
  const controller = useRef<AbortController | null>(null);
  const url = text.trim();
  const debouncedUrl = useDebouncedValue(url, CHECK_DEBOUNCE_MS);
  const detected = detectLinkProvider(url);

  const runCheck = (target: string): void => {
    controller.current?.abort();
    if (target === '') {
      controller.current = null;
      setCheck({ status: 'idle' });
      return;
    }
    const abort = new AbortController();
    controller.current = abort;
    setCheck({ status: 'checking', url: target });
    checkSource(target, abort.signal).then(
      (result) => {
        if (!abort.signal.aborted) setCheck({ status: 'done', url: target, result });
      },
      (error: unknown) => {
        if (!abort.signal.aborted) setCheck({ status: 'failed', url: target, message: sourceCheckErrorMessage(error) });
      },
    );
  };

  // Check once typing settles; the same link is not checked twice in a row.
  const checkedUrl = check.status === 'idle' ? '' : check.url;
  useEffect(() => {
    if (debouncedUrl !== url || debouncedUrl === checkedUrl) return;
    runCheck(debouncedUrl);
  }, [debouncedUrl, url, checkedUrl]);

  useEffect(() => () => controller.current?.abort(), []);

  const current = check.status !== 'idle' && check.url === url ? check : null;
  const result = current?.status === 'done' ? current.result : null;
  const playable = result !== null && result.supported && result.sourceType !== null && result.sourceId !== null;

  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (!playable || result.sourceType === null || result.sourceId === null) {
      if (current === null || current.status === 'failed') runCheck(url);
      inputRef.current?.focus();
      return;
    }
    setSending(true);
    setSendError(null);
    try {
      await sendPlaybackCommand(live, 'sync:source', { sourceType: result.sourceType, sourceId: result.sourceId });
      setText('');
      setCheck({ status: 'idle' });
      onDone?.();
    } catch (error) {
      setSendError(commandErrorMessage(error));
    } finally {
      setSending(false);
    }
  };

  return (
    <form
      noValidate
      aria-label="Choose a video"
      className={cn('flex flex-col gap-4 text-left', className)}
      onSubmit={(event) => void onSubmit(event)}
    >
      <Input
        ref={inputRef}
        label="Video link"
        type="url"
        inputMode="url"
        name="source-url"
        placeholder="https://youtu.be/…"
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        spellCheck={false}
        enterKeyHint="go"
        maxLength={MAX_SOURCE_URL_LENGTH}
        hint="YouTube, Vimeo or Dailymotion, or a direct MP4, WebM or HLS (.m3u8) link."
        value={text}
        data-testid="source-url"
        onChange={(event) => {
          setText(event.target.value);
          setSendError(null);
        }}
        onPaste={(event) => {
          const pasted = event.clipboardData.getData('text').trim();
          const input = event.currentTarget;
          // Whole-field pastes are checked at once instead of after the typing pause.
          if (pasted !== '' && input.selectionStart === 0 && input.selectionEnd === input.value.length) {
            event.preventDefault();
            setText(pasted);
            runCheck(pasted);
          }
        }}
      />

      <div aria-live="polite" className="flex min-h-[1.5rem] flex-col gap-3 text-sm" data-testid="source-check">
        {detected !== null && current?.status !== 'done' && (
          <p className="flex items-center gap-2 text-fg-muted">
            <Badge variant="accent" data-testid="source-provider">
              {detected === 'link' ? 'Web link' : PROVIDER_LABELS[detected]}
            </Badge>
            {current?.status === 'checking' && (
              <span className="inline-flex items-center gap-1.5">
                <Spinner size="sm" />
                Checking the link…
              </span>
            )}
          </p>
        )}
        {current?.status === 'failed' && <FormAlert message={current.message} />}
        {result !== null && <CheckResult result={result} />}
      </div>

      <FormAlert message={sendError} />

      <Button
        type="submit"
        size="lg"
        loading={sending}
        disabled={!playable}
        icon={<Play aria-hidden="true" className="h-4 w-4" />}
        data-testid="source-submit"
      >
        Play this
      </Button>
    </form>
  );
}

function CheckResult({ result }: { result: SourceCheck }) {
  if (!result.supported) {
    return (
      <div
        data-testid="source-unsupported"
        className="flex items-start gap-2.5 rounded-md border border-danger/30 bg-danger/10 px-3.5 py-3 text-danger-text"
      >
        <TriangleAlert aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0" />
        <div className="flex flex-col gap-1">
          <p className="font-medium">{result.message}</p>
          {result.reason !== null && (
            <p data-testid="source-reason">
              <span className="sr-only">Reason: </span>
              {REASON_LABELS[result.reason]}
            </p>
          )}
          {result.suggestion !== null && (
            <p data-testid="source-suggestion" className="text-fg-muted">
              {result.suggestion}
            </p>
          )}
        </div>
      </div>
    );
  }
  return (
    <div data-testid="source-supported" className="flex flex-col gap-2">
      <p className="flex items-start gap-2 text-fg">
        <CircleCheck aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0 text-success-text" />
        <span>
          {result.provider !== null && (
            <Badge variant="success" className="mr-2">
              {CHECK_PROVIDER_LABELS[result.provider]}
            </Badge>
          )}
          {result.message}
        </span>
      </p>
      {result.precisionNotice !== null && (
        <p className="flex items-start gap-2 rounded-md border border-warning/30 bg-warning/10 px-3 py-2 text-warning-text">
          <Info aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0" />
          {result.precisionNotice}
        </p>
      )}
    </div>
  );
}
