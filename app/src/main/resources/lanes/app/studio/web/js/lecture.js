// The lecture view: the course's gradient-descent demo (contours, a rate slider with the stable limit marked, the
// trajectory drawn as it moves) and a receptive-field explorer (a unit of a layer and the input it reads).
import {el, fmt, field} from './dom.js';
import {api} from './api.js';

const GD_SIDE = 360;

export class Lecture {
  constructor(root) {
    this.root = root;
    this.gd = {a: 1, b: 1, c: 4, x1: 3, x2: 3};
    this.build();
    this.runGd();
    this.loadModel();
  }

  build() {
    this.gdCanvas = el('canvas', {width: GD_SIDE, height: GD_SIDE, class: 'gd', 'data-testid': 'gd-canvas',
      title: 'click to start from another point'});
    this.gdRate = el('input', {type: 'range', min: 0.005, max: 0.4, step: 0.005, value: 0.05,
      'data-testid': 'gd-learning-rate', oninput: () => this.runGd()});
    this.gdRateLabel = el('output', {'data-testid': 'gd-learning-rate-value'});
    this.gdLimit = el('div', {class: 'limit-scale', 'data-testid': 'gd-stable-limit'});
    this.gdVerdict = el('p', {class: 'verdict', 'data-testid': 'gd-verdict'});
    const coef = name => el('input', {type: 'number', step: 'any', value: this.gd[name], size: 4,
      'data-testid': `gd-${name}`, onchange: e => { this.gd[name] = Number(e.target.value); this.runGd(); }});
    this.gdCanvas.addEventListener('click', e => {
      const r = this.gdCanvas.getBoundingClientRect();
      const half = this.half();
      this.gd.x1 = Math.round((-half + 2 * half * (e.clientX - r.left) / r.width) * 100) / 100;
      this.gd.x2 = Math.round((half - 2 * half * (e.clientY - r.top) / r.height) * 100) / 100;
      this.runGd();
    });
    this.rfModel = el('input', {value: 'lenet5', size: 50, 'data-testid': 'rf-model', list: 'model-names',
      onchange: () => this.loadModel()});
    this.rfLayer = el('select', {'data-testid': 'rf-layer', onchange: () => this.pickLayer()});
    this.rfUnits = el('canvas', {width: 224, height: 224, class: 'rf-units', 'data-testid': 'rf-units'});
    this.rfInput = el('canvas', {width: 224, height: 224, class: 'rf-input', 'data-testid': 'rf-input'});
    this.rfDescribe = el('p', {'data-testid': 'rf-describe'});
    this.rfSummary = el('table', {class: 'summary', 'data-testid': 'rf-summary'});
    this.rfUnits.addEventListener('click', e => {
      if (!this.rfShape) return;
      const r = this.rfUnits.getBoundingClientRect();
      const [, h, w] = this.rfShape;
      this.rfUnit = [Math.min(h - 1, Math.floor((e.clientY - r.top) / r.height * h)),
        Math.min(w - 1, Math.floor((e.clientX - r.left) / r.width * w))];
      this.lookUp();
    });
    this.root.replaceChildren(el('div', {class: 'lecture'},
        el('div', {class: 'panel'},
            el('h3', {}, 'Gradient descent on f(x1, x2) = a x1\u00b2 + b x1 x2 + c x2\u00b2'),
            el('p', {class: 'explain'}, 'Each step moves X against the gradient: X \u2190 X \u2212 lr \u2207f(X). '
                + 'Move the learning rate: small rates crawl, rates past the red mark (2 / the largest eigenvalue of '
                + 'the Hessian) overshoot further each step and diverge. Click the picture to start elsewhere.'),
            el('div', {class: 'toolbar'}, field('a', coef('a')), field('b', coef('b')), field('c', coef('c'))),
            el('div', {class: 'gd-rate'}, field('learning rate', el('span', {}, this.gdRate, this.gdRateLabel))),
            this.gdLimit, this.gdCanvas, this.gdVerdict),
        el('div', {class: 'panel'},
            el('h3', {}, 'Receptive fields'),
            el('p', {class: 'explain'}, 'Pick a layer, then click one of its units (left): the right picture '
                + 'marks the input pixels that unit reads. Deeper layers see more of the image.'),
            el('div', {class: 'toolbar'}, field('model', this.rfModel), field('layer', this.rfLayer)),
            el('div', {class: 'pad-row'}, this.rfUnits, this.rfInput), this.rfDescribe, this.rfSummary)));
  }

