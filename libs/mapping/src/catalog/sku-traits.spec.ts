import { resolveSkuTraits } from './sku-traits';

describe('resolveSkuTraits', () => {
  it('finds numeric-id traits named Color and Size', () => {
    expect(
      resolveSkuTraits([
        { id: '1001', name: 'Color' },
        { id: '1002', name: 'Size' },
      ]),
    ).toEqual({ ok: true, color: '1001', size: '1002' });
  });

  it('finds the opaque ids of the public record whatever they are called', () => {
    const traits = [
      { id: 'U0tVVHJhaXQ6U2l6ZQ==', name: 'Taille' },
      { id: 'U0tVVHJhaXQ6U3R5bGVDb2xvcg==', name: 'Farbe' },
    ];
    expect(resolveSkuTraits(traits)).toEqual({ ok: true, color: 'U0tVVHJhaXQ6U3R5bGVDb2xvcg==', size: 'U0tVVHJhaXQ6U2l6ZQ==' });
  });

  it('reads what an unknown opaque id decodes to, then the usual names', () => {
    const colour = Buffer.from('SKUTrait:Colour').toString('base64');
    expect(
      resolveSkuTraits([
        { id: colour, name: 'x' },
        { id: 'abc', name: 'SIZE' },
      ]),
    ).toEqual({ ok: true, color: colour, size: 'abc' });
    expect(
      resolveSkuTraits([
        { id: 'a', name: 'Style Color' },
        { id: 'b', name: 'Fit' },
        { id: 'c', name: 'size' },
      ]),
    ).toEqual({ ok: true, color: 'a', size: 'c' });
    expect(
      resolveSkuTraits([
        { id: 'a', name: 'Colour' },
        { id: 'b', name: 'Size' },
      ]),
    ).toEqual({ ok: true, color: 'a', size: 'b' });
  });

  it('takes the connection setting first, by id or by name', () => {
    const traits = [
      { id: 't1', name: 'Color' },
      { id: 't2', name: 'Shade' },
      { id: 't3', name: 'Size' },
      { id: 't4', name: 'Length' },
    ];
    expect(resolveSkuTraits(traits, { color: 't2', size: 'length' })).toEqual({ ok: true, color: 't2', size: 't4' });
  });

  it('says which trait is missing and lists what JOOR has', () => {
    const out = resolveSkuTraits([
      { id: 'x', name: 'Material' },
      { id: 'y', name: 'Size' },
    ]);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.problem).toMatch(/no Color trait.*"Material" \(x\), "Size" \(y\).*joorColorTrait/);
    const setting = resolveSkuTraits(
      [
        { id: 'x', name: 'Color' },
        { id: 'y', name: 'Size' },
      ],
      { color: 'Shade' },
    );
    expect(setting.ok).toBe(false);
    if (!setting.ok) expect(setting.problem).toMatch(/no trait "Shade" \(the connection's joorColorTrait setting\)/);
  });
});
