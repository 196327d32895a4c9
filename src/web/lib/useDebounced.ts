import { useEffect, useState } from 'react';

/** `value` once it has stopped changing for `delayMs`; undefined until then. */
export function useDebounced<T>(value: T, delayMs: number): T | undefined {
  const [settled, setSettled] = useState<T>();
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
