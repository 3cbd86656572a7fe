import proj4 from 'proj4';
import { quantize } from 'topojson-client';
import type { Objects, Topology } from 'topojson-specification';

/**
 * Coordinate reference systems the region geometry is served in: the source's longitude and latitude (WGS 84),
 * or ETRS-TM35FIN, the plane coordinates in metres of Finnish official maps. A map drawn from plane coordinates
 * needs no spherical projection in the browser, which on a cold page was most of the time the map took to draw.
 */
export const CRS = ['EPSG:4326', 'EPSG:3067'] as const;
export type Crs = (typeof CRS)[number];

// EPSG:3067 as the EPSG registry defines it: UTM zone 35 on GRS80, ETRS89 (equal to WGS 84 at map scale)
proj4.defs('EPSG:3067', '+proj=utm +zone=35 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs');

/**
 * The topology with every position projected from WGS 84 into `crs`, quantized again (to 1e5 steps a side, under
 * 15 m across Finland) so that it stays as compact as the source. Arcs stay shared, so borders still meet.
 */
export function projectTopology<T extends Objects>(topology: Topology<T>, crs: Crs): Topology<T> {
  if (crs === 'EPSG:4326') return topology;
  const toPlane = proj4('EPSG:4326', crs);
  const t = topology.transform;
  const arcs = topology.arcs.map((arc) => {
    let x = 0;
    let y = 0; // a quantized arc's positions are steps from the one before
    return arc.map(([a, b]) =>
      toPlane.forward<[number, number]>(
        t ? [(x += a!) * t.scale[0] + t.translate[0], (y += b!) * t.scale[1] + t.translate[1]] : [a!, b!],
      ),
    );
  });
  const { transform: _quantized, bbox: _bbox, ...rest } = topology;
  return quantize({ ...rest, arcs }, 1e5);
}
