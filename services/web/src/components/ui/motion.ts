/**
 * Motion tokens for Framer Motion, in seconds. Same values as the `--sw-duration-*` and
 * `--sw-ease-*` CSS variables in tokens.css. Reduced motion is handled once, by
 * `<MotionConfig reducedMotion="user">` in the app provider.
 */
export const duration = {
  fast: 0.12,
  base: 0.2,
  slow: 0.32,
} as const;

export const ease = {
  standard: [0.2, 0, 0, 1],
  emphasized: [0.2, 0.8, 0.2, 1],
} as const satisfies Record<string, readonly [number, number, number, number]>;
