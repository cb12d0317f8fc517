import React from 'react';

/** The runbook writes names as `code`: show them as code, as text (never parsed as markup). */
export function RunbookText({ text }: { text: string }) {
  const parts = text.split('`');
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? <code key={i}>{part}</code> : <React.Fragment key={i}>{part}</React.Fragment>
      )}
    </>
  );
}
