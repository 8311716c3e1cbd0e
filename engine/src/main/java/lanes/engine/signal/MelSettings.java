package lanes.engine.signal;

import java.util.Locale;

/**
 * What a log-mel spectrogram is computed with, as torchaudio's {@code MelSpectrogram(sample_rate, n_fft,
 * win_length, hop_length, f_min, f_max, n_mels, window_fn=hann_window, power=2, center=False, norm=None,
 * mel_scale="htk")} followed by {@code log(x + floor)}.
 *
 * @param rate samples per second
 * @param nfft the DFT's length; frames start every {@code hop} samples and are {@code nfft} long
 * @param window the Hann window's length (at most nfft), centred in the frame as torch.stft centres it
 * @param hop samples between frame starts
 * @param mels mel bands
 * @param fMin the lowest band's lower edge, Hz
 * @param fMax the highest band's upper edge, Hz (at most rate / 2)
 * @param floor added before the log
 */
public record MelSettings(int rate, int nfft, int window, int hop, int mels, double fMin, double fMax, double floor) {
    /**
     * Settings, checked.
     *
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public MelSettings {
        if (rate < 1 || nfft < 2 || window < 1 || window > nfft || hop < 1 || mels < 1 || !(fMin >= 0)
                || !(fMax > fMin) || fMax > rate / 2.0 + 1e-9 || !(floor > 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "mel spectrogram: rate %d, n_fft %d, "
                    + "window %d, hop %d, mels %d, f_min %s, f_max %s, floor %s: need rate >= 1, n_fft >= 2, "
                    + "1 <= window <= n_fft, hop >= 1, mels >= 1, 0 <= f_min < f_max <= rate / 2, floor > 0", rate,
                    nfft, window, hop, mels, fMin, fMax, floor));
        }
    }

    /**
     * TensorFlow Lite Micro's micro_speech framing at 16 kHz: 30 ms windows every 20 ms, 40 bands from 20 Hz to
     * 7.6 kHz (its 512-point DFT).
     *
     * @return the settings
     */
    public static MelSettings keywordSpotting() {
        return new MelSettings(16_000, 512, 480, 320, 40, 20, 7_600, 1e-6);
    }

    /**
     * The DFT's bins kept: 0 to nfft / 2.
     *
     * @return nfft / 2 + 1
     */
    public int bins() {
        return nfft / 2 + 1;
    }

    /**
     * The frames of a signal of {@code samples} samples: {@code 1 + (samples - nfft) / hop}, or 0 if it is shorter
     * than one frame.
     *
     * @param samples the signal's length
     * @return whole frames
     */
    public int frames(long samples) {
        return samples < nfft ? 0 : (int) Math.min(Integer.MAX_VALUE, 1 + (samples - nfft) / hop);
    }
}
