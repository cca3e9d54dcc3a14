import { CAPACITY_STRATEGY, CapacityProviderItem, describeFargateMemory, FARGATE_MEMORY_BY_CPU, isFargateSize, spotTasks, STOP_TIMEOUT } from '../../src/aws/ecs';

// ECS Developer Guide, task definition parameters, "Task size": the Fargate CPU/memory table.
describe('Fargate task sizes', () => {
  test.each<[number, number[]]>([
    [256, [512, 1024, 2048]],
    [512, [1024, 2048, 3072, 4096]],
    [1024, [2048, 3072, 4096, 5120, 6144, 7168, 8192]],
  ])('cpu %i offers exactly %j MiB', (cpu, memory) => {
    expect(FARGATE_MEMORY_BY_CPU[cpu]).toEqual(memory);
  });

  test.each<[number, number, number, number]>([
    // cpu, first, last, step (MiB)
    [2048, 4096, 16384, 1024],
    [4096, 8192, 30720, 1024],
    [8192, 16384, 61440, 4096],
    [16384, 32768, 122880, 8192],
  ])('cpu %i offers %i–%i MiB in steps of %i', (cpu, first, last, step) => {
    const sizes = FARGATE_MEMORY_BY_CPU[cpu];
    expect(sizes[0]).toBe(first);
    expect(sizes[sizes.length - 1]).toBe(last);
    expect(sizes.length).toBe((last - first) / step + 1);
    expect(sizes.every((size, index) => index === 0 || size - sizes[index - 1] === step)).toBe(true);
  });

  test('the CPU values are the seven Fargate offers', () => {
    expect(Object.keys(FARGATE_MEMORY_BY_CPU)).toEqual(['256', '512', '1024', '2048', '4096', '8192', '16384']);
  });

  test.each<[number, number, boolean]>([
    [256, 512, true],
    [256, 2048, true],
    [256, 3072, false],
    [512, 512, false],
    [4096, 30720, true],
    [4096, 31744, false],
    [300, 512, false],
  ])('cpu %i with %i MiB → %s', (cpu, memory, offered) => {
    expect(isFargateSize(cpu, memory)).toBe(offered);
  });
});

describe('describeFargateMemory: the memory sizes for a CPU, readable', () => {
  test.each<[number, string]>([
    [256, '512, 1024, 2048'],
    [512, '1024–4096 in steps of 1024'],
    [8192, '16384–61440 in steps of 4096'],
    [16384, '32768–122880 in steps of 8192'],
    [300, 'cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384'],
  ])('cpu %i → %s', (cpu, text) => {
    expect(describeFargateMemory(cpu)).toBe(text);
  });
});

describe('ECS limits', () => {
  test('ContainerDefinition stopTimeout on Fargate: 2–120 s; Spot warns 120 s ahead', () => {
    expect(STOP_TIMEOUT).toEqual({ min: 2, max: 120, spotWarning: 120 });
  });

  test('CapacityProviderStrategyItem: base up to 100000, weight up to 1000', () => {
    expect(CAPACITY_STRATEGY).toEqual({ maxBase: 100000, maxWeight: 1000 });
  });
});

describe('spotTasks: the tasks on Fargate Spot under a capacity provider strategy', () => {
  const fargate = (weight: number, base?: number): CapacityProviderItem => ({ capacityProvider: 'FARGATE', weight, base });
  const spot = (weight: number, base?: number): CapacityProviderItem => ({ capacityProvider: 'FARGATE_SPOT', weight, base });

  test.each<[string, CapacityProviderItem[] | undefined, number, number]>([
    ['the FARGATE launch type (no strategy): none', undefined, 4, 0],
    ['all on Spot', [spot(1)], 4, 4],
    ['all on FARGATE', [fargate(1)], 4, 0],
    ['weights 1:1 split the tasks in half', [fargate(1), spot(1)], 4, 2],
    ['weights 1:3: three quarters on Spot', [fargate(1), spot(3)], 4, 3],
    ['a FARGATE base of 1 runs first, Spot takes the rest', [fargate(0, 1), spot(1)], 4, 3],
    ['a FARGATE base larger than the count leaves nothing for Spot', [fargate(0, 5), spot(1)], 4, 0],
    ['a Spot base of 2, then weights 1:1 over the other 2', [spot(1, 2), fargate(1)], 4, 3],
    ['a Spot base above the count: all tasks, not the base', [spot(1, 5)], 3, 3],
    ['a Spot base with no weight anywhere: the base only', [spot(0, 2), fargate(0)], 4, 2],
    ['no weight anywhere and no base: none (not NaN)', [spot(0), fargate(0)], 4, 0],
    ['zero tasks: none', [spot(1)], 0, 0],
    ['bases on both providers: FARGATE 1 and Spot 1, then 1:1 over 2', [fargate(1, 1), spot(1, 1)], 4, 2],
  ])('%s', (_, strategy, count, expected) => {
    // WHEN / THEN
    expect(spotTasks(strategy, count)).toBe(expected);
  });
});
