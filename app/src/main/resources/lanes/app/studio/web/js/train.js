// The train view: a `lanes train` run started from the page and watched live: the loss of every step, the test
// accuracy of every epoch, images/s, each layer's time, the first convolution's filters, the confusion matrix
// (a click shows those test images) and a drawing pad.
import {el, fmt, count, field, bytes} from './dom.js';
import {api, follow, deleteOnUnload} from './api.js';
import {lineChart} from './chart.js';
import {diverging, paint, greys} from './heatmap.js';
import {Pad} from './pad.js';

export class Train {
  constructor(root, info) {
    this.root = root;
    this.info = info;
    this.run = null;
    deleteOnUnload(() => this.run && this.run.id);
    this.build();
  }

  build() {
    const input = (testid, value, attrs = {}) => el('input', {'data-testid': testid, value, ...attrs});
    const select = (testid, options, value) => el('select', {'data-testid': testid},
        ...options.map(o => el('option', {value: o, selected: o === value}, o)));
    const models = el('datalist', {id: 'model-names'}, ...this.info.models.map(m => el('option', {value: m})),
        el('option', {value: 'Conv2d(1, 6, 5, padding=2), ReLU(), MaxPool2d(2), Flatten(), Linear(1176, 10)'}));
    this.form = {
      model: input('train-model', 'lenet5', {list: 'model-names', size: 40}),
      data: select('train-data', this.info.trainData, 'digits'),
      optimizer: select('train-optimizer', ['sgd', 'adam'], 'sgd'),
      learningRate: input('train-learning-rate', '0.05', {type: 'number', step: 'any', min: 0}),
      schedule: select('train-schedule', ['cosine', 'constant'], 'cosine'),
      epochs: input('train-epochs', '3', {type: 'number', min: 1, max: 100}),
      batchSize: input('train-batch', '64', {type: 'number', min: 1, max: 1024}),
      threads: input('train-threads', String(this.info.cores), {type: 'number', min: 1, max: this.info.cores}),
    };
    this.form.optimizer.addEventListener('change', () => {
      this.form.learningRate.value = this.form.optimizer.value === 'adam' ? '0.001' : '0.05';
    });
    this.startButton = el('button', {class: 'primary', 'data-testid': 'train-start', onclick: () => this.start()},
        '\u25b6 start training');
    this.stopButton = el('button', {'data-testid': 'train-stop', disabled: true, onclick: () => this.stop()}, 'stop');
    this.save = el('a', {class: 'button', 'data-testid': 'train-save', download: 'model.lanes', hidden: true},
        'save model');
    this.error = el('div', {class: 'error', 'data-testid': 'train-error', hidden: true});
    this.read = {
      epoch: el('b', {'data-testid': 'train-epoch'}, '-'),
      accuracy: el('b', {'data-testid': 'train-test-accuracy'}, '-'),
      speed: el('b', {'data-testid': 'train-images-per-second'}, '-'),
      loss: el('b', {'data-testid': 'train-running-loss'}, '-'),
      status: el('span', {'data-testid': 'train-status'}, 'not started'),
    };
    this.lossBox = el('div', {class: 'chart', 'data-testid': 'train-loss-chart'});
    this.accBox = el('div', {class: 'chart', 'data-testid': 'train-accuracy-chart'});
    this.filters = el('div', {class: 'filters', 'data-testid': 'filters'});
    this.times = el('table', {class: 'times', 'data-testid': 'layer-times'});
    this.confusion = el('table', {class: 'confusion', 'data-testid': 'confusion'});
    this.examples = el('div', {class: 'examples', 'data-testid': 'examples'});
    this.pad = new Pad(id => this.run && this.run.id);
    this.root.replaceChildren(
        models,
        el('div', {class: 'toolbar'},
            field('model', this.form.model, 'a short name or PyTorch layers'), field('data', this.form.data),
            field('optimizer', this.form.optimizer), field('learning rate', this.form.learningRate),
            field('schedule', this.form.schedule), field('epochs', this.form.epochs),
            field('batch', this.form.batchSize), field('threads', this.form.threads),
            this.startButton, this.stopButton, this.save),
        this.error,
        el('div', {class: 'readouts'}, this.read.status, ' \u00b7 epoch ', this.read.epoch, ' \u00b7 test accuracy ',
            this.read.accuracy, ' \u00b7 ', this.read.speed, ' images/s \u00b7 loss ', this.read.loss),
        el('div', {class: 'train-grid'},
            el('div', {class: 'panel'}, el('h3', {}, 'Loss of each step'), this.lossBox,
                el('h3', {}, 'Test accuracy after each epoch'), this.accBox),
            el('div', {class: 'panel'}, el('h3', {}, 'First convolution\'s filters'),
                el('p', {class: 'explain'}, 'Each square is one 5x5 filter (blue positive, orange negative): random '
                    + 'at first, they become edge and stroke detectors as the network learns.'), this.filters,
                el('h3', {}, 'Time per layer (one batch of 64)'), this.times),
            el('div', {class: 'panel'}, el('h3', {}, 'Confusion matrix (rows: true class, columns: predicted)'),
                el('p', {class: 'explain'}, 'Click a cell to see those test images.'), this.confusion,
                this.examples),
            el('div', {class: 'panel'}, el('h3', {}, 'Draw a digit'), this.pad.root)));
    this.lossChart = lineChart(this.lossBox, 'step', [{label: 'training loss'}], {height: 170});
    this.accChart = lineChart(this.accBox, 'epoch', [{label: 'test accuracy %'}], {height: 140});
  }

