import { lazy, Suspense } from 'react';
import { Link } from '../../app/router';
import { AppShell } from '../../components/AppShell';
import { LoadingState } from '../../components/States';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useSession } from '../auth/session';

// The dashboard and its charting library load only for operators, in a chunk of their own, so the
// report center's bundle does not carry Chart.js.
const OpsDashboard = lazy(() => import('./OpsDashboard').then((m) => ({ default: m.OpsDashboard })));

/** /admin/ops: the operations dashboard, for platform operators; everyone else gets a plain answer. */
export function OpsPage() {
  const { user } = useSession();

  useDocumentTitle('Operations dashboard · Voyage Reports');

  return (
    <AppShell>
      <div className="page-header">
        <div>
          <h1 data-test="ops-h1">Operations dashboard</h1>
          <p className="muted">Queue health, job metrics and the rollback switches of the report engine.</p>
        </div>
      </div>
      {user.is_operator ? (
        <Suspense fallback={<LoadingState label="Loading the dashboard…" />}>
          <OpsDashboard />
        </Suspense>
      ) : (
        // No request is made for someone who may not see the figures: nothing to refuse, nothing logged.
        <div className="notice" data-test="ops-operators-only" role="status">
          <p>This page is for platform operators only. You don't have permission to see the operations dashboard.</p>
          <Link to="/admin/events">Go to your events</Link>
        </div>
      )}
    </AppShell>
  );
}
