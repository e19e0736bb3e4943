import type { Config } from 'tailwindcss';

/** `rgb(var(--token) / <alpha-value>)` so every colour token supports Tailwind's opacity modifier. */
const rgb = (token: string): string => `rgb(var(--sw-color-${token}) / <alpha-value>)`;

export default {
  content: ['./index.html', './src/**/*.{ts,tsx}'],
  darkMode: 'class',
  theme: {
    extend: {
      colors: {
        bg: rgb('bg'),
        fg: {
          DEFAULT: rgb('fg'),
          muted: rgb('fg-muted'),
          subtle: rgb('fg-subtle'),
        },
        line: 'rgb(var(--sw-color-line) / var(--sw-line-alpha))',
        field: 'rgb(var(--sw-color-field) / var(--sw-field-alpha))',
        accent: {
          DEFAULT: rgb('accent'),
          hover: rgb('accent-hover'),
          fg: rgb('accent-fg'),
          text: rgb('accent-text'),
          2: rgb('accent-2'),
          3: rgb('accent-3'),
        },
        ring: rgb('ring'),
        success: { DEFAULT: rgb('success'), text: rgb('success-text') },
        warning: { DEFAULT: rgb('warning'), text: rgb('warning-text') },
        danger: { DEFAULT: rgb('danger'), hover: rgb('danger-hover'), text: rgb('danger-text') },
        glass: 'rgb(var(--sw-glass-tint) / <alpha-value>)',
      },
      borderRadius: {
        sm: 'var(--sw-radius-sm)',
        md: 'var(--sw-radius-md)',
        lg: 'var(--sw-radius-lg)',
        xl: 'var(--sw-radius-xl)',
        '2xl': 'var(--sw-radius-2xl)',
        full: 'var(--sw-radius-full)',
      },
      backdropBlur: {
        sm: 'var(--sw-blur-sm)',
        md: 'var(--sw-blur-md)',
        lg: 'var(--sw-blur-lg)',
        xl: 'var(--sw-blur-xl)',
      },
      boxShadow: {
        sm: 'var(--sw-shadow-sm)',
        md: 'var(--sw-shadow-md)',
        lg: 'var(--sw-shadow-lg)',
        glass: 'var(--sw-shadow-glass)',
        accent: 'var(--sw-shadow-accent)',
      },
      spacing: {
        xs: 'var(--sw-space-xs)',
        sm: 'var(--sw-space-sm)',
        md: 'var(--sw-space-md)',
        lg: 'var(--sw-space-lg)',
        xl: 'var(--sw-space-xl)',
        '2xl': 'var(--sw-space-2xl)',
        gutter: 'var(--sw-gutter)',
        header: 'var(--sw-header-height)',
      },
      transitionDuration: {
        fast: 'var(--sw-duration-fast)',
        base: 'var(--sw-duration-base)',
        slow: 'var(--sw-duration-slow)',
      },
      transitionTimingFunction: {
        standard: 'var(--sw-ease-standard)',
        emphasized: 'var(--sw-ease-emphasized)',
      },
      fontFamily: {
        sans: 'var(--sw-font-sans)',
        mono: 'var(--sw-font-mono)',
      },
      screens: {
        xs: '400px',
      },
    },
  },
  plugins: [],
} satisfies Config;
