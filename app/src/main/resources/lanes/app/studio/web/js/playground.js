// The playground view: TensorFlow Playground's controls, the network trained by the Lanes engine on the server.
// Every change of data or network makes a new run (POST /api/runs); the rate and regularisation change the
// running one (POST /api/runs/{id}/settings); frames arrive on the run's event stream.
import {el, fmt, count, field} from './dom.js';
import {api, follow, deleteOnUnload} from './api.js';
import {lineChart} from './chart.js';
import {diverging, paint, rgb, CLASS_COLOURS} from './heatmap.js';
import {Network} from './network.js';
import {readHash, writeHash} from './url-state.js';

export const RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const SPEEDS = [['full speed', 0], ['fast (3,000 steps/s)', 3000], ['medium (300 steps/s)', 300],
  ['slow (30 steps/s)', 30]];
const DEFAULTS = {dataset: 'circle', noise: 0, trainFraction: 0.5, features: ['x1', 'x2'], hidden: [8, 8],
  activation: 'tanh', learningRate: 0.03, regularization: 'none', regularizationRate: 0, batchSize: 10, seed: 1,
  stepsPerSecond: 0};
const FEATURE_FN = {
  'x1': (a, b) => a, 'x2': (a, b) => b, 'x1x2': (a, b) => a * b, 'x1^2': (a, b) => a * a,
  'x2^2': (a, b) => b * b, 'sin(x1)': (a, b) => Math.sin(a), 'sin(x2)': (a, b) => Math.sin(b),
};

export class Playground {
  constructor(root, info) {
    this.root = root;
    this.info = info;
    const fromUrl = readHash();
    this.spec = {...DEFAULTS, ...(fromUrl.view === 'playground' ? fromUrl.spec : {})};
    if (!this.spec.activations) this.spec.activations = this.spec.hidden.map(() => this.spec.activation);
    this.run = null;
    this.playing = false;
    this.build();
    deleteOnUnload(() => this.run && this.run.id);
    this.restart();
  }

