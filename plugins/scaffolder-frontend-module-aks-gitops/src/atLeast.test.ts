import { atLeastProblem } from './atLeast';

const options = { atLeast: 'minCount', atLeastLabel: 'the minimum nodes' };

it('accepts a maximum equal to or above the minimum', () => {
  expect(atLeastProblem(3, { minCount: 3 }, options)).toBeUndefined();
  expect(atLeastProblem(5, { minCount: 3 }, options)).toBeUndefined();
});

it('names the bound and the value when the maximum is below the minimum', () => {
  expect(atLeastProblem(2, { minCount: 3 }, options)).toBe('must be at least the minimum nodes (3), but it is 2');
  expect(atLeastProblem(2, { minCount: 3 }, { atLeast: 'minCount' })).toBe('must be at least minCount (3), but it is 2');
});

it('leaves missing or non-numeric values to the schema rules', () => {
  expect(atLeastProblem(undefined, { minCount: 3 }, options)).toBeUndefined();
  expect(atLeastProblem(2, {}, options)).toBeUndefined();
  expect(atLeastProblem(2, { minCount: '3' }, options)).toBeUndefined();
});
