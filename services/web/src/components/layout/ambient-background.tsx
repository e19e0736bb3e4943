/** The soft, slowly drifting colour fields behind the glass. Decorative; still under reduced motion. */
export function AmbientBackground() {
  return (
    <div aria-hidden="true" className="pointer-events-none fixed inset-0 -z-10 overflow-hidden bg-bg">
      <div className="sw-blob sw-blob-1" />
      <div className="sw-blob sw-blob-2" />
      <div className="sw-blob sw-blob-3" />
      <div className="sw-blob sw-blob-4" />
      {/* A faint grid keeps large empty areas from looking flat. */}
      <div className="absolute inset-0 bg-[linear-gradient(rgb(var(--sw-color-line)/0.035)_1px,transparent_1px),linear-gradient(90deg,rgb(var(--sw-color-line)/0.035)_1px,transparent_1px)] bg-[size:56px_56px] [mask-image:radial-gradient(ellipse_at_top,black,transparent_75%)]" />
    </div>
  );
}
