import { useState } from 'react';

import { ApiError } from '@/lib/api-client';
import { toast } from '@/stores/toast-store';

export interface AuthRequestOptions<TResult> {
  onSuccess: (result: TResult) => void;
  /** Toast title when the auth service is not there to answer (no response, 404, 5xx). */
  unavailableTitle: string;
}

/**
 * Sends an auth request and turns its failure into what the person should see: the
 * service's own problem `detail`/`title` next to the form for a 4xx, or a toast saying the
 * service is not available when nothing (or a 404/5xx) answered. Never reports success
 * without a 2xx from the server.
 */
export function useAuthRequest<TInput, TResult>(
  request: (input: TInput) => Promise<TResult>,
  { onSuccess, unavailableTitle }: AuthRequestOptions<TResult>,
) {
  const [pending, setPending] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  const submit = async (input: TInput): Promise<void> => {
    setPending(true);
    setFormError(null);
    try {
      const result = await request(input);
      setPending(false);
      onSuccess(result);
    } catch (error) {
      setPending(false);
      if (error instanceof ApiError && error.isServiceUnavailable) {
        toast.error(unavailableTitle, 'The account service is not available yet. Please try again later.');
      } else if (error instanceof ApiError) {
        setFormError(error.userMessage);
      } else {
        setFormError('Something went wrong. Please try again.');
      }
    }
  };

  return { submit, pending, formError };
}
