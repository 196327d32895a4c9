import { useId } from 'react';

type DateKey = 'date_from' | 'date_to';

const LABELS: Record<DateKey, string> = { date_from: 'Date from', date_to: 'Date to' };

/**
 * The report form's optional date range, in the event's zone. Its inputs carry the form's ids
 * (`fieldId`, `errorId`), so the form can focus the first invalid one.
 */
export function DateRangeFieldset({
  fieldId,
  errorId,
  ends,
  dateField,
  timeZone,
  values,
  errors,
  onChange,
}: {
  fieldId: (key: DateKey) => string;
  errorId: (key: DateKey) => string;
  /** Which ends the report type takes. */
  ends: Record<DateKey, boolean>;
  /** What the range filters on ("Registered at"), as the catalog names it. */
  dateField: string;
  timeZone: string;
  values: Record<DateKey, string>;
  errors: Record<string, string>;
  onChange: (key: DateKey, value: string) => void;
}) {
  const hintId = useId();
  const keys = (['date_from', 'date_to'] as const).filter((key) => ends[key]);
  return (
    <fieldset className="fieldset">
      <legend>Date range (optional)</legend>
      <p className="hint" id={hintId}>
        {`${dateField ? `Filters on ${dateField.toLowerCase()}. ` : ''}Inclusive, in the event's time zone (${timeZone}). Leave empty for all dates.`}
      </p>
      <div className="field-row">
        {keys.map((key) => (
          <div className="field" key={key}>
            <label htmlFor={fieldId(key)}>{LABELS[key]}</label>
            <input
              id={fieldId(key)}
              name={key}
              type="date"
              value={values[key]}
              // The picker keeps the two ends in order.
              min={key === 'date_to' ? values.date_from || undefined : undefined}
              max={key === 'date_from' ? values.date_to || undefined : undefined}
              aria-invalid={errors[key] ? true : undefined}
              aria-describedby={[hintId, errors[key] ? errorId(key) : undefined].filter(Boolean).join(' ')}
              data-test={`report-params-${key.replace('_', '-')}`}
              onChange={(e) => onChange(key, e.target.value)}
            />
          </div>
        ))}
      </div>
      {keys.map((key) =>
        errors[key] ? (
          <p key={key} className="field-error" id={errorId(key)}>
            {errors[key]}
          </p>
        ) : null,
      )}
    </fieldset>
  );
}
