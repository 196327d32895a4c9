import { NotFoundPage } from '../components/NotFoundPage';
import { InvitationPage } from '../features/auth/InvitationPage';
import { LoginPage } from '../features/auth/LoginPage';
import { RequireSession } from '../features/auth/session';
import { EventsPage } from '../features/events/EventsPage';
import { OpsPage } from '../features/ops/OpsPage';
import { OrdersPage } from '../features/orders/OrdersPage';
import { ReportCenterPage } from '../features/reports/components/ReportCenterPage';
import { ReportGatePage } from '../features/reports/components/ReportGatePage';
import { SettingsPage } from '../features/workspace/SettingsPage';
import { useLocation } from './router';

type Route =
  | { name: 'login' }
  | { name: 'invitation' }
  | { name: 'settings'; workspaceId: string }
  | { name: 'events' }
  | { name: 'reports'; eventId: string }
  | { name: 'orders'; eventId: string }
  | { name: 'report-gate' }
  | { name: 'ops' }
  | { name: 'not-found' };

const REPORTS_PATH = /^\/admin\/events\/([^/]+)\/reports\/?$/;
const ORDERS_PATH = /^\/admin\/events\/([^/]+)\/orders\/?$/;
const SETTINGS_PATH = /^\/admin\/workspaces\/([^/]+)\/settings\/?$/;

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export function matchRoute(pathname: string): Route {
  if (pathname === '/login' || pathname === '/login/') return { name: 'login' };
  if (pathname === '/invitation' || pathname === '/invitation/') return { name: 'invitation' };
  if (pathname === '/' || pathname === '/admin/events' || pathname === '/admin/events/') return { name: 'events' };
  if (pathname === '/admin/reports/new' || pathname === '/admin/reports/new/') return { name: 'report-gate' };
  if (pathname === '/admin/ops' || pathname === '/admin/ops/') return { name: 'ops' };
  const reports = REPORTS_PATH.exec(pathname);
  const eventId = reports?.[1] ? safeDecode(reports[1]) : null;
  if (eventId) return { name: 'reports', eventId };
  const orders = ORDERS_PATH.exec(pathname);
  const ordersEventId = orders?.[1] ? safeDecode(orders[1]) : null;
  if (ordersEventId) return { name: 'orders', eventId: ordersEventId };
  const settings = SETTINGS_PATH.exec(pathname);
  const workspaceId = settings?.[1] ? safeDecode(settings[1]) : null;
  if (workspaceId) return { name: 'settings', workspaceId };
  return { name: 'not-found' };
}

export function App() {
  const { pathname } = useLocation();
  const route = matchRoute(pathname);

  if (route.name === 'login') return <LoginPage />;
  if (route.name === 'invitation') return <InvitationPage />;
  if (route.name === 'not-found') return <NotFoundPage />;
  return (
    <RequireSession>
      {route.name === 'events' && <EventsPage />}
      {route.name === 'reports' && <ReportCenterPage key={route.eventId} eventId={route.eventId} />}
      {route.name === 'orders' && <OrdersPage key={route.eventId} eventId={route.eventId} />}
      {route.name === 'report-gate' && <ReportGatePage />}
      {route.name === 'ops' && <OpsPage />}
      {route.name === 'settings' && <SettingsPage key={route.workspaceId} workspaceId={route.workspaceId} />}
    </RequireSession>
  );
}
