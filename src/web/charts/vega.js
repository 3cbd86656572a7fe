// The parts of Vega the page's charts use (bars, lines, geoshapes, tooltips). This is Vega's own index
// (node_modules/vega/index.js, BSD-3-Clause) less the transforms that no Vega-Lite spec of the page compiles to
// (force, label, tree, regression, voronoi, word cloud, crossfilter): about 10 % less script to parse on a
// first visit. The bundle the page loads is built from ./entry.js by src/routes/web/bundle.ts.
import { transforms } from 'vega-dataflow';
import * as encode from 'vega-encode';
import * as geo from 'vega-geo';
import * as tx from 'vega-transforms';
import { extend } from 'vega-util';
import * as vtx from 'vega-view-transforms';

extend(transforms, tx, vtx, encode, geo);

// eslint-disable-next-line no-undef -- replaced by the bundler with the installed Vega's version
export const version = __VEGA_VERSION__;
export * from 'vega-statistics';
export * from 'vega-time';
export * from 'vega-util';
export * from 'vega-loader';
export * from 'vega-scenegraph';
export { Dataflow, EventStream, Parameters, Pulse, MultiPulse, Operator, Transform, changeset, ingest, isTuple, definition, transform, transforms, tupleid } from 'vega-dataflow';
export { scale, scheme, interpolate, interpolateColors, interpolateRange, quantizeInterpolator } from 'vega-scale';
export { projection } from 'vega-projection';
export { View } from 'vega-view';
export { numberFormatDefaultLocale as formatLocale, timeFormatDefaultLocale as timeFormatLocale, locale, defaultLocale, resetDefaultLocale } from 'vega-format';
export { expressionFunction } from 'vega-functions';
export { parse } from 'vega-parser';
export { context as runtimeContext } from 'vega-runtime';
export { codegenExpression, parseExpression } from 'vega-expression';
export { parseSelector } from 'vega-event-selector';
