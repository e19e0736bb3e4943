import { useId, type ReactNode } from 'react';
import { CircleAlert } from 'lucide-react';

import { cn } from '@/lib/cn';

export interface Choice<T extends string | number> {
  value: T;
  label: string;
  description?: string;
}

export interface ChoiceGroupProps<T extends string | number> {
  legend: string;
  name: string;
  choices: readonly Choice<T>[];
  value: T;
  onChange: (value: T) => void;
  hint?: ReactNode;
  error?: string;
  /** Choices side by side (short labels such as seat counts). */
  inline?: boolean;
  testId?: string;
  /** Gets the checked radio, so a form can focus the group. */
  inputRef?: (element: HTMLInputElement | null) => void;
}

/** A labelled group of radio cards; the message of a failed save is read with the group. */
export function ChoiceGroup<T extends string | number>({
  legend,
  name,
  choices,
  value,
  onChange,
  hint,
  error,
  inline = false,
  testId,
  inputRef,
}: ChoiceGroupProps<T>) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ');
  return (
    <fieldset aria-describedby={describedBy === '' ? undefined : describedBy} data-testid={testId} className="min-w-0">
      <legend className="text-sm font-medium text-fg">{legend}</legend>
      <div className={cn('mt-1.5 gap-2', inline ? 'flex flex-wrap' : 'flex flex-col')}>
        {choices.map((choice) => {
          const checked = choice.value === value;
          return (
            <label
              key={String(choice.value)}
              className={cn(
                'flex cursor-pointer gap-3 rounded-md border bg-field px-3 py-2.5 text-sm transition-colors duration-fast',
                'has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring',
                checked ? 'border-accent/60 bg-accent/[0.07]' : 'border-line hover:border-fg/25',
                inline ? 'min-w-[3.5rem] items-center justify-center' : 'items-start',
              )}
            >
              <input
                ref={checked ? inputRef : undefined}
                type="radio"
                name={name}
                value={String(choice.value)}
                checked={checked}
                className={cn('h-4 w-4 shrink-0 accent-accent focus:outline-none', inline ? 'sr-only' : 'mt-0.5')}
                onChange={() => {
                  onChange(choice.value);
                }}
              />
              <span className="min-w-0">
                <span className={cn('block font-semibold', checked ? 'text-fg' : 'text-fg-muted')}>{choice.label}</span>
                {choice.description !== undefined && (
                  <span className="mt-0.5 block text-xs text-fg-subtle">{choice.description}</span>
                )}
              </span>
            </label>
          );
        })}
      </div>
      <FieldMessages id={id} hint={hint} error={error} />
    </fieldset>
  );
}

/** The error and hint lines under a field, with the ids its `aria-describedby` names. */
export function FieldMessages({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {error && (
        <p id={`${id}-error`} className="mt-1.5 flex items-start gap-1.5 text-sm text-danger-text">
          <CircleAlert aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0" />
          <span>{error}</span>
        </p>
      )}
      {hint && (
        <p id={`${id}-hint`} className="mt-1.5 text-sm text-fg-subtle">
          {hint}
        </p>
      )}
    </>
  );
}

export interface SelectFieldProps {
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string;
  testId?: string;
  selectRef?: (element: HTMLSelectElement | null) => void;
}

/** A native select styled like <Input>. */
export function SelectField({ label, value, options, onChange, hint, error, testId, selectRef }: SelectFieldProps) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  return (
    <div className="flex flex-col">
      <label htmlFor={id} className="text-sm font-medium text-fg">
        {label}
      </label>
      <select
        ref={selectRef}
        id={id}
        value={value}
        data-testid={testId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        className={cn(
          'mt-1.5 block h-11 w-full min-w-0 rounded-md border bg-field px-3 text-base text-fg backdrop-blur-sm',
          'focus:outline-none focus:ring-4',
          error ? 'border-danger/70 focus:ring-danger/30' : 'border-line focus:border-accent focus:ring-accent/20',
        )}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}
