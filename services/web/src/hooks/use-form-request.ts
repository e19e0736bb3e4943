import { useState } from 'react';

import { rateLimitMessage } from '@/lib/account-rules';
import { ApiError } from '@/lib/api-client';
import { type FieldErrors } from '@/hooks/use-validated-form';
import { toast } from '@/stores/toast-store';

/** What a failed request means for a form: a message above it and/or messages on fields. */
export interface FormFailure<K extends string> {
  formError?: string;
  fieldErrors?: FieldErrors<K>;
}

export interface FormRequestOptions<TResult, K extends string> {
  onSuccess: (result: TResult) => void;
  /** Toast title when the service is not there to answer (no response, 404, 5xx). */
  unavailableTitle: string;
  /**
   * Request field names of `errors[]` → form field. Entries naming a field not listed here go
   * into the message above the form.
   */
  fields: Partial<Record<string, K>>;
  /** Shows per-field messages (`useValidatedForm().setServerErrors`). */
  onFieldErrors: (errors: FieldErrors<K>) => void;
  /** Maps the `code`s this form knows (e.g. `username_taken`) before the generic handling. */
  describe?: (error: ApiError) => FormFailure<K> | undefined;
}

/** The generic reading of an API failure for a form. */
export function describeFailure<K extends string>(
  error: ApiError,
  fields: Partial<Record<string, K>>,
): FormFailure<K> {
  if (error.isRateLimited) return { formError: rateLimitMessage(error.retryAfter) };
  if (error.fieldErrors.length > 0) {
    const fieldErrors: FieldErrors<K> = {};
    const other: string[] = [];
    for (const { field, message } of error.fieldErrors) {
      const target = fields[field];
      if (target === undefined) other.push(message);
      else fieldErrors[target] ??= message;
    }
    return other.length > 0 ? { fieldErrors, formError: other.join(' ') } : { fieldErrors };
  }
  return { formError: error.userMessage };
}

/**
 * Sends a form's request and turns a failure into what the person should see: messages on the
 * fields from `errors[]`, the known `code`s mapped by the form, "Too many attempts, try again in
 * N s" for a 429, the problem's `detail` above the form otherwise, and a toast when the service
 * is not there at all. Never reports success without a 2xx from the server.
 */
export function useFormRequest<TInput, TResult, K extends string>(
  request: (input: TInput) => Promise<TResult>,
  { onSuccess, unavailableTitle, fields, onFieldErrors, describe }: FormRequestOptions<TResult, K>,
) {
  const [pending, setPending] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  const submit = async (input: TInput): Promise<void> => {
    setPending(true);
    setFormError(null);
    let result: TResult;
    try {
      result = await request(input);
    } catch (error) {
      setPending(false);
      if (!(error instanceof ApiError)) {
        setFormError('Something went wrong. Please try again.');
        return;
      }
      const failure = describe?.(error) ?? (error.isServiceUnavailable ? undefined : describeFailure(error, fields));
      if (failure === undefined) {
        toast.error(unavailableTitle, 'The account service is not available right now. Please try again later.');
        return;
      }
      setFormError(failure.formError ?? null);
      if (failure.fieldErrors !== undefined && Object.keys(failure.fieldErrors).length > 0) {
        onFieldErrors(failure.fieldErrors);
      }
      return;
    }
    setPending(false);
    onSuccess(result);
  };

  return { submit, pending, formError, clearFormError: () => setFormError(null) };
}
