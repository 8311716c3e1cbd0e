// Runs on the audio thread: hands every block of the microphone's samples (channels averaged) to the page.
class Capture extends AudioWorkletProcessor {
  process(inputs) {
    const channels = inputs[0];
    if (channels && channels.length > 0) {
      const mono = new Float32Array(channels[0].length);
      for (const c of channels) {
        for (let i = 0; i < mono.length; i++) mono[i] += c[i] / channels.length;
      }
      this.port.postMessage(mono, [mono.buffer]);
    }
    return true;
  }
}

registerProcessor('lanes-capture', Capture);
