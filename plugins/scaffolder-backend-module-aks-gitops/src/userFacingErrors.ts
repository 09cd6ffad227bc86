import { isError } from '@backstage/errors';

/**
 * Errors a user can cause (bad input, a conflict, missing permission, GitHub unreachable), as
 * the actions throw them: @backstage/errors classes with a message that says it all.
 */
const USER_FACING = new Set([
  'InputError',
  'ConflictError',
  'NotAllowedError',
  'NotFoundError',
  'ServiceUnavailableError',
]);

/**
 * Runs an action's handler so that an error a user can cause reaches the task log as its one
 * sentence: the scaffolder writes a failed step's `err.stack` to the task log
 * (@backstage/plugin-scaffolder-backend 4.2.0, NunjucksWorkflowRunner `markFailed`:
 * `task.emitLog(String(err.stack), ...)`), which would show the backend's file paths to whoever
 * ran the template. Other errors (our bugs) keep their stack for the backend's own log.
 */
export async function withoutServerDetails<T>(
  handler: () => Promise<T>,
): Promise<T> {
  try {
    return await handler();
  } catch (error) {
    if (isError(error) && USER_FACING.has(error.name)) {
      error.stack = `${error.name}: ${error.message}`;
    }
    throw error;
  }
}
