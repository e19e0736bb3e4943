import { useCallback, useRef, useState, type ChangeEvent, type FormEvent } from 'react';

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

export interface FieldProps {
  name: string;
  value: string;
  error: string | null;
  ref: (element: HTMLInputElement | null) => void;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
}

/**
 * Client-side validation for small text forms. Errors appear on the first submit; after that
 * they update as the person types. A submit with errors focuses the first invalid field,
 * so screen readers read its message (wired through <Input>'s aria-describedby).
 *
 * Errors the server gives per field (`setServerErrors`) show the same way and go away as soon as
 * that field is edited.
 */
export function useValidatedForm<K extends string>(
  initialValues: Record<K, string>,
  validate: (values: Record<K, string>) => FieldErrors<K>,
) {
  const [values, setValues] = useState(initialValues);
  const [errors, setErrors] = useState<FieldErrors<K>>({});
  const [serverErrors, setServerErrorsState] = useState<FieldErrors<K>>({});
  const [submitted, setSubmitted] = useState(false);
  const elements = useRef<Partial<Record<K, HTMLInputElement | null>>>({});
  const order = useRef(Object.keys(initialValues) as K[]);
  const initial = useRef(initialValues);

  const focusFirst = useCallback((found: FieldErrors<K>): boolean => {
    const firstInvalid = order.current.find((name) => found[name] !== undefined);
    if (firstInvalid === undefined) return false;
    elements.current[firstInvalid]?.focus();
    return true;
  }, []);

  const field = (name: K): FieldProps => ({
    name,
    value: values[name],
    error: errors[name] ?? serverErrors[name] ?? null,
    ref: (element) => {
      elements.current[name] = element;
    },
    onChange: (event) => {
      const next = { ...values, [name]: event.target.value };
      setValues(next);
      if (submitted) setErrors(validate(next));
      if (serverErrors[name] !== undefined) {
        setServerErrorsState(({ [name]: _edited, ...rest }) => rest as FieldErrors<K>);
      }
    },
  });

  const handleSubmit = useCallback(
    (onValid: (values: Record<K, string>) => void | Promise<void>) => (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      setSubmitted(true);
      setServerErrorsState({});
      const found = validate(values);
      setErrors(found);
      if (focusFirst(found)) return;
      void onValid(values);
    },
    [validate, values, focusFirst],
  );

  /** Shows the server's per-field messages and focuses the first field that has one. */
  const setServerErrors = useCallback(
    (found: FieldErrors<K>) => {
      setServerErrorsState(found);
      focusFirst(found);
    },
    [focusFirst],
  );

  /** Back to the initial values, without messages (e.g. after a successful password change). */
  const reset = useCallback(() => {
    setValues(initial.current);
    setErrors({});
    setServerErrorsState({});
    setSubmitted(false);
  }, []);

  return { values, errors: { ...serverErrors, ...errors }, field, handleSubmit, setServerErrors, reset };
}
