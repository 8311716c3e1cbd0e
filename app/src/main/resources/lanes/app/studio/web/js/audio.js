// The audio view: a keyword spotter scanned along a recording (from the microphone, a WAV file or an example made
// of held-out voices): its waveform, spectrogram and the keyword's probability over time, and the detections. With
// no detector yet, one button trains one on the keyword set the studio offers.
import {el, fmt, field} from './dom.js';
import {api, apiBytes, fetchBytes, follow, deleteOnUnload} from './api.js';
import {record, wavBlob} from './recorder.js';
import {Timeline} from './timeline.js';

const MAX_RECORDING_SECONDS = 60;
const TRAIN_EPOCHS = 12;

export class AudioView {
  constructor(root) {
    this.root = root;
    this.sound = null;           // {blob, truth, name}: what is on screen
    this.recording = null;
    this.trainRun = null;
    this.exampleSeed = 1;
    deleteOnUnload(() => this.trainRun);
    this.build();
    this.refresh();
  }

  build() {
    this.detector = el('select', {'data-testid': 'audio-detector', onchange: () => this.rescan()});
    this.threshold = el('input', {type: 'range', min: 0.5, max: 0.999, step: 0.001, value: 0.99,
      'data-testid': 'audio-threshold', onchange: () => this.rescan(),
      oninput: () => { this.thresholdValue.textContent = this.threshold.value; }});
    this.thresholdValue = el('b', {}, '0.99');
    this.trainButton = el('button', {'data-testid': 'audio-train', hidden: true, onclick: () => this.train()},
        'train a keyword spotter (about 30 s)');
    this.trainStatus = el('span', {class: 'inline', 'data-testid': 'audio-train-status'});
    this.recordButton = el('button', {class: 'primary', 'data-testid': 'audio-record', onclick: () => this.toggle()},
        '\u25cf record');
    this.exampleButton = el('button', {'data-testid': 'audio-example', hidden: true, onclick: () => this.example()},
        'example recording');
    this.file = el('input', {type: 'file', accept: '.wav,audio/wav,audio/x-wav', 'data-testid': 'audio-file',
      onchange: () => this.file.files[0] && this.load(this.file.files[0], null, this.file.files[0].name)});
    this.status = el('span', {class: 'inline', 'data-testid': 'audio-status'});
    this.error = el('div', {class: 'error', 'data-testid': 'audio-error', hidden: true});
    this.help = el('div', {class: 'notice', 'data-testid': 'audio-help', hidden: true});
    this.player = el('audio', {controls: true, 'data-testid': 'audio-player'});
    this.summary = el('div', {class: 'readouts', 'data-testid': 'audio-summary'}, 'Record, open a WAV file or play '
        + 'the example: the detector runs on it in the studio and everything it saw is drawn here.');
    this.found = el('ol', {class: 'detections', 'data-testid': 'audio-detections'});
    this.timeline = new Timeline();
    this.timeline.follow(this.player);
    this.root.replaceChildren(
        el('div', {class: 'toolbar'},
            field('detector', this.detector, 'a keyword spotter'), this.trainButton, this.trainStatus,
            field('threshold', el('span', {}, this.threshold, ' ', this.thresholdValue),
                'a detection needs this probability')),
        el('div', {class: 'toolbar'}, this.recordButton, this.exampleButton,
            field('or a WAV file', this.file), this.status),
        this.help, this.error,
        el('div', {class: 'panel audio'}, this.player, this.summary, this.timeline.root,
            el('h3', {}, 'Detections'), this.found,
            el('p', {class: 'explain'}, 'The detector is the keyword spotter without its last layer, the max over '
                + 'time: its 1-D convolutions slide one shared detector along the spectrogram, so each red point is '
                + 'the keyword\'s probability for the window centred there. In training, the max over these '
                + 'positions said whether a 2 s clip held the keyword anywhere; here every position is shown. A '
                + 'detection is a run of positions above the threshold; dashed grey lines mark where an example '
                + 'recording really has the keyword.')));
  }

  // the detectors and the keyword set, and what to offer when there is no detector
  async refresh(select) {
    try {
      const d = await api('GET', '/api/detectors');
      this.limits = d;
      const keep = select || this.detector.value;
      this.detector.replaceChildren(...d.detectors.map(x => el('option', {value: x.name, title: x.description},
          `${x.name} ("${x.keyword}")`)));
      if (d.detectors.some(x => x.name === keep)) this.detector.value = keep;
      this.trainButton.hidden = !d.speechData;
      this.exampleButton.hidden = !d.speechData;
      this.help.hidden = d.detectors.length > 0;
      this.help.textContent = d.detectors.length > 0 ? '' : d.speechData
        ? 'No keyword spotter yet: press "train a keyword spotter" (it learns "welcome" from the keyword set in '
          + 'about 30 s), or start lanes studio --detector FILE with a model from lanes train --data data/speech '
          + '--model kws --save FILE.'
        : 'No keyword spotter yet: start lanes studio --data data/speech (to train one here and hear examples) or '
          + '--detector FILE (a model from lanes train --data data/speech --model kws --save FILE).';
    } catch (e) {
      this.fail(e);
    }
  }

