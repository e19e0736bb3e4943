import { useId, type ReactNode, type Ref } from 'react';
import { motion } from 'framer-motion';
import { CircleAlert } from 'lucide-react';

import { duration, ease } from '@/components/ui/motion';
import { cn } from '@/lib/cn';

/**
 * Choice controls for the create-room form, built on native radios and a checkbox so the
 * keyboard (arrow keys within a group, Space to toggle), forms and screen readers work as
 * they always do; only the look is ours.
 */

function FieldMessage({ id, error }: { id: string; error: string | null | undefined }) {
  if (error === null || error === undefined || error === '') return null;
  return (
    <p id={id} className="mt-1.5 flex items-start gap-1.5 text-sm text-danger-text">
      <CircleAlert aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0" />
      <span>{error}</span>
    </p>
  );
}

const legendClass = 'text-sm font-medium text-fg';

export interface SegmentOption<T extends string | number> {
  value: T;
  label: string;
}

export interface SegmentedControlProps<T extends string | number> {
  legend: string;
  name: string;
  options: readonly SegmentOption<T>[];
  value: T;
  onChange: (value: T) => void;
  hint?: ReactNode;
  error?: string | null;
  testId?: string;
  /** The checked radio, to focus when the group has an error. */
  checkedRef?: Ref<HTMLInputElement>;
}

/** A row of radios drawn as one pill with a sliding highlight on the chosen segment. */
export function SegmentedControl<T extends string | number>({
  legend,
  name,
  options,
  value,
  onChange,
  hint,
  error,
  testId,
  checkedRef,
}: SegmentedControlProps<T>) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hasError = typeof error === 'string' && error !== '';
  const describedBy = [hasError ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset data-testid={testId} aria-describedby={describedBy} className="min-w-0">
      <legend className={legendClass}>{legend}</legend>
      <div
        className={cn(
          'mt-1.5 grid auto-cols-fr grid-flow-col gap-1 rounded-full border bg-field p-1 shadow-[inset_0_1px_2px_rgb(0_0_0/0.06)] backdrop-blur-sm',
          hasError ? 'border-danger/70' : 'border-line',
        )}
      >
        {options.map((option) => {
          const checked = option.value === value;
          return (
            <label key={String(option.value)} className="relative min-w-0 cursor-pointer">
              <input
                ref={checked ? checkedRef : undefined}
                type="radio"
                name={name}
                value={String(option.value)}
                checked={checked}
                className="peer sr-only"
                onChange={() => {
                  onChange(option.value);
                }}
              />
              {checked && (
                <motion.span
                  aria-hidden="true"
                  layoutId={`${id}-thumb`}
                  className="absolute inset-0 rounded-full bg-accent shadow-accent"
                  transition={{ duration: duration.base, ease: ease.emphasized }}
                />
              )}
              <span
                className={cn(
                  'relative flex h-9 items-center justify-center rounded-full text-sm font-semibold transition-colors duration-fast',
                  'peer-focus-visible:ring-2 peer-focus-visible:ring-ring peer-focus-visible:ring-offset-2 peer-focus-visible:ring-offset-bg',
                  checked ? 'text-accent-fg' : 'text-fg-muted hover:bg-fg/[0.05] hover:text-fg',
                )}
              >
                {option.label}
              </span>
            </label>
          );
        })}
      </div>
      <FieldMessage id={errorId} error={error} />
      {hint && (
        <p id={hintId} className="mt-1.5 text-sm text-fg-subtle">
          {hint}
        </p>
      )}
    </fieldset>
  );
}

export interface RadioCardOption<T extends string> {
  value: T;
  title: string;
  description: string;
}

export interface RadioCardGroupProps<T extends string> {
  legend: string;
  /** A line under the legend, for the question as a whole. */
  description?: string;
  name: string;
  options: readonly RadioCardOption<T>[];
  value: T;
  onChange: (value: T) => void;
  error?: string | null;
  disabled?: boolean;
  testId?: string;
  checkedRef?: Ref<HTMLInputElement>;
  /** Side by side from the `sm` breakpoint up (for two short options). */
  columns?: boolean;
}

/**
 * Radios with a title and a plain-words explanation each. A radio is named by its title and
 * described by its explanation, so a screen reader says both without repeating the group.
 */
