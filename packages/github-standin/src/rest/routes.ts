/** Every REST route the stand-in serves, relative to /api/v3. */
import type { RestContext, RestRoute } from './api';
import { appRoutes } from './apps';
import { gitRoutes } from './git';
import { pullRoutes } from './pulls';
import { repoRoutes } from './repos';

export function restRoutes(context: RestContext): RestRoute[] {
  return [...repoRoutes(context), ...gitRoutes(context), ...pullRoutes(context), ...appRoutes(context)];
}
