// The page's one chart script: the parts of Observable Plot the page draws with, and topojson-client's `feature`
// for the region map, as `window.Plot`. Naming the parts lets the bundler leave the rest of Plot out.
import { axisFy, axisY, barX, centroid, dot, geo, line, plot, ruleX, text } from '@observablehq/plot';
import { feature } from 'topojson-client';

globalThis.Plot = { axisFy, axisY, barX, centroid, dot, geo, line, plot, ruleX, text, feature };
