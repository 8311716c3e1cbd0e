// The whole playground in the address: #playground?dataset=spiral&noise=0.1&features=x1,x2&hidden=8,8&...
// so that a link or a reload brings the same network back.

const LISTS = new Set(['features', 'hidden', 'activations']);
const NUMBERS = new Set(['noise', 'trainFraction', 'points', 'learningRate', 'regularizationRate', 'batchSize', 'seed',
  'stepsPerSecond']);

export function readHash() {
  const h = location.hash.replace(/^#/, '');
  const [view, query] = h.split('?');
  const spec = {};
  for (const [k, v] of new URLSearchParams(query || '')) {
    if (LISTS.has(k)) spec[k] = v === '' ? [] : v.split(',').map(x => (k === 'hidden' ? Number(x) : x));
    else if (NUMBERS.has(k)) spec[k] = Number(v);
    else spec[k] = v;
  }
  return {view: view || 'playground', spec};
}

export function writeHash(view, spec) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(spec || {})) {
    if (v === undefined || v === null || k === 'csv') continue;
    q.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const text = q.toString();
  history.replaceState(null, '', '#' + view + (text ? '?' + text.replace(/%2C/g, ',') : ''));
}
