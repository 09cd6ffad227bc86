import { Coalescer } from './coalesce';

test('requests within the window make one run', async () => {
  let runs = 0;
  const coalescer = new Coalescer(20, async () => {
    runs += 1;
  });
  await Promise.all(Array.from({ length: 50 }, () => coalescer.request()));
  expect(runs).toBe(1);
});

test('a request during a run gets a run of its own after it', async () => {
  let runs = 0;
  let started: () => void = () => undefined;
  const firstStarted = new Promise<void>(resolve => {
    started = resolve;
  });
  let release: () => void = () => undefined;
  const released = new Promise<void>(resolve => {
    release = resolve;
  });
  const coalescer = new Coalescer(0, async () => {
    runs += 1;
    if (runs === 1) {
      started();
      await released;
    }
  });
  const first = coalescer.request();
  await firstStarted;
  const second = coalescer.request();
  release();
  await Promise.all([first, second]);
  expect(runs).toBe(2);
});

test('a failed run rejects the requests it answers and leaves later requests to a new run', async () => {
  let runs = 0;
  const coalescer = new Coalescer(0, async () => {
    runs += 1;
    if (runs === 1) throw new Error('GitHub is down');
  });
  await expect(coalescer.request()).rejects.toThrow('GitHub is down');
  await coalescer.request();
  expect(runs).toBe(2);
});
