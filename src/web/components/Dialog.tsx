import { type ReactNode, type RefObject, useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { FormError } from './Form';

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

function focusableIn(root: HTMLElement): HTMLElement[] {
  const all = Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.getClientRects().length > 0);
  const radios = all.filter(
    (el): el is HTMLInputElement => el instanceof HTMLInputElement && el.type === 'radio' && el.name !== '',
  );
  const checkedGroups = new Set(radios.filter((r) => r.checked).map((r) => r.name));
  const seenGroups = new Set<string>();
  // Of a radio group, only the checked radio (or the first one, if none is checked) takes Tab focus.
  return all.filter((el) => {
    if (!(el instanceof HTMLInputElement) || el.type !== 'radio' || el.name === '') return true;
    if (checkedGroups.has(el.name)) return el.checked;
    if (seenGroups.has(el.name)) return false;
    seenGroups.add(el.name);
    return true;
  });
}

interface DialogProps {
  title: string;
  onClose: () => void;
  /** Where focus goes back to on close; defaults to the element focused when the dialog opened. */
  returnFocusRef?: RefObject<HTMLElement | null>;
  testId?: string;
  children: ReactNode;
}

/**
 * A modal dialog: labelled by its title, Escape closes it, focus moves in on open, stays
 * inside while open (Tab wraps) and returns to the opener on close. Mount it to open it.
 */
export function Dialog({ title, onClose, returnFocusRef, testId, children }: DialogProps) {
  const titleId = useId();
  const panelRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  // Read during the first render, before children's effects move focus into the dialog.
  const [openerElement] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));

  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const panel = panelRef.current;
    if (!panel) return;
    const returnTarget = returnFocusRef?.current ?? openerElement;

    // Children may have focused their first field already; otherwise take the first focusable.
    if (!panel.contains(document.activeElement)) (focusableIn(panel)[0] ?? panel).focus();

    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        onCloseRef.current();
        return;
      }
      if (event.key !== 'Tab') return;
      const items = focusableIn(panel);
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) {
        event.preventDefault();
        panel.focus();
        return;
      }
      const active = document.activeElement;
      if (event.shiftKey && (active === first || active === panel || !panel.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || !panel.contains(active))) {
        event.preventDefault();
        first.focus();
      }
    };
    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof Node && !panel.contains(event.target)) (focusableIn(panel)[0] ?? panel).focus();
    };

    const { overflow } = document.body.style;
    document.body.style.overflow = 'hidden';
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('focusin', onFocusIn);
      document.body.style.overflow = overflow;
      returnTarget?.focus();
    };
  }, [returnFocusRef, openerElement]);

  return createPortal(
    <div className="dialog-backdrop">
      <div
        ref={panelRef}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-test={testId}
      >
        <div className="dialog-header">
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          <button type="button" className="btn btn-icon" aria-label="Close" onClick={() => onCloseRef.current()}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
        <div className="dialog-body">{children}</div>
      </div>
    </div>,
    document.body,
  );
}

interface ConfirmDialogProps {
  title: string;
  onClose: () => void;
  testId?: string;
  /** Why the last confirm failed, shown above the buttons. */
  error: string | null;
  /** While the confirmed action runs: both buttons are disabled. */
  busy?: boolean;
  confirmLabel: string;
  confirmTestId: string;
  onConfirm: () => void;
  /** What confirming does, in a sentence or two. */
  children: ReactNode;
}

/** A dialog that asks "are you sure?": what happens, the error of a failed try, Cancel and the action. */
export function ConfirmDialog({
  title,
  onClose,
  testId,
  error,
  busy,
  confirmLabel,
  confirmTestId,
  onConfirm,
  children,
}: ConfirmDialogProps) {
  return (
    <Dialog title={title} onClose={onClose} testId={testId}>
      {children}
      {error && <FormError>{error}</FormError>}
      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" onClick={onConfirm} disabled={busy} data-test={confirmTestId}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
