// The playground's network drawing: a column of input features, one per hidden layer, the output; each neuron a
// small picture of its output over the plane (from the engine's grids), each link coloured by its weight
// (blue positive, orange negative) and as thick as it is large.
import {el, bytes} from './dom.js';
import {diverging, paint} from './heatmap.js';

const NODE = 36;
const GAP_Y = 10;

export class Network {
  constructor(box, {onAddNeuron, onRemoveNeuron, onActivation, activations}) {
    this.box = box;
    this.handlers = {onAddNeuron, onRemoveNeuron, onActivation};
    this.activations = activations;
    this.key = null;
  }

  /** Rebuilds the drawing for features (names) and hidden (sizes) with per-layer activations. */
  layout(features, hidden, layerActivations, featurePainter) {
    const key = JSON.stringify([features, hidden, layerActivations]);
    if (key === this.key) return;
    this.key = key;
    this.box.replaceChildren();
    const columns = [features.length, ...hidden, 1];
    const width = Math.max(this.box.clientWidth, 120 * columns.length);
    const tallest = Math.max(...columns);
    const height = 60 + tallest * (NODE + GAP_Y);
    const colX = i => 20 + i * (width - 40 - NODE) / (columns.length - 1);
    const nodeY = (col, j) => 60 + j * (NODE + GAP_Y) + (tallest - columns[col]) * (NODE + GAP_Y) / 2;
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    svg.classList.add('links');
    this.box.style.height = height + 'px';
    this.box.append(svg);
    this.links = [];
    for (let c = 1; c < columns.length; c++) {
      const layer = [];
      for (let j = 0; j < columns[c]; j++) {
        const row = [];
        for (let i = 0; i < columns[c - 1]; i++) {
          const line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
          line.setAttribute('x1', colX(c - 1) + NODE);
          line.setAttribute('y1', nodeY(c - 1, i) + NODE / 2);
          line.setAttribute('x2', colX(c));
          line.setAttribute('y2', nodeY(c, j) + NODE / 2);
          svg.append(line);
          row.push(line);
        }
        layer.push(row);
      }
      this.links.push(layer);
    }
    this.nodes = [];
    features.forEach((f, j) => {
      const canvas = el('canvas', {width: NODE, height: NODE, class: 'node', title: f});
      canvas.style.left = colX(0) + 'px';
      canvas.style.top = nodeY(0, j) + 'px';
      const label = el('span', {class: 'node-label'}, f);
      label.style.left = (colX(0) - 4) + 'px';
      label.style.top = (nodeY(0, j) + NODE + 1) + 'px';
      this.box.append(canvas, label);
      featurePainter(canvas, f);
    });
    this.box.append(el('div', {class: 'column-head', style: `left:${colX(0) - 10}px`}, 'inputs'));
    hidden.forEach((n, l) => {
      const head = el('div', {class: 'column-head', style: `left:${colX(l + 1) - 30}px`},
          el('button', {class: 'tiny', 'data-testid': `add-neuron-${l}`, title: 'one more neuron',
            disabled: n >= 32, onclick: () => this.handlers.onAddNeuron(l)}, '+'),
          el('button', {class: 'tiny', 'data-testid': `remove-neuron-${l}`, title: 'one neuron less',
            disabled: n <= 1, onclick: () => this.handlers.onRemoveNeuron(l)}, '\u2212'),
          el('div', {}, `${n} neuron${n === 1 ? '' : 's'}`),
          this.activationSelect(l, layerActivations[l]));
      this.box.append(head);
      const layer = [];
      for (let j = 0; j < n; j++) {
        const canvas = el('canvas', {width: NODE, height: NODE, class: 'node', 'data-testid': `neuron-${l}-${j}`,
          title: `layer ${l + 1}, neuron ${j + 1}: its output over the plane`});
        canvas.style.left = colX(l + 1) + 'px';
        canvas.style.top = nodeY(l + 1, j) + 'px';
        this.box.append(canvas);
        layer.push(canvas);
      }
      this.nodes.push(layer);
    });
    const out = el('div', {class: 'column-head', style: `left:${colX(columns.length - 1) - 10}px`}, 'output');
    this.box.append(out);
  }

  activationSelect(layer, value) {
    const s = el('select', {'data-testid': `activation-${layer}`, title: 'this layer\'s activation',
      onchange: e => this.handlers.onActivation(layer, e.target.value)},
    ...this.activations.map(a => el('option', {value: a, selected: a === value}, a)));
    return s;
  }

  /** Colours the links by the weights ([layer][out][in]) and paints the neurons' grids. */
  update(state) {
    if (!this.links) return;
    state.weights.forEach((w, l) => {
      const layer = this.links[l];
      if (!layer) return;
      w.forEach((row, j) => row.forEach((v, i) => {
        const line = layer[j] && layer[j][i];
        if (!line) return;
        line.setAttribute('stroke', v >= 0 ? '#0877bd' : '#f59322');
        line.setAttribute('stroke-width', Math.min(6, 0.3 + 2 * Math.abs(v)).toFixed(2));
        line.setAttribute('stroke-opacity', Math.min(1, 0.25 + Math.abs(v)).toFixed(2));
      }));
    });
    const b = state.boundary;
    if (!b) return;
    for (const n of b.neurons) {
      const canvas = this.nodes[n.layer] && this.nodes[n.layer][n.index];
      if (!canvas) continue;
      const grid = bytes(n.grid);
      const span = (n.max - n.min) / 255;
      paint(canvas, b.size, i => diverging(n.min + grid[i] * span));
    }
  }
}
