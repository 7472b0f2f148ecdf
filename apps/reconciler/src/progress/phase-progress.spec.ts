import { makeBarProgress, makeLineProgress, progressLine, progressOn, timedProgress } from './phase-progress';

const recordLines = () => {
  const lines: string[] = [];
  return { lines, progress: makeLineProgress((line) => lines.push(line)) };
};

describe('the plain progress lines (not a terminal)', () => {
  it('tells the start, each tenth and the end of a phase', () => {
    const { lines, progress } = recordLines();
    progress.phase('settle', 40);
    for (let i = 0; i < 40; i += 1) progress.tick(1);
    progress.done();
    expect(lines).toEqual([
      'phase settle 0/40',
      'phase settle 4/40',
      'phase settle 8/40',
      'phase settle 12/40',
      'phase settle 16/40',
      'phase settle 20/40',
      'phase settle 24/40',
      'phase settle 28/40',
      'phase settle 32/40',
      'phase settle 36/40',
      'phase settle 40/40 done',
    ]);
  });

  it('writes one line per tenth crossed even when ticks come in batches, and one per 1,000 when the total is unknown', () => {
    const { lines, progress } = recordLines();
    progress.phase('match', 10_000);
    progress.tick(2_500);
    progress.tick(7_500);
    progress.done();
    progress.phase('list', undefined);
    for (let page = 0; page < 25; page += 1) progress.tick(100);
    progress.done();
    expect(lines).toEqual([
      'phase match 0/10000',
      'phase match 2500/10000',
      'phase match 10000/10000 done',
      'phase list 0',
      'phase list 1000',
      'phase list 2000',
      'phase list 2500 done',
    ]);
  });

  it('takes a total that becomes known as the phase goes (page by page)', () => {
    const { lines, progress } = recordLines();
    progress.phase('match', undefined);
    progress.tick(100, 1_000);
    progress.tick(100);
    progress.tick(800, 1_000);
    progress.done();
    expect(lines).toEqual([
      'phase match 0',
      'phase match 100/1000',
      'phase match 200/1000',
      'phase match 1000/1000 done',
    ]);
  });

  it('tells an empty phase as begun and done', () => {
    const { lines, progress } = recordLines();
    progress.phase('settle', 0);
    progress.done();
    progress.tick(1);
    progress.done();
    expect(lines).toEqual(['phase settle 0/0', 'phase settle 0/0 done']);
    expect(progressLine('balance', 3, 3, true)).toBe('phase balance 3/3 done');
  });
});

describe('progressOn', () => {
  it('writes plain lines to a stream that is not a terminal, and bars to one that is', () => {
    const plain: string[] = [];
    const lines = progressOn({ isTTY: false, write: (text) => plain.push(text) });
    lines.phase('settle', 2);
    lines.tick(2);
    lines.done();
    expect(plain).toEqual(['phase settle 0/2\n', 'phase settle 2/2 done\n']);

    const terminal: string[] = [];
    const stream = {
      isTTY: true,
      columns: 100,
      write: (text: string) => terminal.push(text),
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
      on: () => stream,
      removeListener: () => stream,
    };
    const bars = progressOn(stream);
    bars.phase('match', 4);
    bars.tick(4);
    bars.done();
    const shown = terminal.join('');
    expect(shown).toContain('match');
    expect(shown).toContain('4/4');
    expect(shown).not.toContain('phase match');
  });

  it('a bar of unknown total ends with the count reached', () => {
    const terminal: string[] = [];
    const stream = {
      isTTY: true,
      columns: 100,
      write: (text: string) => terminal.push(text),
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
      on: () => stream,
      removeListener: () => stream,
    };
    const bars = makeBarProgress(stream);
    bars.phase('list', undefined);
    bars.tick(250);
    bars.done();
    expect(terminal.join('')).toContain('250 so far');
    // and a bar whose total becomes known shows it from then on
    terminal.length = 0;
    bars.phase('match', undefined);
    bars.tick(100, 400);
    bars.tick(300);
    bars.done();
    expect(terminal.join('')).toContain('400/400');
  });
});

describe('timedProgress', () => {
  it('records how long each phase took and passes every call on', () => {
    let now = 0;
    const { lines, progress } = recordLines();
    const timed = timedProgress(progress, () => now);
    timed.phase('settle', 1);
    now += 1_500;
    timed.tick(1);
    timed.done();
    timed.phase('match', 0);
    now += 250;
    timed.phase('balance', undefined);
    now += 100;
    timed.done();
    expect([...timed.durations()]).toEqual([
      ['settle', 1.5],
      ['match', 0.25],
      ['balance', 0.1],
    ]);
    expect(lines).toEqual([
      'phase settle 0/1',
      'phase settle 1/1 done',
      'phase match 0/0',
      'phase balance 0',
      'phase balance 0 done',
    ]);
  });
});