  // trains kws on the keyword set, then keeps it as a detector (a copy that outlives the run)
  async train() {
    this.trainButton.disabled = true;
    this.clearError();
    try {
      const made = await api('POST', '/api/runs', {kind: 'train', model: 'kws', data: this.limits.speechData,
        optimizer: 'adam', learningRate: 0.001, epochs: TRAIN_EPOCHS});
      this.trainRun = made.id;
      await api('POST', `/api/runs/${made.id}/play`, {});
      const close = follow(made.id, async st => {
        this.trainStatus.textContent = `training: epoch ${st.epoch} of ${st.epochs}`
            + (st.testAccuracy === null ? '' : `, ${fmt(100 * st.testAccuracy)} % on held-out voices`);
        if (st.failure) {
          close();
          this.fail(new Error(st.failure));
        } else if (st.done) {
          close();
          const kept = await api('POST', '/api/detectors', {run: made.id});
          await api('DELETE', `/api/runs/${made.id}`);
          this.trainRun = null;
          this.trainStatus.textContent = `trained: ${kept.description}`;
          this.trainButton.disabled = false;
          await this.refresh(kept.name);
          this.rescan();
        }
      });
    } catch (e) {
      this.trainButton.disabled = false;
      this.fail(e);
    }
  }

  async toggle() {
    this.clearError();
    if (this.recording) {
      this.recordButton.disabled = true;
      await this.recording.stop();
      return;
    }
    try {
      this.recording = await record(MAX_RECORDING_SECONDS, (seconds, peak) => {
        this.status.textContent = `recording ${seconds.toFixed(1)} s (level ${Math.round(100 * peak)} %; stops `
            + `by itself at ${MAX_RECORDING_SECONDS} s)`;
      });
    } catch (e) {
      this.fail(e);
      return;
    }
    this.recordButton.textContent = '\u25a0 stop';
    this.recordButton.dataset.recording = 'true';
    const {samples, rate} = await this.recording.done;
    this.recording = null;
    this.recordButton.disabled = false;
    this.recordButton.textContent = '\u25cf record';
    delete this.recordButton.dataset.recording;
    await this.load(wavBlob(samples, rate), null, `microphone, ${(samples.length / rate).toFixed(1)} s at ${rate} Hz`);
  }

  async example() {
    this.clearError();
    try {
      const seed = this.exampleSeed++;
      const {blob, headers} = await fetchBytes(`/api/audio/example?seconds=12&keywords=3&seed=${seed}`);
      const truth = (headers.get('Lanes-Keyword-Seconds') || '').split(',').filter(s => s).map(Number);
      await this.load(blob, truth, `example ${seed}: held-out voices, "welcome" at `
          + truth.map(t => `${t.toFixed(2)} s`).join(', '));
    } catch (e) {
      this.fail(e);
    }
  }

  async load(blob, truth, name) {
    if (this.player.src) URL.revokeObjectURL(this.player.src);
    this.sound = {blob, truth, name};
    this.player.src = URL.createObjectURL(blob);
    await this.rescan();
  }

  async rescan() {
    if (!this.sound) return;
    if (!this.detector.value) {
      this.summary.textContent = `${this.sound.name}: no detector to scan it with yet (see above)`;
      return;
    }
    this.clearError();
    this.status.textContent = 'scanning\u2026';
    try {
      const q = `detector=${encodeURIComponent(this.detector.value)}&threshold=${this.threshold.value}`;
      const scan = await apiBytes('POST', `/api/detect?${q}`, this.sound.blob, 'audio/wav');
      this.timeline.show(scan, this.sound.truth);
      const n = scan.detections.length;
      this.summary.textContent = `${this.sound.name}. "${scan.keyword}" found ${n} time${n === 1 ? '' : 's'} in `
          + `${scan.seconds.toFixed(1)} s (threshold ${scan.threshold}); the studio scanned it at `
          + `${Math.round(scan.timesRealTime)} times real time.`;
      this.found.replaceChildren(...scan.detections.map(d => el('li', {'data-seconds': d.seconds},
          `${d.seconds.toFixed(2)} s, probability ${d.score.toFixed(3)}`)));
      this.status.textContent = '';
    } catch (e) {
      this.status.textContent = '';
      this.fail(e);
    }
  }

  clearError() {
    this.error.hidden = true;
  }

  fail(e) {
    this.error.hidden = false;
    this.error.textContent = e.message;
  }
}
