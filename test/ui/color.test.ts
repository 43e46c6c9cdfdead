import { describe, expect, it } from 'vitest';
import { colorLevel } from '../../src/ui/color.js';

describe('colorLevel', () => {
  it('is what the terminal allows, unless NO_COLOR says none; FORCE_COLOR wins over NO_COLOR', () => {
    expect(colorLevel({}, 2)).toBe(2);
    expect(colorLevel({ NO_COLOR: '1' }, 2)).toBe(0);
    expect(colorLevel({ NO_COLOR: '0' }, 3)).toBe(0);
    expect(colorLevel({ NO_COLOR: '' }, 1)).toBe(1);
    expect(colorLevel({ NO_COLOR: '1', FORCE_COLOR: '1' }, 1)).toBe(1);
    expect(colorLevel({ NO_COLOR: '1' }, 0)).toBe(0);
  });
});
