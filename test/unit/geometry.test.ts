import { describe, expect, it } from 'vitest';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { projectTopology } from '../../src/taxonomy/geometry.js';

/** One quantized arc through two places, as TopoJSON stores it: steps from the previous position. */
const topology = (places: [number, number][]): Topology<{ places: GeometryCollection }> => {
  const scale: [number, number] = [1e-6, 1e-6];
  const translate: [number, number] = [20, 59];
  const q = places.map(
    ([lon, lat]) =>
      [Math.round((lon - translate[0]) / scale[0]), Math.round((lat - translate[1]) / scale[1])] as [number, number],
  );
  return {
    type: 'Topology',
    transform: { scale, translate },
    arcs: [q.map((p, i) => (i === 0 ? p : [p[0] - q[i - 1]![0], p[1] - q[i - 1]![1]]))],
    objects: {
      places: {
        type: 'GeometryCollection',
        geometries: [{ type: 'LineString', arcs: [0], properties: { name: 'line' } }],
      },
    },
  };
};

describe('region geometry in ETRS-TM35FIN', () => {
  it('projects positions to the plane coordinates of Finnish maps, within the quantization step', () => {
    // on the zone's central meridian (27° E) easting is the false easting; Helsinki railway station as Finnish maps give it
    const projected = projectTopology(
      topology([
        [27, 60],
        [24.9384, 60.1699],
      ]),
      'EPSG:3067',
    );
    const line = feature(projected, projected.objects.places).features[0]!.geometry as { coordinates: number[][] };
    const [meridian, helsinki] = line.coordinates;
    expect(meridian![0]).toBeCloseTo(500_000, -1);
    expect(meridian![1]).toBeCloseTo(6_651_411, -1);
    expect(Math.abs(helsinki![0]! - 385_600)).toBeLessThan(100);
    expect(Math.abs(helsinki![1]! - 6_672_100)).toBeLessThan(100);
    expect(projected.objects.places.geometries[0]!.properties).toEqual({ name: 'line' });
  });

  it('leaves longitude and latitude as they are', () => {
    const source = topology([
      [27, 60],
      [25, 65],
    ]);
    expect(projectTopology(source, 'EPSG:4326')).toBe(source);
  });
});
