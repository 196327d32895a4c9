import { z } from 'zod';
import { requireOperator, requireUser } from '../auth/session';
import { insertAuditStatement } from '../db/audit';
import { listQueuedJobIds } from '../db/jobs';
import { readOpsSettings, updateOpsSettingsStatement } from '../db/ops';
import { log } from '../log';
import { jobExample } from '../openapi/examples';
import { components, defineRoute, json, jsonRequest, Routes } from '../openapi/route';
import { jsonBody } from '../validate';

export const settingsBody = z.strictObject({
  runner_paused: z.boolean().optional(),
  new_requests_disabled: z.boolean().optional(),
});

/** The rollback levers of docs/spec/orders-export-spec-packet.txt: pause the runner, refuse new requests. */
export const opsRoutes = new Routes();
opsRoutes.use(requireUser, requireOperator);
opsRoutes
  .handle(
    defineRoute({
      method: 'get',
      path: '/settings',
      tags: ['Operations'],
      summary: 'The operator switches',
      auth: 'operator',
      responses: {
        200: json(components.OpsSettings, {
          runner_paused: false,
          new_requests_disabled: false,
          updated_by: null,
          updated_at: 0,
        }),
      },
    }),
    async (c) => c.json(await readOpsSettings(c.env.DB)),
  )
  .handle(
    defineRoute({
      method: 'put',
      path: '/settings',
      tags: ['Operations'],
      summary: 'Pause the runner or refuse new requests',
      description:
        'The rollback levers (docs/runbook.md). Writes an audit entry. Resuming the runner re-queues every queued job. Omitted fields keep their value.',
      auth: 'operator',
      request: { body: jsonRequest(settingsBody, { runner_paused: true }) },
      errors: [400],
      responses: {
        200: json(components.OpsSettings, {
          runner_paused: true,
          new_requests_disabled: false,
          updated_by: 'uadmin',
          updated_at: jobExample.created_at,
        }),
      },
    }),
    async (c) => {
      const body = await jsonBody(c, settingsBody);
      const before = await readOpsSettings(c.env.DB);
      const next = {
        runner_paused: body.runner_paused ?? before.runner_paused,
        new_requests_disabled: body.new_requests_disabled ?? before.new_requests_disabled,
      };
      const now = c.get('now');
      const user = c.get('user');
      await c.env.DB.batch([
        updateOpsSettingsStatement(c.env.DB, { ...next, updated_by: user.id, now }),
        insertAuditStatement(c.env.DB, {
          workspace_id: '*',
          actor_user_id: user.id,
          action: 'ops.settings_changed',
          subject_type: 'ops_settings',
          subject_id: '1',
          detail: {
            before: { runner_paused: before.runner_paused, new_requests_disabled: before.new_requests_disabled },
            after: next,
          },
          now,
        }),
      ]);
      log('warn', 'ops.settings_changed', { user_id: user.id, ...next });
      // A paused runner acked its messages and left the jobs queued: hand them back to the queue.
      if (before.runner_paused && !next.runner_paused) {
        const ids = await listQueuedJobIds(c.env.DB);
        for (let i = 0; i < ids.length; i += 100) {
          await c.env.REPORT_JOBS.sendBatch(ids.slice(i, i + 100).map((id) => ({ body: { job_id: id } })));
        }
        log('info', 'ops.runner_resumed', { requeued: ids.length });
      }
      return c.json(await readOpsSettings(c.env.DB));
    },
  );
