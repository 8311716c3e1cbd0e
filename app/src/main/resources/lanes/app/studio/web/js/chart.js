// Line charts on uPlot (served from its WebJar): one x axis, named series, resized with their box.
import uPlot from '/lib/uPlot.esm.js';

const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];

/**
 * A chart in `box`: xLabel for the x axis, series [{label, scale?}], options {height, log}.
 * Returns {set(xs, ...ys)}.
 */
export function lineChart(box, xLabel, series, options = {}) {
  const width = () => Math.max(200, box.clientWidth || 320);
  const opts = {
    width: width(),
    height: options.height || 160,
    scales: {x: {time: false}, y: options.log ? {distr: 3} : {}},
    legend: {show: true, live: false},
    axes: [{label: xLabel, size: 40}, {size: 50}],
    series: [{label: xLabel}, ...series.map((s, i) => ({
      label: s.label, stroke: s.colour || COLOURS[i % COLOURS.length], width: 1.5, spanGaps: true, points: {show: false},
    }))],
  };
  const plot = new uPlot(opts, [[], ...series.map(() => [])], box);
  new ResizeObserver(() => plot.setSize({width: width(), height: opts.height})).observe(box);
  return {
    set(xs, ...ys) { plot.setData([xs, ...ys]); },
  };
}
