import { type RefObject, useState } from 'react';
import { Dialog } from '../../../components/Dialog';
import { ErrorNotice, LoadingState } from '../../../components/States';
import type { Job, ReportType } from '../api/types';
import type { CatalogState } from '../api/useReportCatalog';
import { type ParamsPrefill, ReportParamsForm } from './ReportParamsForm';
import { ReportTypeCatalog } from './ReportTypeCatalog';

/** "Specialized ticketing report — parameters", not "… report report". */
export function reportTitle(name: string): string {
  return /\breports?$/i.test(name) ? name : `${name} report`;
}

export interface DialogStart {
  /** Open straight on this type's parameters (deep link, narrowed re-run). */
  typeKey?: string;
  prefill?: ParamsPrefill;
}

interface GenerateReportDialogProps {
  eventId: string;
  /** Named in the dialog: the report is about this event. */
  eventName: string;
  timeZone: string;
  catalog: CatalogState;
  start: DialogStart;
  returnFocusRef: RefObject<HTMLElement | null>;
  onClose: () => void;
  onCreated: (job: Job) => void;
}

/** "Generate new report": step 1 picks a report type from the (server-filtered) catalog, step 2 sets its parameters. */
export function GenerateReportDialog({
  eventId,
  eventName,
  timeZone,
  catalog,
  start,
  returnFocusRef,
  onClose,
  onCreated,
}: GenerateReportDialogProps) {
  const [chosenKey, setChosenKey] = useState<string | null>(start.typeKey ?? null);
  const [prefill, setPrefill] = useState<ParamsPrefill | undefined>(start.prefill);
  const [lastKey, setLastKey] = useState<string | null>(start.typeKey ?? null);
  const type: ReportType | null = catalog.types.find((t) => t.key === chosenKey) ?? null;

  return (
    <Dialog
      title={type ? `${reportTitle(type.name)} — parameters` : 'Generate report'}
      testId="generate-report-modal"
      onClose={onClose}
      returnFocusRef={returnFocusRef}
    >
      <p className="dialog-event muted" data-test="report-dialog-event">
        Event: <strong>{eventName}</strong>
      </p>
      {type ? (
        <ReportParamsForm
          key={type.key}
          eventId={eventId}
          timeZone={timeZone}
          type={type}
          prefill={prefill}
          onBack={() => {
            setChosenKey(null);
            setPrefill(undefined);
          }}
          onCreated={onCreated}
        />
      ) : catalog.status === 'loading' ? (
        <LoadingState label="Loading report types…" />
      ) : catalog.status === 'error' ? (
        <ErrorNotice>{catalog.message}</ErrorNotice>
      ) : catalog.types.length === 0 ? (
        <p className="notice" data-test="report-type-catalog-empty">
          No report types are available to you for this event. Ask a workspace admin for access.
        </p>
      ) : (
        <ReportTypeCatalog
          types={catalog.types}
          focusKey={lastKey}
          onSelect={(selected) => {
            setLastKey(selected.key);
            setChosenKey(selected.key);
          }}
        />
      )}
    </Dialog>
  );
}
