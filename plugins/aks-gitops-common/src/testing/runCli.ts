import { main } from '../cli';

/** Runs the CLI's main in-process with its console output captured: exit code, stdout, stderr. */
export function runCli(args: string[]): {
  code: number;
  stdout: string;
  stderr: string;
} {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest
    .spyOn(console, 'log')
    .mockImplementation((line: string) => void out.push(line));
  const error = jest
    .spyOn(console, 'error')
    .mockImplementation((line: string) => void err.push(line));
  try {
    return { code: main(args), stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}
