"use client";

import { useEffect } from "react";

/**
 * Shows `title` as the tab's title while mounted (null: leave it alone). `document.title` is plain
 * text, so a room name full of markup is shown as typed.
 */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    if (title === null) return;
    const previous = document.title;
    document.title = title;
    return () => {
      // After a navigation the next page has already set its own title: keep that one.
      if (document.title === title) document.title = previous;
    };
  }, [title]);
}
