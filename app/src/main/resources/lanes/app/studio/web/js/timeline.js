// A scanned recording on one time axis: its waveform, its log-mel spectrogram and the keyword's probability over
// time, with the threshold, the detections (green), the true keyword times where known (grey), and a playhead that
// follows the audio player (a click on the timeline moves it).
import {el, bytes} from './dom.js';
import {image, magma} from './heatmap.js';

const GREEN = '#2ca02c';
const TRUTH = '#888';

export class Timeline {
  constructor() {
    this.wave = el('canvas', {class: 'wave', width: 800, height: 90, 'data-testid': 'audio-waveform'});
    this.spec = el('canvas', {class: 'spec', width: 800, height: 120, 'data-testid': 'audio-spectrogram'});
    this.prob = el('canvas', {class: 'prob', width: 800, height: 130, 'data-testid': 'audio-probability'});
    this.head = el('div', {class: 'playhead', hidden: true});
    this.labels = {
      wave: el('div', {class: 'lane-label'}, 'waveform'),
      spec: el('div', {class: 'lane-label'}, 'log-mel spectrogram: 40 bands, low pitches at the bottom'),
      prob: el('div', {class: 'lane-label'}, 'P(keyword) of the window centred at each time'),
    };
    this.axis = el('div', {class: 'axis'});
    this.root = el('div', {class: 'timeline'}, this.labels.wave, this.wave, this.labels.spec, this.spec,
        this.labels.prob, this.prob, this.axis, this.head);
    this.scan = null;
    this.root.addEventListener('click', e => {
      if (!this.scan || !this.player) return;
      const box = this.wave.getBoundingClientRect();
      this.player.currentTime = Math.max(0, (e.clientX - box.left) / box.width) * this.scan.seconds;
    });
  }

  /** Follows `player` (an <audio>) with the playhead. */
  follow(player) {
    this.player = player;
    const move = () => {
      if (this.scan) {
        const box = this.wave.getBoundingClientRect();
        const root = this.root.getBoundingClientRect();
        this.head.hidden = false;
        this.head.style.left = `${box.left - root.left + player.currentTime / this.scan.seconds * box.width}px`;
      }
      if (!player.paused) requestAnimationFrame(move);
    };
    for (const e of ['play', 'seeked', 'timeupdate']) player.addEventListener(e, () => requestAnimationFrame(move));
  }

  /** Draws one scan (the answer of POST /api/detect); truth: the keyword's true times, or null. */
  show(scan, truth) {
    this.scan = scan;
    this.labels.prob.textContent = `P("${scan.keyword}") of the ${Math.round(scan.windowSeconds * 1000)} ms window `
        + `centred at each time; the line: threshold ${scan.threshold}`;
    const x = (t, canvas) => t / scan.seconds * canvas.width;
    const marks = (canvas, g) => {
      g.lineWidth = 2;
      for (const t of truth || []) line(g, x(t, canvas), canvas.height, TRUTH, [4, 3]);
      for (const d of scan.detections) line(g, x(d.seconds, canvas), canvas.height, GREEN, []);
    };
    // the waveform: each column's lowest and highest sample
    let g = this.wave.getContext('2d');
    g.clearRect(0, 0, this.wave.width, this.wave.height);
    marks(this.wave, g);
    g.fillStyle = '#0877bd';
    const mid = this.wave.height / 2;
    const cw = this.wave.width / scan.columns;
    for (let c = 0; c < scan.columns; c++) {
      const top = mid - scan.high[c] * mid;
      g.fillRect(c * cw, top, Math.max(cw, 1), Math.max(1, (scan.high[c] - scan.low[c]) * mid));
    }
    // the spectrogram: columns x bands levels, band 0 at the bottom
    const levels = bytes(scan.spectrogram);
    image(this.spec, scan.bands, scan.columns, i => {
      const band = scan.bands - 1 - Math.floor(i / scan.columns);
      return magma(levels[(i % scan.columns) * scan.bands + band]);
    });
    g = this.spec.getContext('2d');
    g.globalAlpha = 0.9;
    marks(this.spec, g);
    g.globalAlpha = 1;
    // the probability
    g = this.prob.getContext('2d');
    const h = this.prob.height - 4;
    g.clearRect(0, 0, this.prob.width, this.prob.height);
    marks(this.prob, g);
    g.strokeStyle = '#bbb';
    g.lineWidth = 1;
    g.setLineDash([]);
    g.beginPath();
    g.moveTo(0, 2 + h * (1 - scan.threshold));
    g.lineTo(this.prob.width, 2 + h * (1 - scan.threshold));
    g.stroke();
    g.strokeStyle = '#d62728';
    g.lineWidth = 1.5;
    g.beginPath();
    scan.times.forEach((t, i) => {
      const y = 2 + h * (1 - scan.probabilities[i]);
      if (i === 0) g.moveTo(x(t, this.prob), y); else g.lineTo(x(t, this.prob), y);
    });
    g.stroke();
    const ticks = [];
    const step = scan.seconds > 60 ? 10 : scan.seconds > 20 ? 5 : 1;
    for (let t = 0; t <= scan.seconds; t += step) {
      ticks.push(el('span', {style: `left: ${t / scan.seconds * 100}%`}, `${t} s`));
    }
    this.axis.replaceChildren(...ticks);
  }
}

function line(g, x, height, colour, dash) {
  g.strokeStyle = colour;
  g.setLineDash(dash);
  g.beginPath();
  g.moveTo(x, 0);
  g.lineTo(x, height);
  g.stroke();
  g.setLineDash([]);
}
