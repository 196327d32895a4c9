import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { ConfirmDialog } from '../../components/Dialog';
import { formatDateTime } from '../../lib/format';
import { type OpsSwitches, type SwitchName, useUpdateSwitch } from './api/overview';

interface SwitchCopy {
  title: string;
  on: { action: string; pill: string; confirm: string; effect: string };
  off: { action: string; pill: string; confirm: string; effect: string };
}

// What each switch does, in the words of docs/runbook.md's rollback decision.
const COPY: Record<SwitchName, SwitchCopy> = {
  runner_paused: {
    title: 'Report runner',
    on: {
      action: 'Pause runner',
      pill: 'running',
      confirm: 'Pause the report runner?',
      effect:
        'Queued reports wait and nothing new is generated; a report already running finishes its current step. New requests are still accepted, and completed files stay downloadable.',
    },
    off: {
      action: 'Resume runner',
      pill: 'paused',
      confirm: 'Resume the report runner?',
      effect: 'Every queued report is sent to the queue again and generated in order.',
    },
  },
  new_requests_disabled: {
    title: 'New report requests',
    on: {
      action: 'Disable new requests',
      pill: 'accepted',
      confirm: 'Disable new report requests?',
      effect:
        'Generate report, Retry, Re-run and large orders exports are refused with a message; queued and running reports finish, and completed files stay downloadable.',
    },
    off: {
      action: 'Enable new requests',
      pill: 'refused',
      confirm: 'Enable new report requests?',
      effect: 'Organizers can ask for reports again.',
    },
  },
};

const NAMES: SwitchName[] = ['runner_paused', 'new_requests_disabled'];

/** The two rollback levers, each behind a confirmation; the Worker writes the audit entry. */
export function SwitchPanel({ settings }: { settings: OpsSwitches }) {
  const [pending, setPending] = useState<SwitchName | null>(null);
  const update = useUpdateSwitch();
  const saving = update.isPending;
  const error = update.error ? errorMessage(update.error) : null;

  const close = () => {
    setPending(null);
    update.reset();
  };

  // The figures refresh with the new switches (the mutation invalidates them).
  const confirm = () => {
    if (!pending) return;
    update.mutate({ name: pending, value: !settings[pending] }, { onSuccess: () => setPending(null) });
  };

  const copy = pending ? (settings[pending] ? COPY[pending].off : COPY[pending].on) : null;

  return (
    <section className="card ops-switches" aria-labelledby="ops-switches-title" data-test="ops-switches">
      <h2 id="ops-switches-title" className="ops-section-title">
        Switches
      </h2>
      <ul className="ops-switch-list">
        {NAMES.map((name) => {
          const on = settings[name];
          const c = on ? COPY[name].off : COPY[name].on;
          return (
            <li key={name} className="ops-switch" data-test={`ops-switch-${name}`} data-state={on ? 'on' : 'off'}>
              <div>
                <span className="ops-switch-title">{COPY[name].title}</span>{' '}
                <span className={`pill ${on ? 'pill-failed' : 'pill-completed'}`} data-test="ops-switch-state">
                  {c.pill}
                </span>
              </div>
              <button
                type="button"
                className={on ? 'btn btn-primary btn-small' : 'btn btn-secondary btn-small'}
                onClick={() => setPending(name)}
                data-test={`ops-switch-${name}-toggle`}
              >
                {c.action}
              </button>
            </li>
          );
        })}
      </ul>
      <p className="muted small" data-test="ops-switches-updated">
        {settings.updated_at > 0
          ? `Last changed ${formatDateTime(settings.updated_at)}${settings.updated_by_name ? ` by ${settings.updated_by_name}` : ''}. Every change is recorded in the audit log.`
          : 'Never changed. Every change is recorded in the audit log.'}
      </p>
      {pending && copy && (
        // Focus returns to the switch's button, the element focused when the dialog opened.
        <ConfirmDialog
          title={copy.confirm}
          onClose={close}
          testId="ops-confirm-dialog"
          error={error}
          busy={saving}
          confirmLabel={saving ? 'Saving…' : copy.action}
          confirmTestId="ops-confirm-cta"
          onConfirm={confirm}
        >
          <p>{copy.effect}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
