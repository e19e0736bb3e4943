import { forwardRef, useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { CircleAlert } from 'lucide-react';

import { cn } from '@/lib/cn';

export interface InputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'size'> {
  label: string;
  /** Help shown under the field, linked with aria-describedby. */
  hint?: ReactNode;
  /** Validation message; marks the field aria-invalid and is read with it. */
  error?: string | null;
  /** A control inside the field's right edge, e.g. a show-password button. */
  endAdornment?: ReactNode;
  /** Classes for the wrapper (label, field and messages). */
  containerClassName?: string;
}

export const Input = forwardRef<HTMLInputElement, InputProps>(function Input(
  { label, hint, error, endAdornment, id, className, containerClassName, 'aria-describedby': describedBy, ...rest },
  ref,
) {
  const generatedId = useId();
  const inputId = id ?? `input-${generatedId}`;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const hasError = typeof error === 'string' && error !== '';

  const describedByIds = [hasError ? errorId : null, hint ? hintId : null, describedBy ?? null]
    .filter((value): value is string => value !== null)
    .join(' ');

  return (
    <div className={cn('flex flex-col gap-1.5', containerClassName)}>
      <label htmlFor={inputId} className="text-sm font-medium text-fg">
        {label}
      </label>
      <div className="relative">
        <input
          ref={ref}
          id={inputId}
          aria-invalid={hasError || undefined}
          aria-describedby={describedByIds === '' ? undefined : describedByIds}
          className={cn(
            'block h-11 w-full min-w-0 rounded-md border bg-field px-3.5 text-base text-fg shadow-[inset_0_1px_2px_rgb(0_0_0/0.06)] backdrop-blur-sm',
            'placeholder:text-fg-subtle/80 transition-[border-color,box-shadow] duration-fast ease-standard',
            'focus:outline-none focus-visible:outline-none focus:ring-4',
            'disabled:cursor-not-allowed disabled:opacity-60',
            hasError
              ? 'border-danger/70 focus:border-danger focus:ring-danger/30'
              : 'border-line hover:border-fg/25 focus:border-accent focus:ring-accent/20',
            endAdornment !== undefined && 'pr-12',
            className,
          )}
          {...rest}
        />
        {endAdornment !== undefined && (
          <div className="absolute inset-y-0 right-1 flex items-center">{endAdornment}</div>
        )}
      </div>
      {hasError && (
        <p id={errorId} className="flex items-start gap-1.5 text-sm text-danger-text">
          <CircleAlert aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0" />
          <span>{error}</span>
        </p>
      )}
      {hint && (
        <p id={hintId} className="text-sm text-fg-subtle">
          {hint}
        </p>
      )}
    </div>
  );
});
