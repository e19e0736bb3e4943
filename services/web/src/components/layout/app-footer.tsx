export function AppFooter() {
  return (
    <footer className="px-gutter pb-6 pt-10">
      <div className="mx-auto flex max-w-6xl flex-col items-center justify-between gap-2 text-center text-sm text-fg-subtle sm:flex-row sm:text-left">
        <p>SyncWatch: watch together, in sync.</p>
        <p>Free, for up to five people per room.</p>
      </div>
    </footer>
  );
}