  build() {
    const s = this.spec;
    this.rateLabel = el('output', {'data-testid': 'learning-rate-value'});
    this.rateSlider = el('input', {type: 'range', min: 0, max: RATES.length - 1, step: 1,
      'data-testid': 'learning-rate', 'aria-label': 'learning rate',
      value: Math.max(0, RATES.indexOf(s.learningRate)), oninput: () => this.setRate()});
    this.speed = el('select', {'data-testid': 'speed', onchange: () => this.speedChanged()},
        ...SPEEDS.map(([label, v]) => el('option', {value: v, selected: v === s.stepsPerSecond}, label)));
    this.readouts = {
      steps: el('b', {'data-testid': 'steps'}, '0'),
      epoch: el('b', {'data-testid': 'epoch'}, '0'),
      sps: el('b', {'data-testid': 'steps-per-second'}, '0'),
      train: el('b', {'data-testid': 'train-loss'}, '-'),
      test: el('b', {'data-testid': 'test-loss'}, '-'),
      accuracy: el('b', {'data-testid': 'test-accuracy'}, '-'),
    };
    this.playButton = el('button', {class: 'primary', 'data-testid': 'play', onclick: () => this.play(),
      title: 'train continuously'}, '\u25b6 play');
    this.pauseButton = el('button', {'data-testid': 'pause', onclick: () => this.pause(), disabled: true},
        '\u275a\u275a pause');
    const bar = el('div', {class: 'toolbar'},
        this.playButton, this.pauseButton,
        el('button', {'data-testid': 'step', onclick: () => this.step(),
          title: 'train one epoch: every training point once'}, 'step (1 epoch)'),
        el('button', {'data-testid': 'reset', onclick: () => this.restart(), title: 'new random weights'}, 'reset'),
        el('span', {class: 'readout'}, 'steps ', this.readouts.steps),
        el('span', {class: 'readout'}, 'epoch ', this.readouts.epoch),
        el('span', {class: 'readout'}, this.readouts.sps, ' steps/s'),
        field('learning rate', el('span', {}, this.rateSlider, this.rateLabel)),
        field('activation', el('select', {'data-testid': 'activation', onchange: e => this.setActivation(e.target.value)},
            ...this.info.activations.map(a => el('option', {value: a, selected: a === s.activation}, a)))),
        field('regularization', el('select', {'data-testid': 'regularization', onchange: e => this.setReg(
            {regularization: e.target.value})}, ...this.info.regularizations.map(r => el('option', {value: r,
          selected: r === s.regularization}, r)))),
        field('reg. rate', el('select', {'data-testid': 'regularization-rate', onchange: e => this.setReg(
            {regularizationRate: Number(e.target.value)})}, ...REG_RATES.map(r => el('option', {value: r,
          selected: r === s.regularizationRate}, r)))),
        field('speed', this.speed));
    this.notice = el('div', {class: 'notice', 'data-testid': 'divergence', hidden: true});
    this.error = el('div', {class: 'error', 'data-testid': 'playground-error', hidden: true});
    this.networkBox = el('div', {class: 'network', 'data-testid': 'network'});
    this.network = new Network(this.networkBox, {
      activations: this.info.activations,
      onAddNeuron: l => this.change(() => { this.spec.hidden[l]++; }),
      onRemoveNeuron: l => this.change(() => { this.spec.hidden[l]--; }),
      onActivation: (l, a) => this.change(() => { this.spec.activations[l] = a; }),
    });
    this.boundary = el('canvas', {width: 300, height: 300, class: 'boundary', 'data-testid': 'boundary'});
    this.pointsLayer = el('canvas', {width: 300, height: 300, class: 'points'});
    this.showTest = el('input', {type: 'checkbox', 'data-testid': 'show-test', onchange: () => this.drawPoints()});
    this.chartBox = el('div', {class: 'chart', 'data-testid': 'loss-chart'});
    this.download = el('a', {'data-testid': 'download-model', class: 'button', download: 'playground.lanes'},
        'download model');
    this.evalHint = el('code', {class: 'hint'});
    this.layersLabel = el('span', {});
    this.root.replaceChildren(
        bar, this.error, this.notice,
        el('div', {class: 'playground'},
            el('div', {class: 'column data'}, el('h3', {}, 'Data'), this.dataControls()),
            el('div', {class: 'column'},
                el('h3', {}, 'Features and hidden layers'),
                el('p', {class: 'explain'}, 'Tick the features the network gets. Each square is a neuron: its '
                    + 'output over the plane (blue positive, orange negative). Lines are weights, thicker when larger.'),
                this.featureControls(),
                el('div', {class: 'layer-buttons'},
                    el('button', {'data-testid': 'add-layer', onclick: () => this.change(() => {
                      this.spec.hidden.push(4);
                      this.spec.activations.push(this.spec.activation);
                    })}, '+ layer'),
                    el('button', {'data-testid': 'remove-layer', onclick: () => this.change(() => {
                      this.spec.hidden.pop();
                      this.spec.activations.pop();
                    })}, '\u2212 layer'),
                    this.layersLabel),
                this.networkBox),
            el('div', {class: 'column output'},
                el('h3', {}, 'Output'),
                el('div', {class: 'losses'}, 'test loss ', this.readouts.test, ' \u00b7 training loss ',
                    this.readouts.train, ' \u00b7 test accuracy ', this.readouts.accuracy),
                el('div', {class: 'stack'}, this.boundary, this.pointsLayer),
                el('label', {class: 'inline'}, this.showTest, ' show test data'),
                this.outputExplain = el('p', {class: 'explain'}),
                this.chartBox,
                el('div', {}, this.download, ' then ', this.evalHint))));
    this.chart = lineChart(this.chartBox, 'step', [{label: 'training loss'}, {label: 'test loss'}], {height: 150});
    this.showRate();
  }

