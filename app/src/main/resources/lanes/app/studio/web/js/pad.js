// The drawing pad: a person draws a digit; the train run's model gives the class probabilities and every layer's
// feature maps (POST /api/runs/{id}/predict).
import {el, bytes} from './dom.js';
import {api} from './api.js';
import {diverging, paint, greys} from './heatmap.js';

const SIDE = 196;

export class Pad {
  constructor(runId) {
    this.runId = runId;
    this.canvas = el('canvas', {width: SIDE, height: SIDE, class: 'pad', 'data-testid': 'pad'});
    this.predicted = el('b', {'data-testid': 'pad-predicted'}, '-');
    this.bars = el('div', {class: 'bars', 'data-testid': 'pad-probabilities'});
    this.maps = el('div', {class: 'maps', 'data-testid': 'pad-maps'});
    this.status = el('small', {class: 'hint'}, 'Train a model on the digits first, then draw here.');
    this.root = el('div', {},
        el('div', {class: 'pad-row'}, this.canvas, el('div', {}, 'predicted: ', this.predicted, this.bars,
            el('button', {'data-testid': 'pad-clear', onclick: () => this.clear()}, 'clear'))),
        this.status, el('h3', {}, 'What each layer sees'), this.maps);
    this.clear();
    let drawing = false;
    let last = null;
    const at = e => {
      const r = this.canvas.getBoundingClientRect();
      return [(e.clientX - r.left) * SIDE / r.width, (e.clientY - r.top) * SIDE / r.height];
    };
    this.canvas.addEventListener('pointerdown', e => { drawing = true; last = at(e); this.dot(last, last); });
    this.canvas.addEventListener('pointermove', e => {
      if (!drawing) return;
      const p = at(e);
      this.dot(last, p);
      last = p;
    });
    const end = () => { if (drawing) { drawing = false; this.predict(); } };
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointerleave', end);
  }

  ready(images) {
    this.status.textContent = images ? 'Draw a digit with the mouse; the prediction follows each stroke.'
      : 'The drawing pad needs a model of images.';
  }

  clear() {
    const g = this.canvas.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, SIDE, SIDE);
    this.predicted.textContent = '-';
    this.bars.replaceChildren();
    this.maps.replaceChildren();
  }

  dot(a, b) {
    const g = this.canvas.getContext('2d');
    g.strokeStyle = '#000';
    g.lineWidth = 14;
    g.lineCap = 'round';
    g.beginPath();
    g.moveTo(a[0], a[1]);
    g.lineTo(b[0], b[1]);
    g.stroke();
  }

  async predict() {
    const id = this.runId();
    if (!id) return;
    const small = 56;                                   // sent at 56 x 56; the server centres it as MNIST's digits
    const off = document.createElement('canvas');
    off.width = small;
    off.height = small;
    const g = off.getContext('2d');
    g.drawImage(this.canvas, 0, 0, small, small);
    const data = g.getImageData(0, 0, small, small).data;
    const pixels = [];
    for (let i = 0; i < small * small; i++) pixels.push(Math.round((255 - data[4 * i]) / 255 * 1000) / 1000);
    try {
      const r = await api('POST', `/api/runs/${id}/predict`, {width: small, height: small, pixels});
      this.show(r);
    } catch (e) {
      this.status.textContent = e.message;
    }
  }

  show(r) {
    this.predicted.textContent = r.classes[r.predicted];
    this.bars.replaceChildren(...r.probabilities.map((p, c) => el('div', {class: 'bar-row'},
        el('span', {class: 'bar-label'}, r.classes[c]),
        el('span', {class: 'bar' + (c === r.predicted ? ' winner' : ''), style: `width:${Math.round(100 * p)}px`}),
        el('span', {class: 'bar-value'}, (100 * p).toFixed(1) + ' %'))));
    const input = el('canvas', {width: 56, height: 56, title: 'the input, centred as MNIST\'s digits'});
    greys(input, r.input.shape[0], r.input.shape[1], bytes(r.input.grid), true);
    const rows = [el('div', {class: 'map-row'}, el('span', {class: 'mono'}, 'input'), input)];
    for (const layer of r.layers) {
      if (!layer.maps) continue;
      const [, h, w] = layer.shape;
      rows.push(el('div', {class: 'map-row'}, el('span', {class: 'mono', title: layer.layer},
          layer.layer.length > 28 ? layer.layer.slice(0, 26) + '\u2026' : layer.layer),
      ...layer.maps.map(m => {
        const c = el('canvas', {width: 40, height: 40});
        const g = bytes(m.grid);
        const top = Math.max(Math.abs(m.min), Math.abs(m.max)) || 1;
        const span = (m.max - m.min) / 255;
        if (h === w) paint(c, h, i => diverging((m.min + g[i] * span) / top));
        return c;
      })));
    }
    this.maps.replaceChildren(...rows);
  }
}
