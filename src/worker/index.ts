import { z } from 'zod';
import { app } from './app';
import { serverClock, serverNow } from './clock';
import { checkConfig, misconfiguredResponse } from './config';
import { readOpsSettings } from './db/ops';
import type { Env, ReportJobMessage } from './env';
import { failDeadLetteredJob, runLifecycle } from './jobs/lifecycle';
import { runReportJob } from './jobs/runner';
import { errorFields, log } from './log';

const message = z.object({ job_id: z.string().regex(/^[a-z0-9]{1,64}$/) });

async function consumeReportJobs(batch: MessageBatch<ReportJobMessage>, env: Env): Promise<void> {
  if ((await readOpsSettings(env.DB)).runner_paused) {
    // Paused by an operator: leave the jobs queued. Retrying would walk the messages into the
    // dead-letter queue; resuming the runner re-sends every queued job instead.
    log('warn', 'queue.runner_paused', { messages: batch.messages.length });
    batch.ackAll();
    return;
  }
  for (const msg of batch.messages) {
    const body = message.safeParse(msg.body);
    if (!body.success) {
      log('warn', 'queue.malformed_message', { queue: batch.queue, message_id: msg.id });
      msg.ack();
      continue;
    }
    try {
      const outcome = await runReportJob(env, body.data.job_id);
      log('info', 'queue.message_done', { job_id: body.data.job_id, outcome, attempts: msg.attempts });
      msg.ack();
    } catch (err) {
      // Infrastructure trouble before the job could be failed (e.g. D1 unreachable): let the queue retry.
      log('error', 'queue.message_failed', { job_id: body.data.job_id, attempts: msg.attempts, ...errorFields(err) });
      msg.retry({ delaySeconds: Math.min(60, 2 ** msg.attempts) });
    }
  }
}

/** Messages that exhausted their retries: their jobs fail with a reason instead of lingering. */
async function consumeDeadLetters(batch: MessageBatch<ReportJobMessage>, env: Env): Promise<void> {
  const now = await serverClock(env);
  for (const msg of batch.messages) {
    const body = message.safeParse(msg.body);
    if (body.success) {
      const failed = await failDeadLetteredJob(env.DB, body.data.job_id, now());
      log('warn', 'queue.dead_letter', { job_id: body.data.job_id, failed });
    }
    msg.ack();
  }
}

export default {
  // Refused with a readable 503 while a required secret or var is missing (config.ts).
  async fetch(request, env, ctx) {
    const problems = checkConfig(env);
    if (problems.length > 0) return misconfiguredResponse(problems);
    return app.fetch(request, env, ctx);
  },
  // The runner needs no secret to write a file: jobs go on while the operator fixes the config, and
  // their emails wait in the outbox for the first cron tick that runs.
  async queue(batch, env) {
    if (batch.queue.endsWith('-dlq')) await consumeDeadLetters(batch, env);
    else await consumeReportJobs(batch, env);
  },
  async scheduled(_controller, env, ctx) {
    if (checkConfig(env).length > 0) return;
    // The server's clock, not controller.scheduledTime: locally the development clock may be moved.
    ctx.waitUntil(serverNow(env).then((now) => runLifecycle(env, now)));
  },
} satisfies ExportedHandler<Env, ReportJobMessage>;
