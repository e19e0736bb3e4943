import { useEffect } from 'react';

const APP_NAME = 'SyncWatch';

/** Sets the tab title to "<title> · SyncWatch" (or just "SyncWatch") while the component is shown. */
export function useDocumentTitle(title?: string): void {
  useEffect(() => {
    document.title = title ? `${title} · ${APP_NAME}` : APP_NAME;
  }, [title]);
}
