// Recording from the microphone (the browser allows it on localhost) and writing samples as a WAV file.

/**
 * Starts recording. onProgress(seconds, level) is called as samples arrive; the recording stops by itself after
 * maxSeconds. Returns {stop(): Promise<{samples: Float32Array, rate}>, done: the same promise once stopped}.
 */
export async function record(maxSeconds, onProgress) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    throw new Error('this browser offers no microphone to this page (a page may use one only from localhost or '
        + 'https)');
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({audio: {echoCancellation: false, noiseSuppression: false,
      autoGainControl: false, channelCount: 1}});
  } catch (e) {
    throw new Error(`the microphone was not given (${e.name}: ${e.message}); allow it in the address bar and try `
        + 'again');
  }
  const context = new AudioContext();
  await context.audioWorklet.addModule('/js/recorder-worklet.js');
  const source = context.createMediaStreamSource(stream);
  const capture = new AudioWorkletNode(context, 'lanes-capture');
  const silent = context.createGain();
  silent.gain.value = 0;                      // the graph must reach the output to run; nothing is heard
  source.connect(capture).connect(silent).connect(context.destination);
  const rate = context.sampleRate;
  const chunks = [];
  let length = 0;
  let finish;
  const done = new Promise(resolve => { finish = resolve; });
  let stopped = false;
  const stop = () => {
    if (!stopped) {
      stopped = true;
      source.disconnect();
      capture.port.onmessage = null;
      stream.getTracks().forEach(t => t.stop());
      context.close();
      const samples = new Float32Array(length);
      let at = 0;
      for (const c of chunks) { samples.set(c, at); at += c.length; }
      finish({samples, rate});
    }
    return done;
  };
  capture.port.onmessage = e => {
    const block = e.data.subarray(0, Math.max(0, Math.min(e.data.length, maxSeconds * rate - length)));
    chunks.push(block);
    length += block.length;
    let peak = 0;
    for (const v of block) peak = Math.max(peak, Math.abs(v));
    if (onProgress) onProgress(length / rate, peak);
    if (length >= maxSeconds * rate) stop();
  };
  return {stop, done};
}

/** Samples in [-1, 1] as a 16-bit PCM mono WAV file. */
export function wavBlob(samples, rate) {
  const bytes = new ArrayBuffer(44 + 2 * samples.length);
  const v = new DataView(bytes);
  const text = (at, s) => { for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i)); };
  text(0, 'RIFF');
  v.setUint32(4, 36 + 2 * samples.length, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);                   // PCM
  v.setUint16(22, 1, true);                   // mono
  v.setUint32(24, rate, true);
  v.setUint32(28, 2 * rate, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  text(36, 'data');
  v.setUint32(40, 2 * samples.length, true);
  for (let i = 0; i < samples.length; i++) {
    v.setInt16(44 + 2 * i, Math.round(Math.max(-1, Math.min(1, samples[i])) * 32767), true);
  }
  return new Blob([bytes], {type: 'audio/wav'});
}
