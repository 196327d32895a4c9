// The workerd processes that serve the app, and their resident memory, read from /proc.

import { readdirSync, readFileSync } from 'node:fs';

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may contain spaces and parentheses, so split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[1]);
  } catch {
    return null;
  }
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Every process below `root` (children, grandchildren …). */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const parent = parentOf(pid);
    if (parent === null) continue;
    const list = children.get(parent) ?? [];
    list.push(pid);
    children.set(parent, list);
  }
  const out: number[] = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** The workerd processes started (directly or through wrangler's own child node process) by `root`. */
export function workerdPids(root: number): number[] {
  return descendants(root).filter((pid) => commOf(pid) === 'workerd');
}

/** VmRSS and its anonymous part (heaps; RssFile is mapped files such as the SQLite database), bytes. */
export function rss(pid: number): { total: number; anon: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { total: kb('VmRSS'), anon: kb('RssAnon') };
  } catch {
    return { total: 0, anon: 0 };
  }
}

export interface MemoryWindow {
  baseline_bytes: number;
  peak_bytes: number;
  extra_bytes: number;
  /** The same for RssAnon alone. */
  anon_baseline_bytes: number;
  anon_peak_bytes: number;
  anon_extra_bytes: number;
  samples: number;
}

interface Sample {
  at: number;
  total: number;
  anon: number;
}

/** Samples the summed RSS of some processes every `intervalMs`, from now until `stop()`. */
export class RssSampler {
  private readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pids: readonly number[],
    private readonly intervalMs = 50,
  ) {}

  private sample(): Sample {
    const s = { at: Date.now(), total: 0, anon: 0 };
    for (const pid of this.pids) {
      const r = rss(pid);
      s.total += r.total;
      s.anon += r.anon;
    }
    return s;
  }

  start(): this {
    this.samples.push(this.sample());
    this.timer = setInterval(() => this.samples.push(this.sample()), this.intervalMs);
    return this;
  }

  /** Stop sampling: baseline is the median of the samples taken before `activeFrom`, peak the max after it. */
  stop(activeFrom: number): MemoryWindow {
    clearInterval(this.timer);
    this.samples.push(this.sample());
    const window = (key: 'total' | 'anon') => {
      const before = this.samples.filter((s) => s.at < activeFrom).map((s) => s[key]);
      const during = this.samples.filter((s) => s.at >= activeFrom).map((s) => s[key]);
      const sorted = [...before].sort((a, b) => a - b);
      const baseline = sorted[Math.floor(sorted.length / 2)] ?? this.samples[0]?.[key] ?? 0;
      const peak = Math.max(baseline, ...during);
      return { baseline, peak, extra: peak - baseline };
    };
    const total = window('total');
    const anon = window('anon');
    return {
      baseline_bytes: total.baseline,
      peak_bytes: total.peak,
      extra_bytes: total.extra,
      anon_baseline_bytes: anon.baseline,
      anon_peak_bytes: anon.peak,
      anon_extra_bytes: anon.extra,
      samples: this.samples.length,
    };
  }
}

/** User + system CPU time of a process (all its threads), in seconds; 0 for a process that is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 0, utime field 11, stime field 12 (in clock ticks).
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** getconf CLK_TCK: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

export function totalCpuSeconds(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) total += cpuSeconds(pid);
  return total;
}
