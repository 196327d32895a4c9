import { useEffect } from 'react';
import { Link } from '../../app/router';
import { AppShell } from '../../components/AppShell';
import { useSession } from '../auth/session';

/** /admin/ops: the operations dashboard (a placeholder until its own issue builds it). */
export function OpsPage() {
  const { user } = useSession();

  useEffect(() => {
    document.title = 'Operations dashboard · Voyage Reports';
  }, []);

  return (
    <AppShell>
      <div className="page-header">
        <div>
          <h1 data-test="ops-h1">Operations dashboard</h1>
          <p className="muted">Queue health, job metrics and the rollback switches of the report engine.</p>
        </div>
      </div>
      {user.is_operator ? (
        <p className="notice" data-test="ops-placeholder">
          The dashboard is on its way. Until then, the switches are available through the API at /v1/admin/ops/settings.
        </p>
      ) : (
        <div className="notice" data-test="ops-operators-only">
          <p>This page is for platform operators only.</p>
          <Link to="/admin/events">Go to your events</Link>
        </div>
      )}
    </AppShell>
  );
}
