import type {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import {
  AksClusterEntityProvider,
  DEFAULT_PROVIDER_SCHEDULE,
} from './AksClusterEntityProvider';

const logger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => logger,
};
const integrations = { github: [{ host: 'github.com', token: 'ghp_test' }] };

/** The providers fromConfig makes, and the schedule each asked the scheduler for. */
function read(aksGitops: JsonObject | undefined) {
  const schedules: SchedulerServiceTaskScheduleDefinition[] = [];
  const scheduler = {
    createScheduledTaskRunner: (
      schedule: SchedulerServiceTaskScheduleDefinition,
    ) => {
      schedules.push(schedule);
      return { run: async () => {} };
    },
  } as unknown as SchedulerService;
  const config = new ConfigReader({
    integrations,
    ...(aksGitops ? { catalog: { providers: { aksGitops } } } : {}),
  });
  const providers = AksClusterEntityProvider.fromConfig(config, {
    logger,
    scheduler,
  });
  return { names: providers.map(p => p.getProviderName()), schedules };
}

describe('AksClusterEntityProvider.fromConfig (catalog.providers.aksGitops.<id>)', () => {
  it('makes one provider per id, named by it', () => {
    const { names } = read({
      fleet: { repoUrl: 'https://github.com/acme/app-project-env' },
      lab: { repoUrl: 'https://github.com/acme/lab-env' },
    });
    expect(names).toEqual([
      'aks-gitops-clusters:fleet',
      'aks-gitops-clusters:lab',
    ]);
  });

  it('makes none when the key is absent', () => {
    expect(read(undefined).names).toEqual([]);
  });

  it('uses the default schedule when none is given', () => {
    const { schedules } = read({
      fleet: { repoUrl: 'https://github.com/acme/app-project-env' },
    });
    expect(schedules).toEqual([DEFAULT_PROVIDER_SCHEDULE]);
  });

  it('fills the fields a partial schedule leaves out from the default', () => {
    const { schedules } = read({
      fleet: {
        repoUrl: 'https://github.com/acme/app-project-env',
        schedule: { frequency: { minutes: 30 } },
      },
    });
    expect(schedules).toEqual([
      {
        frequency: { minutes: 30 },
        timeout: DEFAULT_PROVIDER_SCHEDULE.timeout,
      },
    ]);
  });

  it("names the provider's key when a schedule field is malformed", () => {
    expect(() =>
      read({
        fleet: {
          repoUrl: 'https://github.com/acme/app-project-env',
          schedule: { timeout: 'soon' },
        },
      }),
    ).toThrow(
      /^catalog\.providers\.aksGitops\.fleet\.schedule: must be a task schedule .*, but Invalid duration 'soon' in config at 'timeout'/,
    );
  });

  it("names the provider's key when repoUrl is not a repository", () => {
    expect(() =>
      read({ fleet: { repoUrl: 'https://github.com/acme' } }),
    ).toThrow(
      'catalog.providers.aksGitops.fleet.repoUrl: must be https://host/owner/repo, but it is https://github.com/acme',
    );
  });
});