  half() {
    return 1.6 * Math.max(1, Math.abs(this.gd.x1), Math.abs(this.gd.x2));
  }

  async runGd() {
    const lr = Number(this.gdRate.value);
    this.gdRateLabel.textContent = lr.toFixed(3);
    let r;
    try {
      r = await api('POST', '/api/gradient-descent', {...this.gd, learningRate: lr, steps: 300});
    } catch (e) {
      this.gdVerdict.textContent = e.message;
      return;
    }
    const limit = r.max_stable_lr;
    const max = Number(this.gdRate.max);
    const min = Number(this.gdRate.min);
    const share = limit === null ? 1 : Math.max(0, Math.min(1, (limit - min) / (max - min)));
    this.gdLimit.replaceChildren(el('span', {class: 'stable', style: `width:${(100 * share).toFixed(1)}%`},
        limit === null ? 'f has no minimum' : `stable below ${fmt(limit, 4)}`),
    el('span', {class: 'unstable', style: `width:${(100 * (1 - share)).toFixed(1)}%`}, 'diverges'));
    this.gdVerdict.textContent = r.describe;
    this.gdVerdict.className = 'verdict ' + r.runs[0].verdict;
    this.drawGd(r.runs[0]);
  }

  drawGd(run) {
    const g = this.gdCanvas.getContext('2d');
    const half = this.half();
    const {a, b, c} = this.gd;
    const f = (x, y) => a * x * x + b * x * y + c * y * y;
    const n = 120;
    const top = Math.log1p(Math.abs(f(half, half)) + Math.abs(f(half, -half)));
    const cell = GD_SIDE / n;
    const level = (x, y) => Math.floor(Math.log1p(Math.abs(f(x, y))) / top * 12);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const x = -half + 2 * half * (j + 0.5) / n;
        const y = half - 2 * half * (i + 0.5) / n;
        const v = Math.min(1, Math.log1p(Math.abs(f(x, y))) / top);
        const line = level(x, y) !== level(x + 2 * half / n, y) || level(x, y) !== level(x, y - 2 * half / n);
        const shade = Math.round(255 - 70 * v);
        g.fillStyle = line ? '#9696aa' : `rgb(${shade},${shade},255)`;
        g.fillRect(j * cell, i * cell, cell + 0.5, cell + 0.5);
      }
    }
    const px = p => [(p[0] + half) / (2 * half) * GD_SIDE, (half - p[1]) / (2 * half) * GD_SIDE];
    const points = run.x.filter(p => p && p[0] !== null && Math.abs(p[0]) < 4 * half && Math.abs(p[1]) < 4 * half);
    clearInterval(this.animation);
    let k = 1;
    const colour = run.verdict === 'diverged' ? '#d62728' : run.verdict === 'crawled' ? '#ff7f0e' : '#2ca02c';
    const base = g.getImageData(0, 0, GD_SIDE, GD_SIDE);
    const frame = () => {
      g.putImageData(base, 0, 0);
      g.strokeStyle = colour;
      g.fillStyle = colour;
      g.lineWidth = 1.5;
      g.beginPath();
      points.slice(0, k).forEach((p, i) => {
        const [x, y] = px(p);
        if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
      });
      g.stroke();
      points.slice(0, k).forEach(p => {
        const [x, y] = px(p);
        g.fillRect(x - 2, y - 2, 4, 4);
      });
      if (k >= points.length) clearInterval(this.animation);
      k++;
    };
    frame();
    this.animation = setInterval(frame, Math.max(5, Math.min(60, 1500 / points.length)));
  }

  async loadModel() {
    try {
      const r = await api('POST', '/api/receptive-field', {model: this.rfModel.value, layer: 0});
      this.summary = r.summary;
      this.rfLayer.replaceChildren(...r.summary.layers.map((l, i) => el('option', {value: i}, `${i}: ${l.layer}`)));
      this.renderSummary();
      this.pickLayer();
    } catch (e) {
      this.rfDescribe.textContent = e.message;
    }
  }

  renderSummary() {
    const s = this.summary;
    this.rfSummary.replaceChildren(el('tr', {}, ...['#', 'layer', 'output', 'parameters', 'receptive field', 'jump']
        .map(h => el('th', {}, h))), ...s.layers.map((l, i) => el('tr', {'data-testid': `rf-summary-row-${i}`},
      el('td', {}, i), el('td', {class: 'mono'}, l.layer), el('td', {}, l.output.join(' x ')),
      el('td', {}, l.parameters.toLocaleString('en-US')), el('td', {}, l.receptive_field.join(' x ') || 'all'),
      el('td', {}, l.jump.join(' x ') || '-'))));
  }

  pickLayer() {
    const i = Number(this.rfLayer.value || 0);
    const l = this.summary.layers[i];
    this.rfShape = l.output.length === 3 ? l.output : null;
    this.rfUnit = this.rfShape ? [Math.floor(this.rfShape[1] / 2), Math.floor(this.rfShape[2] / 2)] : [0, 0];
    this.lookUp();
  }

  async lookUp() {
    const layer = Number(this.rfLayer.value || 0);
    let r;
    try {
      r = await api('POST', '/api/receptive-field', {model: this.rfModel.value, layer, row: this.rfUnit[0],
        col: this.rfUnit[1]});
    } catch (e) {
      this.rfDescribe.textContent = e.message;
      return;
    }
    this.rfDescribe.textContent = r.describe;
    const gu = this.rfUnits.getContext('2d');
    gu.fillStyle = '#f4f4f8';
    gu.fillRect(0, 0, 224, 224);
    if (this.rfShape) {
      const [, h, w] = this.rfShape;
      gu.strokeStyle = '#ccd';
      for (let y = 0; y <= h; y++) { gu.beginPath(); gu.moveTo(0, y * 224 / h); gu.lineTo(224, y * 224 / h); gu.stroke(); }
      for (let x = 0; x <= w; x++) { gu.beginPath(); gu.moveTo(x * 224 / w, 0); gu.lineTo(x * 224 / w, 224); gu.stroke(); }
      gu.fillStyle = '#0877bd';
      gu.fillRect(this.rfUnit[1] * 224 / w, this.rfUnit[0] * 224 / h, 224 / w, 224 / h);
    } else {
      gu.fillStyle = '#0877bd';
      gu.fillRect(0, 0, 224, 224);
    }
    const gi = this.rfInput.getContext('2d');
    const [, H, W] = this.summary.input;
    gi.fillStyle = '#fff';
    gi.fillRect(0, 0, 224, 224);
    gi.strokeStyle = '#eee';
    for (let y = 0; y <= H; y++) { gi.beginPath(); gi.moveTo(0, y * 224 / H); gi.lineTo(224, y * 224 / H); gi.stroke(); }
    for (let x = 0; x <= W; x++) { gi.beginPath(); gi.moveTo(x * 224 / W, 0); gi.lineTo(x * 224 / W, 224); gi.stroke(); }
    gi.fillStyle = 'rgba(245,147,34,0.55)';
    if (r.region) {
      const c = r.region.clipped;
      gi.fillRect(c.col[0] * 224 / W, c.row[0] * 224 / H, (c.col[1] - c.col[0] + 1) * 224 / W,
          (c.row[1] - c.row[0] + 1) * 224 / H);
    } else {
      gi.fillRect(0, 0, 224, 224);
    }
  }
}