  dataControls() {
    const s = this.spec;
    const sets = ['circle', 'xor', 'gauss', 'spiral'];
    const regressions = ['plane', 'multigauss'];
    const blobsK = el('select', {'data-testid': 'blobs-classes', onchange: e => this.change(() => {
      this.spec.dataset = 'blobs:' + e.target.value;
    })}, ...[2, 3, 4, 5, 6, 8, 10].map(k => el('option', {value: k,
      selected: s.dataset === 'blobs:' + k}, `${k} classes`)));
    this.datasetButtons = {};
    const buttons = sets.map(name => (this.datasetButtons[name] = el('button', {class: 'dataset',
      'data-testid': `dataset-${name}`, onclick: () => this.change(() => {
        this.spec.dataset = name;
        delete this.spec.csv;
      })}, name)));
    this.datasetButtons.blobs = el('button', {class: 'dataset', 'data-testid': 'dataset-blobs',
      onclick: () => this.change(() => { this.spec.dataset = 'blobs:' + blobsK.value; delete this.spec.csv; })},
    'blobs');
    const upload = el('input', {type: 'file', accept: '.csv,text/csv,text/plain', 'data-testid': 'csv-upload',
      onchange: async e => {
        const file = e.target.files[0];
        if (!file) return;
        if (file.size > this.info.maxBody - 1000) {
          this.showError(`${file.name} is ${count(file.size)} bytes; the studio takes up to ${count(this.info.maxBody)}`);
          return;
        }
        const text = await file.text();
        this.change(() => { this.spec.dataset = 'csv'; this.spec.csv = text; });
      }});
    const slider = (name, min, max, stepSize, testid, label, hint) => {
      const out = el('output', {}, String(s[name]));
      const input = el('input', {type: 'range', min, max, step: stepSize, value: s[name], 'data-testid': testid,
        oninput: e => { out.textContent = e.target.value; },
        onchange: e => this.change(() => { this.spec[name] = Number(e.target.value); })});
      return field(label, el('span', {}, input, out), hint);
    };
    const fits = regressions.map(name => (this.datasetButtons[name] = el('button', {class: 'dataset',
      'data-testid': `dataset-${name}`, title: 'regression: fit a value, not a class',
      onclick: () => this.change(() => { this.spec.dataset = name; delete this.spec.csv; })}, name)));
    return el('div', {},
        el('div', {class: 'datasets'}, ...buttons, this.datasetButtons.blobs, blobsK),
        el('div', {class: 'datasets'}, el('small', {class: 'hint'}, 'regression:'), ...fits),
        field('your own points (CSV: x1,x2,label)', upload),
        slider('noise', 0, 0.5, 0.05, 'noise', 'noise', 'jitter added to every point'),
        slider('trainFraction', 0.1, 0.9, 0.1, 'train-fraction', 'training share', 'the rest is held out to test'),
        slider('batchSize', 1, 30, 1, 'batch-size', 'batch size', 'points per step'),
        el('button', {'data-testid': 'regenerate', onclick: () => this.change(() => { this.spec.seed++; })},
            'regenerate'));
  }

  featureControls() {
    return el('div', {class: 'features'}, ...this.info.features.map(f => {
      const box = el('input', {type: 'checkbox', 'data-testid': `feature-${f}`, checked: this.spec.features.includes(f),
        onchange: e => this.change(() => {
          const on = e.target.checked;
          const list = this.info.features.filter(x => x === f ? on : this.spec.features.includes(x));
          if (list.length === 0) { e.target.checked = true; return false; }
          this.spec.features = list;
        })});
      return el('label', {class: 'feature'}, box, f);
    }));
  }

  paintFeature(canvas, name) {
    const fn = FEATURE_FN[name];
    const n = 36;
    paint(canvas, n, i => {
      const x1 = -6 + 12 * ((i % n) + 0.5) / n;
      const x2 = 6 - 12 * (Math.floor(i / n) + 0.5) / n;
      const v = fn(x1, x2);
      return diverging(name.includes('^2') ? v / 18 - 1 : name === 'x1x2' ? v / 18 : name.startsWith('sin') ? v : v / 6);
    });
  }

