/**
 * How our commits are recognised: git trailers at the end of the commit message saying which
 * request (a hash of it), by whom and from which task. A branch whose head commit lacks them was
 * not written by us, and is never overwritten; an open pull request whose head carries another
 * request is someone else's, and is never rewritten.
 */
import {
  REQUEST_TRAILER,
  REQUESTER_TRAILER,
  TASK_TRAILER,
  type EnvironmentRequest,
} from '@aks-gitops/plugin-aks-gitops-common';
import { createHash } from 'node:crypto';

/**
 * The git trailers that mark a commit as ours: the request's hash, its requester and its task.
 *
 * @public
 */
export interface RequestMark {
  /** sha256 (hex) of the validated, defaulted request, keys sorted. */
  request: string;
  /** The task's initiator, e.g. `user:default/alice`; absent when the task has none. */
  requester?: string;
  task: string;
}

export function requestMark(
  request: EnvironmentRequest,
  task: string,
  requester: string | undefined,
): RequestMark {
  return operationMark(request, task, requester);
}

/**
 * The mark of what a pull request asks for when that is not an environment request (a
 * decommission phase: the cluster, the phase and its changes); hashed as a request is.
 */
export function operationMark(
  what: object,
  task: string,
  requester: string | undefined,
): RequestMark {
  return {
    request: requestHash(what),
    task,
    ...(requester ? { requester } : {}),
  };
}

/** The same request gives the same hash whatever the order of its keys. */
export function requestHash(request: object): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined,
    );
    return `{${entries
      .sort(([a], [b]) => {
        if (a < b) return -1;
        return a > b ? 1 : 0;
      })
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `message`, a blank line, then the trailers: the last paragraph of the commit message. */
export function withMark(message: string, mark: RequestMark): string {
  const oneLine = (value: string) => value.replace(/\s+/g, '');
  const trailers = [
    `${REQUEST_TRAILER}: ${mark.request}`,
    ...(mark.requester
      ? [`${REQUESTER_TRAILER}: ${oneLine(mark.requester)}`]
      : []),
    `${TASK_TRAILER}: ${oneLine(mark.task)}`,
  ];
  return `${message.trimEnd()}\n\n${trailers.join('\n')}\n`;
}

/** Our mark from a commit message, or undefined when its last paragraph is not our trailers. */
export function readMark(message: string): RequestMark | undefined {
  const paragraphs = message.trim().split(/\n[ \t]*\n/);
  const last =
    paragraphs.length > 1 ? paragraphs[paragraphs.length - 1] : undefined;
  if (last === undefined) return undefined;
  const trailers = new Map<string, string>();
  for (const line of last.split('\n')) {
    const match = /^([A-Za-z][A-Za-z0-9-]*): (\S+)$/.exec(line.trim());
    if (!match?.[1] || !match[2]) return undefined;
    trailers.set(match[1], match[2]);
  }
  const request = trailers.get(REQUEST_TRAILER);
  const task = trailers.get(TASK_TRAILER);
  if (!request || !/^[0-9a-f]{64}$/.test(request) || !task) return undefined;
  const requester = trailers.get(REQUESTER_TRAILER);
  return { request, task, ...(requester ? { requester } : {}) };
}

/** A re-run of the same request: the same task, or the same requester asking for the same thing. */
export function isSameRequest(theirs: RequestMark, ours: RequestMark): boolean {
  if (theirs.task === ours.task) return true;
  return (
    ours.requester !== undefined &&
    theirs.requester === ours.requester &&
    theirs.request === ours.request
  );
}
