import { useEffect, useState } from 'react';

export type Load<T> = { state: 'loading' } | { state: 'done'; value: T } | { state: 'error'; error: string };

/**
 * Runs `load` whenever `key` changes and keeps only the latest answer: a slow answer for an old window
 * never overwrites the one for the window now shown.
 */
export function useLoad<T>(load: () => Promise<T>, key: string): Load<T> {
  // A result is for the key it was loaded for; a new key reads as loading until its answer arrives.
  const [result, setResult] = useState<{ key: string; load: Load<T> } | null>(null);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setResult({ key, load: { state: 'done', value } }),
      (err: unknown) =>
        current && setResult({ key, load: { state: 'error', error: err instanceof Error ? err.message : String(err) } })
    );
    return () => {
      current = false;
    };
    // `key` names everything `load` depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return result?.key === key ? result.load : { state: 'loading' };
}