  /** Applies a change of data or network: a new run. */
  change(mutate) {
    if (mutate() === false) return;
    this.restart();
  }

  async restart() {
    const wasPlaying = this.playing;
    await this.stopFollowing(true);
    this.showError(null);
    this.notice.hidden = true;
    const s = this.spec;
    for (const [name, b] of Object.entries(this.datasetButtons)) {
      b.classList.toggle('selected', s.dataset === name || (name === 'blobs' && s.dataset.startsWith('blobs:')));
    }
    this.layersLabel.textContent = `${s.hidden.length} hidden layer${s.hidden.length === 1 ? '' : 's'}`;
    writeHash('playground', {...s, csv: undefined});
    const body = {kind: 'playground', dataset: s.dataset, noise: s.noise, trainFraction: s.trainFraction,
      features: s.features, hidden: s.hidden, activations: s.activations, learningRate: s.learningRate,
      regularization: s.regularization, regularizationRate: s.regularizationRate, batchSize: s.batchSize, seed: s.seed};
    if (s.dataset === 'csv') body.csv = s.csv || '';
    let made;
    try {
      made = await api('POST', '/api/runs', body);
    } catch (e) {
      this.showError(e.message);
      return;
    }
    this.run = {id: made.id};
    this.download.href = `/api/runs/${made.id}/model`;
    this.points = await api('GET', `/api/runs/${made.id}/points`);
    this.points.regression = s.dataset === 'plane' || s.dataset === 'multigauss';
    this.outputExplain.textContent = this.points.regression
      ? 'The colour is the value the network gives there (blue +1, white 0, orange -1); dots are the points, '
        + 'coloured by their target (outlined: test points).'
      : 'The colour is the class the network predicts there, paler where it is less sure; dots are the points '
        + '(outlined: test points).';
    this.network.layout(s.features, s.hidden, s.activations, (c, f) => this.paintFeature(c, f));
    this.drawPoints();
    this.run.close = follow(made.id, st => this.render(st), () => {});
    if (wasPlaying) this.play();
  }

  async stopFollowing(remove) {
    if (!this.run) return;
    const old = this.run;
    this.run = null;
    if (old.close) old.close();
    if (remove) {
      try { await api('DELETE', `/api/runs/${old.id}`); } catch (e) { /* already gone */ }
    }
  }

  async play() {
    if (!this.run) return;
    try {
      await api('POST', `/api/runs/${this.run.id}/play`, {stepsPerSecond: Number(this.speed.value)});
      this.setPlaying(true);
    } catch (e) {
      this.showError(e.message);
    }
  }

  async pause() {
    this.setPlaying(false);
    if (this.run) await api('POST', `/api/runs/${this.run.id}/pause`, {});
  }

  async step() {
    if (!this.run || this.playing) return;
    const steps = Math.max(1, Math.ceil(this.points.train.length / this.spec.batchSize));
    try {
      this.render(await api('POST', `/api/runs/${this.run.id}/step`, {steps}));
    } catch (e) {
      this.showError(e.message);
    }
  }

  speedChanged() {
    this.spec.stepsPerSecond = Number(this.speed.value);
    writeHash('playground', this.spec);
    if (this.playing) this.play();
  }

  setPlaying(on) {
    this.playing = on;
    this.playButton.disabled = on;
    this.pauseButton.disabled = !on;
  }

  showRate() {
    const lr = RATES[Number(this.rateSlider.value)];
    this.rateLabel.textContent = String(lr);
    return lr;
  }

  async setRate() {
    const lr = this.showRate();
    this.spec.learningRate = lr;
    writeHash('playground', this.spec);
    if (this.diverged) {
      this.restart();
    } else if (this.run) {
      await api('POST', `/api/runs/${this.run.id}/settings`, {learningRate: lr}).catch(e => this.showError(e.message));
    }
  }

  async setReg(change) {
    Object.assign(this.spec, change);
    writeHash('playground', this.spec);
    if (this.run) await api('POST', `/api/runs/${this.run.id}/settings`, change).catch(e => this.showError(e.message));
  }

