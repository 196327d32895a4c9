import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { errorMessage, isUnauthorized } from '../../../api/client';
import { redirectToLogin } from '../../auth/redirect';
import { createReportJob } from '../api/jobs';
import type { Job, ReportFormat } from '../api/types';
import { ALL_FORMATS, type ReportTypeInfo } from '../catalog';

export const MAX_RECIPIENTS = 10;

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;.]+$/;

/** Comma-separated addresses, deduplicated (case-insensitively); `invalid` lists the rejects. */
export function parseRecipients(input: string): { emails: string[]; invalid: string[] } {
  const emails: string[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  for (const part of input.split(/[,;\n]/)) {
    const email = part.trim();
    if (email === '') continue;
    if (!EMAIL.test(email) || email.length > 254) invalid.push(email);
    else if (!seen.has(email.toLowerCase())) {
      seen.add(email.toLowerCase());
      emails.push(email);
    }
  }
  return { emails, invalid };
}

function recipientsError(input: string): string | null {
  const { emails, invalid } = parseRecipients(input);
  if (invalid.length === 1) return `"${invalid[0]}" is not a valid email address. Separate addresses with commas.`;
  if (invalid.length > 1)
    return `These are not valid email addresses: ${invalid.map((e) => `"${e}"`).join(', ')}. Separate addresses with commas.`;
  if (emails.length > MAX_RECIPIENTS) return `Add at most ${MAX_RECIPIENTS} recipients.`;
  return null;
}

interface ReportParamsFormProps {
  eventId: string;
  timeZone: string;
  type: ReportTypeInfo;
  onBack: () => void;
  onCreated: (job: Job) => void;
}

/** Step 2 of the dialog: date range, format, recipients; submits the job. */
export function ReportParamsForm({ eventId, timeZone, type, onBack, onCreated }: ReportParamsFormProps) {
  const ids = useId();
  const dateFromRef = useRef<HTMLInputElement>(null);
  const dateToRef = useRef<HTMLInputElement>(null);
  const recipientsRef = useRef<HTMLInputElement>(null);
  const [dateFrom, setDateFrom] = useState('');
  const [dateTo, setDateTo] = useState('');
  const [format, setFormat] = useState<ReportFormat>(type.formats[0] ?? 'csv');
  const [recipients, setRecipients] = useState('');
  const [dateError, setDateError] = useState<string | null>(null);
  const [emailError, setEmailError] = useState<string | null>(null);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    dateFromRef.current?.focus();
  }, []);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const nextDateError = dateFrom && dateTo && dateFrom > dateTo ? 'The end date must be on or after the start date.' : null;
    const nextEmailError = recipientsError(recipients);
    setDateError(nextDateError);
    setEmailError(nextEmailError);
    setSubmitError(null);
    if (nextDateError) {
      dateToRef.current?.focus();
      return;
    }
    if (nextEmailError) {
      recipientsRef.current?.focus();
      return;
    }

    setPending(true);
    try {
      const job = await createReportJob(eventId, {
        type: type.key,
        params: { format, ...(dateFrom ? { date_from: dateFrom } : {}), ...(dateTo ? { date_to: dateTo } : {}) },
        notify_emails: parseRecipients(recipients).emails,
      });
      onCreated(job);
    } catch (err) {
      if (isUnauthorized(err)) {
        redirectToLogin();
        return;
      }
      setSubmitError(errorMessage(err));
      setPending(false);
    }
  };

  const dateHintId = `${ids}-date-hint`;
  const dateErrorId = `${ids}-date-error`;
  const emailHintId = `${ids}-email-hint`;
  const emailErrorId = `${ids}-email-error`;

  return (
    <form className="form" data-test="report-params-form" onSubmit={onSubmit} noValidate>
      <fieldset className="fieldset">
        <legend>Date range (optional)</legend>
        <p className="hint" id={dateHintId}>
          Inclusive, in the event's time zone ({timeZone}). Leave empty for all dates.
        </p>
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${ids}-from`}>Date from</label>
            <input
              ref={dateFromRef}
              id={`${ids}-from`}
              type="date"
              value={dateFrom}
              max={dateTo || undefined}
              aria-describedby={dateHintId}
              onChange={(e) => {
                setDateFrom(e.target.value);
                setDateError(null);
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-to`}>Date to</label>
            <input
              ref={dateToRef}
              id={`${ids}-to`}
              type="date"
              value={dateTo}
              min={dateFrom || undefined}
              aria-invalid={dateError ? true : undefined}
              aria-describedby={dateError ? `${dateHintId} ${dateErrorId}` : dateHintId}
              onChange={(e) => {
                setDateTo(e.target.value);
                setDateError(null);
              }}
            />
          </div>
        </div>
        {dateError && (
          <p className="field-error" id={dateErrorId}>
            {dateError}
          </p>
        )}
      </fieldset>

      <fieldset className="fieldset" data-test="report-params-format">
        <legend>Format</legend>
        <div className="radio-row">
          {ALL_FORMATS.map(({ value, label }) => {
            const available = type.formats.includes(value);
            return (
              <label key={value} className={available ? 'radio' : 'radio radio-disabled'}>
                <input
                  type="radio"
                  name={`${ids}-format`}
                  value={value}
                  checked={format === value}
                  disabled={!available}
                  onChange={() => setFormat(value)}
                />
                <span>{label}</span>
                {!available && <span className="hint"> (not available for this report)</span>}
              </label>
            );
          })}
        </div>
      </fieldset>

      <div className="field">
        <label htmlFor={`${ids}-recipients`}>Email recipients (optional)</label>
        <input
          ref={recipientsRef}
          id={`${ids}-recipients`}
          type="text"
          inputMode="email"
          autoComplete="off"
          spellCheck={false}
          placeholder="ana@example.com, sam@example.com"
          value={recipients}
          data-test="report-params-recipients"
          aria-invalid={emailError ? true : undefined}
          aria-describedby={emailError ? `${emailHintId} ${emailErrorId}` : emailHintId}
          onChange={(e) => {
            setRecipients(e.target.value);
            setEmailError(null);
          }}
        />
        <p className="hint" id={emailHintId}>
          Separate addresses with commas (up to {MAX_RECIPIENTS}). We email them a link when the report is ready.
        </p>
        {emailError && (
          <p className="field-error" id={emailErrorId} data-test="report-params-recipients-error">
            {emailError}
          </p>
        )}
      </div>

      {submitError && (
        <p className="form-error" role="alert" data-test="report-params-error">
          {submitError}
        </p>
      )}

      <div className="form-actions">
        <button type="button" className="btn btn-ghost" onClick={onBack} disabled={pending}>
          Back
        </button>
        <button type="submit" className="btn btn-primary" data-test="report-submit-cta" disabled={pending} aria-busy={pending}>
          Generate report
        </button>
      </div>
    </form>
  );
}