  settings() {
    const f = this.form;
    return {kind: 'train', model: f.model.value, data: f.data.value, optimizer: f.optimizer.value,
      learningRate: Number(f.learningRate.value), schedule: f.schedule.value, epochs: Number(f.epochs.value),
      batchSize: Number(f.batchSize.value), threads: Number(f.threads.value)};
  }

  async start() {
    this.showError(null);
    if (this.run) {
      if (this.run.close) this.run.close();
      await api('DELETE', `/api/runs/${this.run.id}`).catch(() => {});
      this.run = null;
    }
    this.read.status.textContent = 'loading the data and building the model ...';
    let made;
    try {
      made = await api('POST', '/api/runs', this.settings());
      await api('POST', `/api/runs/${made.id}/play`, {});
    } catch (e) {
      this.showError(e.message);
      this.read.status.textContent = 'not started';
      return;
    }
    this.run = {id: made.id};
    this.save.href = `/api/runs/${made.id}/model`;
    this.save.hidden = false;
    this.startButton.textContent = '\u25b6 start again';
    this.stopButton.disabled = false;
    this.examples.replaceChildren();
    this.run.close = follow(made.id, st => this.render(st));
  }

  async stop() {
    if (!this.run) return;
    await api('POST', `/api/runs/${this.run.id}/pause`, {}).catch(e => this.showError(e.message));
  }

  showError(m) {
    this.error.hidden = !m;
    this.error.textContent = m || '';
  }

  render(st) {
    if (!this.run || st.id !== this.run.id) return;
    this.read.status.textContent = st.failure ? 'failed' : st.playing ? `training ${st.model}` : st.done
      ? 'done' : st.step > 0 ? 'stopped' : 'starting';
    if (st.failure) this.showError(st.failure);
    this.stopButton.disabled = !st.playing;
    this.read.epoch.textContent = `${st.epoch} / ${st.epochs}`;
    this.read.accuracy.textContent = st.testAccuracy === null ? '-' : (100 * st.testAccuracy).toFixed(2) + ' %';
    this.read.speed.textContent = count(st.imagesPerSecond);
    this.read.loss.textContent = fmt(st.trainLoss);
    this.lossChart.set(st.history.step, st.history.train);
    this.accChart.set(st.epochLog.map(e => e.epoch), st.epochLog.map(e => 100 * e.testAccuracy));
    this.renderFilters(st.filters);
    this.renderTimes(st.layerTimes);
    this.renderConfusion(st.confusion, st.classes);
    this.pad.ready(st.input && st.input.length === 3);
  }

