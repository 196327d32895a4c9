import { Link } from '../app/router';
import { useDocumentTitle } from '../lib/useDocumentTitle';

export function NotFoundPage() {
  useDocumentTitle('Page not found · Voyage Reports');

  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Page not found</h1>
        <p className="muted">There is nothing at this address.</p>
        <Link to="/" className="btn btn-primary">
          Go to home
        </Link>
      </div>
    </main>
  );
}
