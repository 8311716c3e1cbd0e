/**
 * Sound in: WAV files of every common encoding read as mono float samples ({@link lanes.layers.audio.WavFile}),
 * and band-limited resampling to a model's rate ({@link lanes.layers.audio.Resampler}).
 */
package lanes.layers.audio;
