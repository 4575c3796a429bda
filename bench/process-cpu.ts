import fs from 'node:fs';
import os from 'node:os';

// Where the CPU goes during a measured run, from /proc (Linux): each process of the server (the
// primary, each web worker, the jobs worker), the load generator (this process: autocannon runs
// in it unless given workers of its own, which are threads of it), everything else on the
// machine, and idle. In percent of one core over the run, so on 2 cores they add up to 200.

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function processTicks(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function isJobsWorker(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes('COSPONSOR_JOBS_WORKER=1');
  } catch {
    return false;
  }
}

/** Busy and total ticks of the whole machine (all cores). */
function machineTicks(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.split(/\s+/).slice(1, 9).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy, total: busy + idle! + iowait! };
}

type Roles = Map<number, string>;

function rolesOf(serverPid: number): Roles {
  const roles: Roles = new Map([[serverPid, 'primary']]);
  const children = childrenOf(serverPid);
  let web = 0;
  for (const pid of children) roles.set(pid, isJobsWorker(pid) ? 'jobs' : `web${++web}`);
  // A single process (WEB_CONCURRENCY=1) serves and runs the jobs itself.
  if (children.length === 0) roles.set(serverPid, 'server');
  return roles;
}

/** Starts counting; the returned function stops and gives the split, one entry per role, in % of one core. */
export function startCpuSplit(serverPid: number): () => Record<string, number> {
  if (!fs.existsSync('/proc/self/stat')) return () => ({});
  const roles = rolesOf(serverPid);
  const before = new Map([...roles.keys()].map((pid) => [pid, processTicks(pid) ?? 0]));
  const self = processTicks(process.pid) ?? 0;
  const machine = machineTicks();
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const pct = (ticks: number) => Math.round((ticks / TICKS_PER_SECOND / seconds) * 1000) / 10;
    const split: Record<string, number> = {};
    let ours = 0;
    for (const [pid, role] of roles) {
      const ticks = (processTicks(pid) ?? before.get(pid)!) - before.get(pid)!;
      split[role] = pct(ticks);
      ours += ticks;
    }
    const loadgen = (processTicks(process.pid) ?? self) - self;
    split.loadgen = pct(loadgen);
    ours += loadgen;
    const now = machineTicks();
    // /proc/stat counts in the same USER_HZ ticks, summed over the cores.
    split.others = Math.max(0, pct(now.busy - machine.busy - ours));
    split.idle = pct(now.total - machine.total - (now.busy - machine.busy));
    split.cores = os.availableParallelism();
    return split;
  };
}

export const formatCpuSplit = (split: Record<string, number>) =>
  Object.entries(split)
    .map(([role, value]) => (role === 'cores' ? `cores=${value}` : `${role}=${value}%`))
    .join(' ');
