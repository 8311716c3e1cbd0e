/**
 * Signals to features: log-mel spectrograms of many frames at once, as a strided view of the signal (no copy),
 * a DFT as one matrix product against a windowed cosine and sine basis, the power of each bin, a second product
 * against the mel filterbank, and the log (per element, so that the features are the same bits before and after
 * the JIT compiles them) ({@link lanes.engine.signal.MelSpectrogram}).
 */
package lanes.engine.signal;