export function RadioCardGroup<T extends string>({
  legend,
  description,
  name,
  options,
  value,
  onChange,
  error,
  disabled = false,
  testId,
  checkedRef,
  columns = false,
}: RadioCardGroupProps<T>) {
  const id = useId();
  const descriptionId = `${id}-description`;
  const errorId = `${id}-error`;
  const hasError = typeof error === 'string' && error !== '';
  const describedBy =
    [hasError ? errorId : null, description !== undefined ? descriptionId : null].filter(Boolean).join(' ') ||
    undefined;
  return (
    <fieldset data-testid={testId} disabled={disabled} aria-describedby={describedBy} className="min-w-0">
      <legend className={cn(legendClass, disabled && 'opacity-60')}>{legend}</legend>
      {description !== undefined && (
        <p id={descriptionId} className={cn('mt-0.5 text-sm text-fg-subtle', disabled && 'opacity-60')}>
          {description}
        </p>
      )}
      <div className={cn('mt-2 grid gap-2', columns && 'sm:grid-cols-2')}>
        {options.map((option) => {
          const checked = option.value === value;
          const optionId = `${id}-${option.value}`;
          return (
            <label
              key={option.value}
              className={cn(
                'flex min-w-0 items-start gap-3 rounded-lg border bg-field/60 px-3.5 py-3 transition-[border-color,background-color,box-shadow] duration-fast',
                'has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring',
                disabled ? 'cursor-not-allowed opacity-60' : 'cursor-pointer hover:border-accent/40',
                checked ? 'border-accent/60 bg-accent/10' : hasError ? 'border-danger/70' : 'border-line',
              )}
            >
              <input
                ref={checked ? checkedRef : undefined}
                type="radio"
                name={name}
                value={option.value}
                checked={checked}
                aria-labelledby={`${optionId}-title`}
                aria-describedby={`${optionId}-description`}
                className="mt-0.5 h-4 w-4 shrink-0 accent-accent focus-visible:outline-none"
                onChange={() => {
                  onChange(option.value);
                }}
              />
              <span className="min-w-0">
                <span id={`${optionId}-title`} className="block text-sm font-semibold text-fg">
                  {option.title}
                </span>
                <span id={`${optionId}-description`} className="mt-0.5 block text-sm leading-snug text-fg-muted">
                  {option.description}
                </span>
              </span>
            </label>
          );
        })}
      </div>
      <FieldMessage id={errorId} error={error} />
    </fieldset>
  );
}

export interface SwitchFieldProps {
  label: string;
  description?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId?: string;
  inputRef?: Ref<HTMLInputElement>;
}

/** An on/off setting: a checkbox with the switch role, drawn as a sliding toggle. */
export function SwitchField({ label, description, checked, onChange, testId, inputRef }: SwitchFieldProps) {
  const id = useId();
  return (
    <label className="flex cursor-pointer items-start justify-between gap-4 rounded-lg">
      <span className="min-w-0">
        <span id={`${id}-label`} className="block text-sm font-medium text-fg">
          {label}
        </span>
        {description !== undefined && (
          <span id={`${id}-description`} className="mt-0.5 block text-sm leading-snug text-fg-subtle">
            {description}
          </span>
        )}
      </span>
      <input
        ref={inputRef}
        type="checkbox"
        role="switch"
        checked={checked}
        aria-checked={checked}
        aria-labelledby={`${id}-label`}
        aria-describedby={description !== undefined ? `${id}-description` : undefined}
        data-testid={testId}
        className="peer sr-only"
        onChange={(event) => {
          onChange(event.target.checked);
        }}
      />
      <span
        aria-hidden="true"
        className={cn(
          'relative mt-0.5 inline-flex h-6 w-11 shrink-0 items-center rounded-full border transition-colors duration-base',
          'peer-focus-visible:ring-2 peer-focus-visible:ring-ring peer-focus-visible:ring-offset-2 peer-focus-visible:ring-offset-bg',
          checked ? 'border-accent bg-accent' : 'border-line bg-fg/15',
        )}
      >
        <motion.span
          className="absolute left-0.5 h-5 w-5 rounded-full bg-white shadow-sm"
          animate={{ x: checked ? 20 : 0 }}
          transition={{ duration: duration.base, ease: ease.emphasized }}
        />
      </span>
    </label>
  );
}
