// The page's one chart script: vega-embed with Vega-Lite and the lean Vega of ./vega.js, as `window.vegaEmbed`.
import embed from 'vega-embed';

globalThis.vegaEmbed = embed;
