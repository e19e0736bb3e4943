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
 */
export function useValidatedForm<K extends string>(
  initialValues: Record<K, string>,
  validate: (values: Record<K, string>) => FieldErrors<K>,
) {
  const [values, setValues] = useState(initialValues);
  const [errors, setErrors] = useState<FieldErrors<K>>({});
  const [submitted, setSubmitted] = useState(false);
  const elements = useRef<Partial<Record<K, HTMLInputElement | null>>>({});
  const order = useRef(Object.keys(initialValues) as K[]);

  const field = (name: K): FieldProps => ({
    name,
    value: values[name],
    error: errors[name] ?? null,
    ref: (element) => {
      elements.current[name] = element;
    },
    onChange: (event) => {
      const next = { ...values, [name]: event.target.value };
      setValues(next);
      if (submitted) setErrors(validate(next));
    },
  });

  const handleSubmit = useCallback(
    (onValid: (values: Record<K, string>) => void | Promise<void>) => (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      setSubmitted(true);
      const found = validate(values);
      setErrors(found);
      const firstInvalid = order.current.find((name) => found[name] !== undefined);
      if (firstInvalid !== undefined) {
        elements.current[firstInvalid]?.focus();
        return;
      }
      void onValid(values);
    },
    [validate, values],
  );

  return { values, errors, field, handleSubmit };
}
