import { env } from 'cloudflare:workers';
import type { Env } from '../src/worker/env';

/** One call across the storage or queue boundary, as the fault rule sees it. */
export interface BoundaryCall {
  /** 1-based position of this call among all boundary calls of the run. */
  n: number;
  kind: 'd1' | 'r2' | 'queue';
  op: string;
  sql?: string;
}

/** Return an Error to throw instead of making the call, or undefined to let it through. */
export type FaultRule = (call: BoundaryCall) => Error | undefined;

/** The runner's invocation vanished (the isolate died): thrown by a fault rule or a test hook. */
export class SimulatedCrash extends Error {}

export const injected = (what: string) => new Error(`injected fault: ${what}`);
export const killed = () => new SimulatedCrash('runner killed here');

/**
 * The real bindings with a fault rule in front of every D1 query, R2 call and queue send: the
 * boundary where production faults happen. `calls` records what went through, for counting.
 */
export function faultyEnv(rule: FaultRule): { env: Env; calls: BoundaryCall[] } {
  const calls: BoundaryCall[] = [];
  // Once killed, the runner is gone: nothing it tries afterwards (failing the job, cleaning up)
  // reaches the database or the bucket.
  let dead = false;
  const gate = (call: Omit<BoundaryCall, 'n'>) => {
    if (dead) throw killed();
    const full = { ...call, n: calls.length + 1 };
    calls.push(full);
    const fault = rule(full);
    if (fault instanceof SimulatedCrash) dead = true;
    if (fault) throw fault;
  };

  const REAL = Symbol('real statement');
  type Wrapped = D1PreparedStatement & { [REAL]?: D1PreparedStatement };
  const wrapStatement = (stmt: D1PreparedStatement, sql: string): Wrapped =>
    new Proxy(stmt, {
      get(target, prop) {
        if (prop === REAL) return target;
        if (prop === 'bind') return (...values: unknown[]) => wrapStatement(target.bind(...values), sql);
        const value = Reflect.get(target, prop);
        if (typeof value !== 'function') return value;
        if (prop === 'first' || prop === 'run' || prop === 'all' || prop === 'raw') {
          return async (...args: unknown[]) => {
            gate({ kind: 'd1', op: String(prop), sql });
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return value.bind(target);
      },
    }) as Wrapped;

  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => wrapStatement(target.prepare(sql), sql);
      if (prop === 'batch') {
        return async (stmts: Wrapped[]) => {
          gate({ kind: 'd1', op: 'batch', sql: stmts.length ? 'batch' : '' });
          return target.batch(stmts.map((s) => s[REAL] ?? s));
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

  const wrapUpload = (upload: R2MultipartUpload): R2MultipartUpload => ({
    key: upload.key,
    uploadId: upload.uploadId,
    uploadPart: async (n: number, value: Parameters<R2MultipartUpload['uploadPart']>[1]) => {
      gate({ kind: 'r2', op: `uploadPart(${n})` });
      return upload.uploadPart(n, value);
    },
    abort: async () => {
      gate({ kind: 'r2', op: 'abort' });
      return upload.abort();
    },
    complete: async (parts: R2UploadedPart[]) => {
      gate({ kind: 'r2', op: 'complete' });
      return upload.complete(parts);
    },
  });

  const bucket = new Proxy(env.REPORTS_BUCKET, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      if (prop === 'createMultipartUpload') {
        return async (key: string, options?: R2MultipartOptions) => {
          gate({ kind: 'r2', op: 'createMultipartUpload' });
          return wrapUpload(await target.createMultipartUpload(key, options));
        };
      }
      if (prop === 'resumeMultipartUpload') return (key: string, id: string) => wrapUpload(target.resumeMultipartUpload(key, id));
      return async (...args: unknown[]) => {
        gate({ kind: 'r2', op: String(prop) });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });

  const queue = new Proxy(env.REPORT_JOBS, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        gate({ kind: 'queue', op: String(prop) });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });

  const faulty = Object.assign(Object.create(null), env, { DB: db, REPORTS_BUCKET: bucket, REPORT_JOBS: queue }) as Env;
  return { env: faulty, calls };
}