  setActivation(a) {
    this.change(() => {
      this.spec.activation = a;
      this.spec.activations = this.spec.hidden.map(() => a);
    });
  }

  showError(message) {
    this.error.hidden = !message;
    this.error.textContent = message || '';
  }

  render(st) {
    if (!this.run || st.id !== this.run.id) return;
    this.readouts.steps.textContent = count(st.step);
    this.readouts.epoch.textContent = fmt(st.epoch, 3);
    this.readouts.sps.textContent = count(st.stepsPerSecond);
    this.readouts.train.textContent = fmt(st.trainLoss);
    this.readouts.test.textContent = fmt(st.testLoss);
    this.readouts.accuracy.textContent = st.testAccuracy === null ? '- (regression)'
      : (100 * st.testAccuracy).toFixed(1) + ' %';
    this.evalHint.textContent = st.evalCommand;
    this.diverged = !!st.divergence;
    if (st.divergence) {
      this.notice.hidden = false;
      this.notice.replaceChildren(el('strong', {}, 'Training diverged. '), st.divergence.message, ' ',
          el('button', {'data-testid': 'divergence-reset', onclick: () => this.restart()}, 'reset'));
      this.setPlaying(false);
    } else if (st.failure) {
      this.notice.hidden = false;
      this.notice.replaceChildren(el('strong', {}, 'Training stopped. '), st.failure);
      this.setPlaying(false);
    } else {
      this.notice.hidden = true;
      if (!st.playing && this.playing) this.setPlaying(false);
    }
    const h = st.history;
    this.chart.set(h.step, h.train, h.test);
    this.network.update(st);
    if (st.boundary) this.drawBoundary(st.boundary);
  }

  drawBoundary(b) {
    if (b.classes === 0) {
      paint(this.boundary, b.size, i => diverging(0.85 * b.output[Math.floor(i / b.size)][i % b.size]), true);
    } else if (b.winner) {
      const colours = CLASS_COLOURS.map(rgb);
      paint(this.boundary, b.size, i => {
        const c = colours[b.winner[Math.floor(i / b.size)][i % b.size] % colours.length];
        const k = b.classes;
        const sure = Math.max(0, (b.output[Math.floor(i / b.size)][i % b.size] - 1 / k) / (1 - 1 / k));
        const a = 0.2 + 0.6 * sure;
        return [255 + (c[0] - 255) * a, 255 + (c[1] - 255) * a, 255 + (c[2] - 255) * a];
      }, true);
    } else {
      paint(this.boundary, b.size, i => {
        const p = b.output[Math.floor(i / b.size)][i % b.size];
        return diverging(p === null ? 0 : 0.85 * (2 * p - 1));
      }, true);
    }
  }

  drawPoints() {
    const g = this.pointsLayer.getContext('2d');
    g.clearRect(0, 0, this.pointsLayer.width, this.pointsLayer.height);
    if (!this.points) return;
    const [x0, y0, x1, y1] = this.points.box;
    const W = this.pointsLayer.width;
    const H = this.pointsLayer.height;
    const dot = (p, test) => {
      const x = (p[0] - x0) / (x1 - x0) * W;
      const y = (y1 - p[1]) / (y1 - y0) * H;
      g.beginPath();
      g.arc(x, y, 3.5, 0, 2 * Math.PI);
      if (this.points.regression) {
        const [r, gr, bl] = diverging(p[2]);
        g.fillStyle = `rgb(${r},${gr},${bl})`;
      } else {
        g.fillStyle = CLASS_COLOURS[p[2] % CLASS_COLOURS.length];
      }
      g.fill();
      g.lineWidth = test ? 1.5 : 1;
      g.strokeStyle = test ? '#222' : '#fff';
      g.stroke();
    };
    this.points.train.forEach(p => dot(p, false));
    if (this.showTest.checked) this.points.test.forEach(p => dot(p, true));
  }
}
