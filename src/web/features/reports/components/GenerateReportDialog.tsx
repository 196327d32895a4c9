import { type RefObject, useState } from 'react';
import { Dialog } from '../../../components/Dialog';
import type { Job } from '../api/types';
import { REPORT_CATALOG, type ReportTypeInfo } from '../catalog';
import { ReportParamsForm } from './ReportParamsForm';
import { ReportTypeCatalog } from './ReportTypeCatalog';

interface GenerateReportDialogProps {
  eventId: string;
  timeZone: string;
  returnFocusRef: RefObject<HTMLElement | null>;
  onClose: () => void;
  onCreated: (job: Job) => void;
}

/** "Generate new report": step 1 picks a report type, step 2 sets its parameters. */
export function GenerateReportDialog({ eventId, timeZone, returnFocusRef, onClose, onCreated }: GenerateReportDialogProps) {
  const [type, setType] = useState<ReportTypeInfo | null>(null);
  const [lastKey, setLastKey] = useState<string | null>(null);

  return (
    <Dialog
      title={type ? `${type.name} report — parameters` : 'Generate report'}
      testId="generate-report-modal"
      onClose={onClose}
      returnFocusRef={returnFocusRef}
    >
      {type ? (
        <ReportParamsForm
          key={type.key}
          eventId={eventId}
          timeZone={timeZone}
          type={type}
          onBack={() => setType(null)}
          onCreated={onCreated}
        />
      ) : (
        <ReportTypeCatalog
          types={REPORT_CATALOG}
          focusKey={lastKey}
          onSelect={(selected) => {
            setLastKey(selected.key);
            setType(selected);
          }}
        />
      )}
    </Dialog>
  );
}
