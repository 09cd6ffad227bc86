import { parseEnvironmentRequest } from '@aks-gitops/plugin-aks-gitops-common';
import {
  isSameRequest,
  readMark,
  requestHash,
  requestMark,
  withMark,
} from './requestMark';
import { exampleEnvironment } from './actions/exampleEnvironment';

const request = parseEnvironmentRequest(exampleEnvironment);

describe('request marks', () => {
  it('hashes the same request the same way whatever the order of its keys', () => {
    const reordered = Object.fromEntries(
      Object.entries(exampleEnvironment).reverse(),
    );
    expect(requestHash(parseEnvironmentRequest(reordered))).toBe(
      requestHash(request),
    );
  });

  it('hashes a changed request differently', () => {
    expect(
      requestHash(
        parseEnvironmentRequest({
          ...exampleEnvironment,
          owner: 'group:default/other-team',
        }),
      ),
    ).not.toBe(requestHash(request));
  });

  it('reads back the mark it writes', () => {
    const mark = requestMark(request, 'task-1', 'user:default/alice');
    expect(
      readMark(
        withMark('Create AKS environment x\n\nRendered by aks-gitops.', mark),
      ),
    ).toEqual(mark);
  });

  it('reads no mark from a message whose last paragraph is not only our trailers', () => {
    const mark = requestMark(request, 'task-1', 'user:default/alice');
    expect(
      readMark(`${withMark('Title', mark)}\nA line added below the trailers`),
    ).toBeUndefined();
    expect(readMark("Someone else's commit")).toBeUndefined();
    expect(
      readMark('Title\n\nAks-Gitops-Request: not-a-hash\nAks-Gitops-Task: t'),
    ).toBeUndefined();
  });

  it('calls a re-run the same request: same task, or same requester and same hash', () => {
    const alice = requestMark(request, 'task-1', 'user:default/alice');
    expect(isSameRequest(alice, { ...alice, request: 'f'.repeat(64) })).toBe(
      true,
    );
    expect(isSameRequest(alice, { ...alice, task: 'task-2' })).toBe(true);
    expect(
      isSameRequest(alice, {
        ...alice,
        task: 'task-2',
        requester: 'user:default/bob',
      }),
    ).toBe(false);
    expect(
      isSameRequest(alice, {
        ...alice,
        task: 'task-2',
        request: 'f'.repeat(64),
      }),
    ).toBe(false);
  });

  it('never matches two tasks without a requester', () => {
    const anonymous = requestMark(request, 'task-1', undefined);
    expect(isSameRequest(anonymous, { ...anonymous, task: 'task-2' })).toBe(
      false,
    );
  });
});
