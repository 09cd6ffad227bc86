import type { JsonObject, JsonValue } from '@backstage/types';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';

/**
 * A mock action context whose checkpoints really store results per key, like the task engine's
 * (null comes back as {}), so a second run with the same store proves retries are idempotent.
 * createMockActionContext ignores checkpoint/isDryRun overrides, so they are spread after it.
 */
export function actionContext<
  TAction extends { handler(ctx: never): Promise<void> },
>(options: {
  input: JsonObject;
  workspacePath?: string;
  isDryRun?: boolean;
  checkpoints?: Map<string, JsonValue>;
  taskId?: string;
  /** The task's initiator, e.g. `user:default/alice` (ctx.user.ref). */
  user?: string;
  /** Runs before a checkpoint's function (not for one already recorded): lets a test act between two side effects. */
  beforeCheckpoint?: (key: string) => Promise<void> | void;
}) {
  const checkpoints = options.checkpoints ?? new Map<string, JsonValue>();
  const outputs: Record<string, unknown> = {};
  const logs: string[] = [];
  const base = createMockActionContext({
    input: options.input,
    ...(options.workspacePath ? { workspacePath: options.workspacePath } : {}),
  });
  const record = (level: string) => (message: string) =>
    void logs.push(`${level}: ${message}`);
  const logger = {
    ...base.logger,
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    debug: record('debug'),
    child: () => logger,
  };
  const ctx: ActionContext<JsonObject> = {
    ...base,
    logger,
    task: { id: options.taskId ?? 'task-1' },
    ...(options.user ? { user: { ref: options.user } } : {}),
    isDryRun: options.isDryRun ?? false,
    output: (name, value) => void (outputs[String(name)] = value),
    async checkpoint<T extends JsonValue | void>({
      key,
      fn,
    }: {
      key: string;
      fn: () => Promise<T> | T;
    }): Promise<T> {
      if (checkpoints.has(key)) return checkpoints.get(key) as T;
      await options.beforeCheckpoint?.(key);
      const result = await fn();
      checkpoints.set(key, (result ?? {}) as JsonValue);
      return result;
    },
  };
  // The mock serves any action; its handler's own context type is what callers pass it to.
  return {
    ctx: ctx as unknown as Parameters<TAction['handler']>[0],
    outputs,
    logs,
    checkpoints,
  };
}
