import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { errorMessage } from '../../../api/client';
import { useResendJobNotification } from '../api/jobs';
import type { Job } from '../api/types';
import { parseRecipients, recipientsError } from '../recipients';
import { RecipientsField } from './RecipientsField';
import type { RowContext } from './ReportJobRow';

/** "Email notification bounced" on a job row, with a small form to fix the recipients and resend. */
export function BounceNotice({
  job,
  context,
  canResend,
  onResent,
}: {
  job: Job;
  context: RowContext;
  /** The requester and workspace admins may resend; others only see that it bounced. */
  canResend: boolean;
  /** Called with the recipients once the server has queued the notification again. */
  onResent: (emails: string[]) => void;
}) {
  const ids = useId();
  const bounced = job.bounced_recipients ?? [];
  const [open, setOpen] = useState(false);
  const [recipients, setRecipients] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const resend = useResendJobNotification(context.eventId);
  const pending = resend.isPending;
  const submitError = resend.error ? errorMessage(resend.error) : null;
  const inputRef = useRef<HTMLInputElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (open) inputRef.current?.focus();
  }, [open]);

  const openForm = () => {
    setRecipients((bounced.length > 0 ? bounced : job.notify_emails).join(', '));
    setFieldError(null);
    resend.reset();
    setOpen(true);
  };

  const close = () => {
    setOpen(false);
    requestAnimationFrame(() => toggleRef.current?.focus());
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const problem = recipientsError(recipients, { required: true });
    setFieldError(problem);
    resend.reset();
    if (problem) {
      inputRef.current?.focus();
      return;
    }
    const emails = parseRecipients(recipients).emails;
    resend.mutate(
      { jobId: job.job_id, notifyEmails: emails },
      {
        onSuccess: (updated) => {
          setOpen(false);
          onResent(emails);
          context.onUpdated(updated);
        },
      },
    );
  };

  const hintId = `${ids}-hint`;
  const errorId = `${ids}-error`;

  return (
    <div className="job-bounce" data-test="report-job-bounce-indicator">
      <p className="job-bounce-title job-bounce-title-block">
        <span className="job-bounce-icon" aria-hidden="true">
          !
        </span>
        Email notification bounced
        {bounced.length > 0 && (
          <span className="job-bounce-who">
            :{' '}
            {bounced.map((address, i) => (
              <span key={address}>
                {i > 0 && ', '}
                <span className="job-delivery-address" data-test="report-job-bounced-address">
                  {address}
                </span>
              </span>
            ))}
          </span>
        )}
      </p>
      {!canResend ? null : !open ? (
        <button
          ref={toggleRef}
          type="button"
          className="btn btn-secondary btn-small"
          data-test="report-job-resend-cta"
          aria-expanded={false}
          onClick={openForm}
        >
          Fix recipients and resend
        </button>
      ) : (
        <form className="resend-form" onSubmit={onSubmit} noValidate data-test="report-job-resend-form">
          <label htmlFor={`${ids}-input`}>Send the notification to</label>
          <RecipientsField
            inputRef={inputRef}
            id={`${ids}-input`}
            eventId={context.eventId}
            typeKey={job.type}
            value={recipients}
            testId="report-job-resend-recipients"
            invalid={Boolean(fieldError)}
            describedBy={fieldError ? `${hintId} ${errorId}` : hintId}
            onChange={(next) => {
              setRecipients(next);
              setFieldError(null);
            }}
            onEscape={close}
          />
          <p className="hint" id={hintId}>
            Correct the address, or choose other members who can open this report. Separate addresses with commas.
          </p>
          {fieldError && (
            <p className="field-error" id={errorId}>
              {fieldError}
            </p>
          )}
          {submitError && (
            <p className="field-error" role="alert">
              {submitError}
            </p>
          )}
          <div className="resend-actions">
            <button type="button" className="btn btn-ghost btn-small" onClick={close} disabled={pending}>
              Cancel
            </button>
            <button
              type="submit"
              className="btn btn-primary btn-small"
              data-test="report-job-resend-submit"
              disabled={pending}
              aria-busy={pending}
            >
              Resend notification
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
