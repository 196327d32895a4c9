import { useEffect, useRef } from 'react';
import type { ReportType } from '../api/types';

interface ReportTypeCatalogProps {
  types: readonly ReportType[];
  /** The card to focus on mount (the one chosen before going back), else the first. */
  focusKey: string | null;
  onSelect: (type: ReportType) => void;
}

/** Step 1 of the dialog: one card (a button) per report type. */
export function ReportTypeCatalog({ types, focusKey, onSelect }: ReportTypeCatalogProps) {
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    const cards = listRef.current?.querySelectorAll<HTMLButtonElement>('[data-test="report-type-card"]');
    if (!cards) return;
    const target = Array.from(cards).find((card) => card.dataset.typeKey === focusKey) ?? cards[0];
    target?.focus();
  }, [focusKey]);

  return (
    <>
      <p className="muted dialog-intro">Choose the report to generate. You can set dates and recipients next.</p>
      <ul className="type-catalog" data-test="report-type-catalog" aria-label="Report types" ref={listRef}>
        {types.map((type) => (
          <li key={type.key}>
            <button
              type="button"
              className="type-card"
              data-test="report-type-card"
              data-type-key={type.key}
              onClick={() => onSelect(type)}
            >
              <span className="type-card-name">{type.name}</span>
              <span className="type-card-description">{type.description}</span>
              <span className="type-card-formats">
                {type.formats.map((f) => (
                  <span key={f} className="format-badge">
                    {f.toUpperCase()}
                  </span>
                ))}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
