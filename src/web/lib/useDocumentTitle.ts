import { useEffect } from 'react';

/** Sets the browser tab's title while the page shows, and again whenever the title changes. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title;
  }, [title]);
}
