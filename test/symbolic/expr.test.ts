// The symbolic dim algebra: normal forms (equal things have equal text) and decisions that hold for every
// admissible value (symbols are positive integers; tensor sizes may be bounded below).
import assert from 'node:assert/strict';
import { add, decideEqual, divide, mul, sub, substitute, symbolsOf } from '../../server/src/analysis/symbolic/expr';

const ceil = (a: string | number, b: string | number) => divide(a, b, 'ceil')!;
const floor = (a: string | number, b: string | number) => divide(a, b, 'floor')!;

describe('symbolic dims: normal forms', () => {
  it('simplifies to the same text whatever the route', () => {
    assert.equal(add(sub('H', 2), 2), 'H');
    assert.equal(ceil('H', 1), 'H');
    assert.equal(ceil(mul(2, 'a')!, 2), 'a');
    assert.equal(ceil(add(mul(2, 'a')!, 3), 2), 'a+2');
    assert.equal(ceil(ceil('H', 2), 2), '⌈H/4⌉');
    assert.equal(floor(add('H', 1), 2), ceil('H', 2));
    assert.equal(mul(add('H', 1), 'W'), 'H·W+W');
    assert.equal(mul(mul('H', 'W')!, 'C'), mul('C', mul('W', 'H')!));
    assert.equal(ceil(mul('s', 'a')!, 's'), 'a');
    assert.equal(ceil('H', 'H'), 1);
  });
  it('computes what tfjs computes once symbols get values', () => {
    // conv 'valid' 3x3 stride 2 on H: ⌈(H-2)/2⌉; checked against the numeric formula for many H.
    const valid = ceil(sub('H', 2), 2);
    for (let h = 3; h < 40; h++) assert.equal(substitute(valid, new Map([['H', h]])), Math.floor((h - 3 + 2) / 2));
    const same = ceil('H', 's');
    for (let h = 1; h < 20; h++) for (let s = 1; s < 5; s++) assert.equal(substitute(same, new Map([['H', h], ['s', s]])), Math.ceil(h / s));
    assert.deepEqual(symbolsOf('⌈(x.shape[1]-2)/strides⌉+2·f').sort(), ['f', 'strides', 'x.shape[1]']);
  });
});

describe('symbolic dims: decisions', () => {
  it('equal, different for every value, or unknown (never a guess)', () => {
    assert.equal(decideEqual(add('a', 'b'), add('b', 'a')), 'equal');
    assert.equal(decideEqual(sub('H', 2), 'H'), 'different');
    assert.equal(decideEqual('filters', 'x.shape[3]'), 'unknown');
    // ⌈H/2⌉ = H only for H = 1: unknown for sizes ≥ 1, different for sizes ≥ 2.
    assert.equal(decideEqual(ceil('x.shape[1]', 2), 'x.shape[1]'), 'unknown');
    assert.equal(decideEqual(ceil('x.shape[1]', 2), 'x.shape[1]', {}, 2), 'different');
    // A symbolic stride may be 1.
    assert.equal(decideEqual(ceil('x.shape[1]', 's'), 'x.shape[1]', {}, 2), 'unknown');
    assert.equal(decideEqual(ceil('x.shape[1]', 's'), 'x.shape[1]', { lower: new Map([['s', 2]]) }, 2), 'different');
    assert.equal(decideEqual(ceil('x.shape[1]', 's'), 'x.shape[1]', { subst: new Map([['s', 1]]) }), 'equal');
    assert.equal(decideEqual('filters', 'x.shape[3]', { ne: [['x.shape[3]', 'filters']] }), 'different');
  });
});
