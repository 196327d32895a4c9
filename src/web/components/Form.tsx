import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from 'react';

interface FieldProps {
  label: ReactNode;
  /** The box's class: `field` unless the place styles its fields otherwise (`job-filter`). */
  className?: string;
  testId?: string;
  value: string;
  onChange: (value: string) => void;
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className' | 'value' | 'onChange' | 'aria-describedby'>;

/** A labelled input; a hint, when given, is shown under it and describes it. */
export function TextField({
  label,
  hint,
  className = 'field',
  testId,
  value,
  onChange,
  ...input
}: FieldProps & InputProps & { hint?: ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        {...input}
        aria-describedby={hint ? hintId : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-test={testId}
      />
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}

export interface SelectOption {
  value: string;
  label: string;
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'className' | 'value' | 'onChange' | 'children'>;

/** A labelled select; `anyLabel` names a first option with the empty value ("All statuses"). */
export function SelectField({
  label,
  className = 'field',
  testId,
  value,
  onChange,
  options,
  anyLabel,
  ...select
}: FieldProps & SelectProps & { options: readonly SelectOption[]; anyLabel?: string }) {
  const id = useId();
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      <select id={id} {...select} value={value} onChange={(e) => onChange(e.target.value)} data-test={testId}>
        {anyLabel !== undefined && <option value="">{anyLabel}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The error of a whole form (its submit failed), read out when it appears. */
export function FormError({ id, testId, children }: { id?: string; testId?: string; children: ReactNode }) {
  return (
    <p className="form-error" role="alert" id={id} data-test={testId}>
      {children}
    </p>
  );
}
