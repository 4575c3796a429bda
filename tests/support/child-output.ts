import type { ChildProcess } from 'node:child_process';

// What a server process started by a test prints, and a wait for a line in it: its stdout and
// stderr together, as an operator would read them.

export type ChildOutput = {
  output: () => string;
  /** Resolves with the first `times` matches of `pattern` once they are printed; rejects after `ms`. */
  waitFor: (pattern: RegExp, times: number, ms: number) => Promise<RegExpMatchArray[]>;
};

/** Every match of `pattern` in `text` (global whatever its flags). */
export function matches(text: string, pattern: RegExp): RegExpMatchArray[] {
  return [...text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))];
}

export function watchOutput(child: ChildProcess): ChildOutput {
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    output += d.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const waitFor: ChildOutput['waitFor'] = (pattern, times, ms) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = matches(output, pattern);
        if (found.length < times) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`Not seen ${times} × ${pattern} within ${ms} ms:\n${output}`));
      }, ms);
      listeners.add(check);
      check();
    });
  return { output: () => output, waitFor };
}
