import { type KeyboardEvent, type Ref, useEffect, useId, useState } from 'react';
import { useDebounced } from '../../../lib/useDebounced';
import { type Recipient, tokenStart, useRecipientSuggestions } from '../api/recipients';

interface RecipientsFieldProps {
  id: string;
  eventId: string;
  /** The report type: only members who may read it are suggested (and accepted by the server). */
  typeKey: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  describedBy?: string;
  invalid?: boolean;
  placeholder?: string;
  inputRef?: Ref<HTMLInputElement>;
  /** Escape while no suggestion list is open (e.g. to close the surrounding form). */
  onEscape?: () => void;
}

const NONE: Recipient[] = [];

/** The value with the address being typed replaced by `email`, ready for the next one. */
function withChosen(value: string, email: string): string {
  const earlier = value.slice(0, tokenStart(value)).trimEnd();
  return `${earlier ? `${earlier} ` : ''}${email}, `;
}

/**
 * Comma-separated recipients, with the workspace's members who may read the report suggested as
 * one types (the ARIA combobox pattern: arrows move, Enter or a click picks, Escape closes).
 */
export function RecipientsField({
  id,
  eventId,
  typeKey,
  value,
  onChange,
  testId,
  describedBy,
  invalid,
  placeholder,
  inputRef,
  onEscape,
}: RecipientsFieldProps) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [focused, setFocused] = useState(false);
  // Asked a moment after typing pauses, and only while the field has focus.
  const found = useRecipientSuggestions(eventId, typeKey, useDebounced(focused ? value : undefined, 150));
  // Suggestions are a help, not a requirement: the server checks the addresses on submit.
  const suggestions = found.isError ? NONE : (found.data ?? NONE);

  // A new list starts with nothing picked.
  useEffect(() => {
    if (suggestions !== NONE) setActive(-1);
  }, [suggestions]);

  const choose = (recipient: Recipient) => {
    onChange(withChosen(value, recipient.email));
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' && suggestions.length > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((i) => (i + 1) % suggestions.length);
    } else if (event.key === 'ArrowUp' && open) {
      event.preventDefault();
      setActive((i) => (i <= 0 ? suggestions.length - 1 : i - 1));
    } else if (event.key === 'Enter' && open && active >= 0) {
      const picked = suggestions[active];
      if (picked) {
        event.preventDefault();
        choose(picked);
      }
    } else if (event.key === 'Escape') {
      if (open) {
        event.preventDefault();
        event.stopPropagation(); // close the list, not the dialog around it
        setOpen(false);
      } else onEscape?.();
    }
  };

  const optionId = (i: number) => `${listId}-option-${i}`;
  const expanded = open && suggestions.length > 0;

  return (
    <div className="combobox">
      <input
        ref={inputRef}
        id={id}
        type="text"
        inputMode="email"
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        value={value}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy}
        data-test={testId}
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true); // the list follows typing; focusing alone does not pop it up
        }}
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => {
          setFocused(false);
          setOpen(false);
        }}
      />
      <div id={listId} role="listbox" className="combobox-list" hidden={!expanded} data-test="recipient-suggestions">
        {suggestions.map((r, i) => (
          <div
            key={r.email}
            id={optionId(i)}
            role="option"
            // Focus stays in the field (aria-activedescendant); the option is never tabbed to.
            tabIndex={-1}
            aria-selected={i === active}
            className={i === active ? 'combobox-option combobox-option-active' : 'combobox-option'}
            data-test="recipient-suggestion"
            // Before the input's blur: keep focus in the field while picking with the mouse.
            onMouseDown={(e) => {
              e.preventDefault();
              choose(r);
            }}
          >
            <span className="combobox-option-name">{r.name}</span> <span className="muted small">{r.email}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
