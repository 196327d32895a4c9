import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { errorMessage } from '../../../api/client';
import { FormError } from '../../../components/Form';
import { useDebounced } from '../../../lib/useDebounced';
import { useReportEstimate } from '../api/estimate';
import { useCreateReportJob } from '../api/jobs';
import type { Job, JobParams, ReportFormat, ReportType } from '../api/types';
import { ALL_FORMATS } from '../catalog';
import { isIsoDate } from '../dates';
import { parseRecipients, RecipientsHint, recipientsError } from '../recipients';
import {
  buildFormModel,
  buildParams,
  type Field,
  type FieldValue,
  type FormValues,
  initialForm,
  validateFilters,
} from '../schemaForm';
import { DateRangeFieldset } from './DateRangeFieldset';
import { RecipientsField } from './RecipientsField';

export interface ParamsPrefill {
  params?: Partial<JobParams>;
  notifyEmails?: string[];
  /** Shown above the form, e.g. why the dates were narrowed. */
  notice?: string;
}

interface ReportParamsFormProps {
  eventId: string;
  timeZone: string;
  type: ReportType;
  prefill?: ParamsPrefill;
  onBack: () => void;
  onCreated: (job: Job) => void;
}

/** Step 2 of the dialog: the type's parameters (generated from its schema) and recipients; submits the job. */
export function ReportParamsForm({ eventId, timeZone, type, prefill, onBack, onCreated }: ReportParamsFormProps) {
  const ids = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const model = useMemo(() => buildFormModel(type), [type]);
  const [initial] = useState(() => initialForm(type, model, prefill?.params));
  const [dateFrom, setDateFrom] = useState(initial.dateFrom);
  const [dateTo, setDateTo] = useState(initial.dateTo);
  const [format, setFormat] = useState<ReportFormat>(initial.format);
  const [csvOptions, setCsvOptions] = useState(initial.csvOptions);
  const [values, setValues] = useState<FormValues>(initial.values);
  const [recipients, setRecipients] = useState(() => (prefill?.notifyEmails ?? []).join(', '));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useCreateReportJob(eventId);
  // After success the dialog closes; until then the form stays busy.
  const pending = create.isPending || create.isSuccess;
  const submitError = create.error ? errorMessage(create.error) : null;

  // What these parameters would come to, asked again a moment after they change: a request over
  // the type's ceiling would fail, and the organizer should know before submitting (they still may).
  const draft = JSON.stringify(buildParams(model, { format, dateFrom, dateTo, csvOptions, values }));
  const estimated = useReportEstimate(eventId, type.key, useDebounced(draft, 300));
  // An estimate that cannot be had (a field still invalid, a network blip) simply says nothing.
  const estimate = estimated.isError ? null : (estimated.data ?? null);

  const fieldId = (key: string) => `${ids}-f-${key}`;
  const errorId = (key: string) => `${ids}-e-${key}`;

  useEffect(() => {
    const first = formRef.current?.querySelector<HTMLElement>('input:not([disabled]), select, textarea');
    first?.focus();
  }, []);

  const clearError = (key: string) =>
    setErrors((prev) => {
      if (!(key in prev)) return prev;
      const { [key]: _removed, ...rest } = prev;
      return rest;
    });

  const setValue = (key: string, value: FieldValue) => {
    setValues((prev) => ({ ...prev, [key]: value }));
    clearError(key);
  };

  const validate = (): Record<string, string> => {
    const next: Record<string, string> = {};
    if (dateFrom && !isIsoDate(dateFrom)) next.date_from = 'Enter a date as YYYY-MM-DD.';
    if (dateTo && !isIsoDate(dateTo)) next.date_to = 'Enter a date as YYYY-MM-DD.';
    if (!next.date_from && !next.date_to && dateFrom && dateTo && dateFrom > dateTo)
      next.date_to = 'The end date must be on or after the start date.';
    Object.assign(next, validateFilters(model, values));
    const emailError = recipientsError(recipients);
    if (emailError) next.recipients = emailError;
    return next;
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const nextErrors = validate();
    setErrors(nextErrors);
    create.reset();
    const firstInvalid = Object.keys(nextErrors)[0];
    if (firstInvalid) {
      const target = document.getElementById(fieldId(firstInvalid));
      (target?.matches('fieldset') ? target.querySelector<HTMLElement>('input') : target)?.focus();
      return;
    }

    create.mutate(
      {
        type: type.key,
        params: buildParams(model, { format, dateFrom, dateTo, csvOptions, values }),
        notify_emails: parseRecipients(recipients).emails,
      },
      { onSuccess: (job) => onCreated(job) },
    );
  };

  const describedBy = (key: string, hintId?: string) =>
    [hintId, errors[key] ? errorId(key) : undefined].filter(Boolean).join(' ') || undefined;

  const emailHintId = `${ids}-email-hint`;

  return (
    <form ref={formRef} className="form" data-test="report-params-form" onSubmit={onSubmit} noValidate>
      {prefill?.notice && (
        <p className="notice notice-info" data-test="report-params-notice">
          {prefill.notice}
        </p>
      )}

      {(model.dateFrom || model.dateTo) && (
        <DateRangeFieldset
          fieldId={fieldId}
          errorId={errorId}
          ends={{ date_from: model.dateFrom, date_to: model.dateTo }}
          dateField={type.date_field}
          timeZone={timeZone}
          values={{ date_from: dateFrom, date_to: dateTo }}
          errors={errors}
          onChange={(key, value) => {
            (key === 'date_from' ? setDateFrom : setDateTo)(value);
            clearError(key);
          }}
        />
      )}

      <fieldset className="fieldset" data-test="report-params-format">
        <legend>Format</legend>
        <div className="radio-row">
          {ALL_FORMATS.map(({ value, label }) => {
            const available = model.formats.includes(value);
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
        {format === 'csv' &&
          model.csvSwitches.map((option) => (
            <div key={option.key} className="checkbox-field">
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={csvOptions[option.key] ?? option.default}
                  aria-describedby={`${ids}-${option.key}-hint`}
                  data-test={`report-params-${option.key.replaceAll('_', '-')}`}
                  onChange={(e) => setCsvOptions((prev) => ({ ...prev, [option.key]: e.target.checked }))}
                />
                <span>{option.label}</span>
              </label>
              {option.description && (
                <p className="hint" id={`${ids}-${option.key}-hint`}>
                  {option.description}
                </p>
              )}
            </div>
          ))}
      </fieldset>

      {model.filters.length > 0 && (
        <fieldset className="fieldset" data-test="report-params-filters">
          <legend>Filters</legend>
          {model.filters.map((field) => (
            <FilterField
              key={field.key}
              field={field}
              id={fieldId(field.key)}
              errorId={errorId(field.key)}
              error={errors[field.key] ?? null}
              value={values[field.key]}
              onChange={(value) => setValue(field.key, value)}
            />
          ))}
        </fieldset>
      )}

      <div className="field">
        <label htmlFor={fieldId('recipients')}>Email recipients (optional)</label>
        <RecipientsField
          id={fieldId('recipients')}
          eventId={eventId}
          typeKey={type.key}
          placeholder="Start typing a name or email"
          value={recipients}
          testId="report-params-recipients"
          invalid={Boolean(errors.recipients)}
          describedBy={describedBy('recipients', emailHintId)}
          onChange={(next) => {
            setRecipients(next);
            clearError('recipients');
          }}
        />
        <RecipientsHint id={emailHintId} />
        {errors.recipients && (
          <p className="field-error" id={errorId('recipients')} data-test="report-params-recipients-error">
            {errors.recipients}
          </p>
        )}
      </div>

      {estimate?.warning && (
        <p className="notice notice-warning" role="status" data-test="report-estimate-warning">
          {estimate.warning}
        </p>
      )}

      {submitError && <FormError testId="report-params-error">{submitError}</FormError>}

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

interface FilterFieldProps {
  field: Field;
  id: string;
  errorId: string;
  error: string | null;
  value: FieldValue | undefined;
  onChange: (value: FieldValue) => void;
}

function FilterField({ field, id, errorId, error, value, onChange }: FilterFieldProps) {
  const hintId = `${id}-hint`;
  const hint =
    field.kind === 'checkboxes' && !field.required
      ? (field.description ?? `Leave all unchecked to include every ${lowerFirst(field.label)}.`)
      : field.description;
  const describedBy = [hint ? hintId : undefined, error ? errorId : undefined].filter(Boolean).join(' ') || undefined;
  const optional = field.required ? '' : ' (optional)';
  const hintEl = hint ? (
    <p className="hint" id={hintId}>
      {hint}
    </p>
  ) : null;
  const errorEl = error ? (
    <p className="field-error" id={errorId}>
      {error}
    </p>
  ) : null;

  if (field.kind === 'checkboxes') {
    const chosen = Array.isArray(value) ? value : [];
    return (
      <fieldset
        className="fieldset fieldset-nested"
        id={id}
        aria-describedby={describedBy}
        data-test="report-params-field"
        data-field={field.key}
      >
        <legend>{field.label}</legend>
        <div className="checkbox-row">
          {field.options.map((option) => (
            <label key={option.value} className="checkbox">
              <input
                type="checkbox"
                value={option.value}
                checked={chosen.includes(option.value)}
                aria-invalid={error ? true : undefined}
                onChange={(e) =>
                  onChange(
                    e.target.checked ? [...chosen, option.value] : chosen.filter((candidate) => candidate !== option.value),
                  )
                }
              />
              <span>{option.label}</span>
            </label>
          ))}
        </div>
        {hintEl}
        {errorEl}
      </fieldset>
    );
  }

  if (field.kind === 'checkbox') {
    return (
      <div className="checkbox-field" data-test="report-params-field" data-field={field.key}>
        <label className="checkbox">
          <input
            id={id}
            type="checkbox"
            checked={value === true}
            aria-describedby={describedBy}
            onChange={(e) => onChange(e.target.checked)}
          />
          <span>{field.label}</span>
        </label>
        {hintEl}
        {errorEl}
      </div>
    );
  }

  const text = typeof value === 'string' ? value : '';
  return (
    <div className="field" data-test="report-params-field" data-field={field.key}>
      <label htmlFor={id}>
        {field.label}
        {optional && <span className="label-optional">{optional}</span>}
      </label>
      {field.kind === 'select' ? (
        <select
          id={id}
          value={text}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
        >
          {!field.required && <option value="">Any</option>}
          {field.required && text === '' && (
            <option value="" disabled>
              Choose…
            </option>
          )}
          {field.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          type={field.kind === 'number' ? 'number' : field.kind === 'date' ? 'date' : 'text'}
          inputMode={field.kind === 'number' ? (field.integer ? 'numeric' : 'decimal') : undefined}
          step={field.kind === 'number' && field.integer ? 1 : undefined}
          min={field.kind === 'number' && field.min !== null ? field.min : undefined}
          max={field.kind === 'number' && field.max !== null ? field.max : undefined}
          maxLength={field.kind === 'text' && field.maxLength !== null ? field.maxLength : undefined}
          value={text}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {hintEl}
      {errorEl}
    </div>
  );
}

/** "Ticket type" → "ticket type", but "RSVP status" stays. */
function lowerFirst(label: string): string {
  return /^[A-Z][A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}
