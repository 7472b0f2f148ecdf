import { manualTimer } from '../../testing/manual-timer.fake';
import { SimulationScheduler } from './simulation-scheduler';

describe('simulation scheduler', () => {
  it('in manual mode, runs nothing until advanced, then what became due, in due order', async () => {
    const scheduler = new SimulationScheduler({ autoRun: false });
    const ran: string[] = [];
    scheduler.schedule(3_000, () => void ran.push('3s'));
    scheduler.schedule(1_000, () => void ran.push('1s'));
    scheduler.schedule(20_000, () => void ran.push('20s'));
    await scheduler.advance(2_999);
    expect(ran).toEqual(['1s']);
    await scheduler.advance(1);
    expect(ran).toEqual(['1s', '3s']);
    expect(scheduler.now()).toBe(3_000);
    expect(scheduler.pending()).toEqual([{ dueAtMs: 20_000, label: 'task' }]);
  });

  it('flush runs everything, including work scheduled by work, moving time to each due time', async () => {
    const scheduler = new SimulationScheduler({ autoRun: false });
    const ran: number[] = [];
    scheduler.schedule(1_000, () => {
      ran.push(scheduler.now());
      scheduler.schedule(500, () => void ran.push(scheduler.now()));
    });
    await scheduler.flush();
    expect(ran).toEqual([1_000, 1_500]);
    expect(scheduler.pending()).toEqual([]);
  });

  it('tasks due at the same time run in the order they were scheduled', async () => {
    const scheduler = new SimulationScheduler({ autoRun: false });
    const ran: number[] = [];
    for (let index = 0; index < 5; index++) scheduler.schedule(10, () => void ran.push(index));
    await scheduler.flush();
    expect(ran).toEqual([0, 1, 2, 3, 4]);
  });

  it('a cancelled task never runs', async () => {
    const scheduler = new SimulationScheduler({ autoRun: false });
    const ran: string[] = [];
    const id = scheduler.schedule(10, () => void ran.push('cancelled'));
    scheduler.schedule(20, () => void ran.push('kept'));
    scheduler.cancel(id);
    await scheduler.flush();
    expect(ran).toEqual(['kept']);
  });

  it('with autoRun, a delay runs after delay * timeScale real ms', async () => {
    const timer = manualTimer();
    const scheduler = new SimulationScheduler({ timer, timeScale: 0.001, autoRun: true });
    const ran: number[] = [];
    scheduler.schedule(3_000, () => void ran.push(scheduler.now()));
    timer.tick(2);
    await scheduler.advance(0);
    expect(ran).toEqual([]);
    timer.tick(1);
    await scheduler.advance(0);
    expect(ran).toEqual([3_000]);
    expect(timer.armedCount()).toBe(0);
  });

  it('with autoRun, simulated time flows with real time divided by the scale', () => {
    const timer = manualTimer(1_000_000);
    const scheduler = new SimulationScheduler({ timer, timeScale: 0.01 });
    timer.tick(50);
    expect(scheduler.now()).toBe(5_000);
  });

  it('a failing task is reported and does not stop the others', async () => {
    const errors: unknown[] = [];
    const scheduler = new SimulationScheduler({ autoRun: false, onError: (error) => errors.push(error) });
    const ran: string[] = [];
    scheduler.schedule(1, () => {
      throw new Error('boom');
    });
    scheduler.schedule(2, () => void ran.push('after'));
    await scheduler.flush();
    expect(ran).toEqual(['after']);
    expect(errors).toHaveLength(1);
  });

  it('advance and flush wait for tracked background work and what it schedules', async () => {
    const scheduler = new SimulationScheduler({ autoRun: false });
    const ran: string[] = [];
    scheduler.schedule(0, () => {
      scheduler.track(
        new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
          ran.push('background');
          scheduler.schedule(100, () => void ran.push('follow-up'));
        }),
      );
    });
    await scheduler.flush();
    expect(ran).toEqual(['background', 'follow-up']);
  });

  it('refuses a negative or infinite time scale', () => {
    expect(() => new SimulationScheduler({ timeScale: -1 })).toThrow(RangeError);
    expect(() => new SimulationScheduler({ timeScale: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
  it('its wall clock follows real time at any time scale, plus what advance and flush skip', async () => {
    const timer = manualTimer();
    const scheduler = new SimulationScheduler({ timer, timeScale: 0.01 });
    const ran: number[] = [];
    scheduler.schedule(300_000, () => void ran.push(scheduler.clockMs()));
    timer.tick(3_000);
    await Promise.resolve();
    // 3 s of real time run 5 min of simulated work, but the clock shows 3 s
    expect(scheduler.now()).toBe(300_000);
    expect(ran).toEqual([3_000]);
    expect(scheduler.clockMs()).toBe(3_000);
    await scheduler.advance(60_000);
    expect(scheduler.clockMs()).toBe(63_000);
    scheduler.schedule(10_000, () => undefined);
    await scheduler.flush();
    expect(scheduler.clockMs()).toBe(73_000);
  });

  it('in manual mode its wall clock is the simulated time', async () => {
    const scheduler = new SimulationScheduler({ autoRun: false, timer: manualTimer() });
    scheduler.schedule(5_000, () => undefined);
    await scheduler.flush();
    await scheduler.advance(1_000);
    expect(scheduler.clockMs()).toBe(6_000);
    expect(scheduler.now()).toBe(6_000);
  });
});
