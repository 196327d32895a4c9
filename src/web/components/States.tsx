import type { ReactNode } from 'react';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function ErrorState({
  title,
  message,
  testId,
  children,
}: {
  title: string;
  message: string;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <div className="state state-error" data-test={testId}>
      <h1>{title}</h1>
      <p role="alert">{message}</p>
      {children}
    </div>
  );
}

/** Why something on the page could not be loaded or done, read out when it appears. */
export function ErrorNotice({ testId, children }: { testId?: string; children: ReactNode }) {
  return (
    <p className="notice notice-error" role="alert" data-test={testId}>
      {children}
    </p>
  );
}