  renderFilters(f) {
    if (!f) {
      this.filters.textContent = 'This model has no convolution.';
      return;
    }
    const [out, inC, kh, kw] = f.shape;
    if (!this.filterCanvases || this.filterCanvases.length !== out) {
      this.filterCanvases = [];
      this.filters.replaceChildren();
      for (let o = 0; o < Math.min(out, 32); o++) {
        const c = el('canvas', {width: 48, height: 48, class: 'filter', 'data-testid': `filter-${o}`});
        this.filterCanvases.push(c);
        this.filters.append(c);
      }
    }
    const scale = Math.max(Math.abs(f.min), Math.abs(f.max)) || 1;
    this.filterCanvases.forEach((c, o) => {
      const base = o * inC * kh * kw;               // the first input channel
      paint(c, kh, i => diverging(f.values[base + Math.floor(i / kh) * kw + (i % kh)] / scale));
    });
  }

  renderTimes(t) {
    if (!t) {
      this.times.replaceChildren(el('tr', {}, el('td', {}, 'measured after the first epoch')));
      return;
    }
    const top = Math.max(...t.layers.map(l => l.forwardMs + l.backwardMs), 1e-6);
    this.times.replaceChildren(el('tr', {}, el('th', {}, 'layer'), el('th', {}, 'forward ms'),
        el('th', {}, 'backward ms'), el('th', {}, '')),
    ...t.layers.map(l => el('tr', {}, el('td', {class: 'mono'}, l.layer), el('td', {}, l.forwardMs.toFixed(3)),
        el('td', {}, l.backwardMs.toFixed(3)), el('td', {}, el('span', {class: 'bar',
          style: `width:${(100 * (l.forwardMs + l.backwardMs) / top).toFixed(0)}px`})))));
  }

  renderConfusion(m, classes) {
    if (!m) {
      this.confusion.replaceChildren(el('tr', {}, el('td', {}, 'after the first epoch')));
      return;
    }
    const top = Math.max(...m.flat(), 1);
    this.confusion.replaceChildren(
        el('tr', {}, el('th', {}, ''), ...classes.map(c => el('th', {}, c))),
        ...m.map((row, t) => el('tr', {}, el('th', {}, classes[t]), ...row.map((v, p) => el('td', {
          'data-testid': `confusion-cell-${t}-${p}`, class: t === p ? 'diagonal' : v ? 'mistake' : '',
          style: `--shade:${(v / top).toFixed(3)}`, title: `true ${classes[t]}, predicted ${classes[p]}: ${v}`,
          onclick: () => this.showExamples(t, p)}, v)))));
  }

  async showExamples(t, p) {
    if (!this.run) return;
    try {
      const r = await api('GET', `/api/runs/${this.run.id}/examples?true=${t}&predicted=${p}`);
      const [c, rows, cols] = r.shape.length === 3 ? r.shape : [1, 1, r.shape[0]];
      this.examples.replaceChildren(el('div', {class: 'explain'}, `${r.images.length} test image`
          + `${r.images.length === 1 ? '' : 's'} of class ${t} predicted as ${p}` + (r.images.length === 60
            ? ' (the first 60)' : '')), ...r.images.map(im => {
        const canvas = el('canvas', {width: 42, height: 42, title: `test image ${im.index}`,
          'data-testid': 'example-image'});
        greys(canvas, rows, cols, bytes(im.pixels).slice(0, rows * cols), true);
        return canvas;
      }));
    } catch (e) {
      this.showError(e.message);
    }
  }
}
