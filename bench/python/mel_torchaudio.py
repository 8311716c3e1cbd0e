#!/usr/bin/env python3
"""torchaudio peer for `lanes bench mel`: MelSpectrogram (power 2, Hann, center=False, HTK, no norm) and log of 10 s
of 16 kHz audio on one thread, for the keyword-spotting framing (n_fft 512, window 480, hop 320, 40 bands from
20 Hz to 7.6 kHz) and torchaudio's defaults (n_fft 400, hop 200, 128 bands); ms per call (median of rounds) and
seconds of audio per second.

    /usr/bin/python3 bench/python/mel_torchaudio.py [--json FILE]
"""
import argparse, json, time
import peer_env  # noqa: F401  (before torch: see peer_env.py)
import torch
import torchaudio

SETTINGS = {"kws": dict(n_fft=512, win_length=480, hop_length=320, n_mels=40, f_min=20.0, f_max=7600.0),
            "defaults": dict(n_fft=400, win_length=400, hop_length=200, n_mels=128, f_min=0.0, f_max=8000.0)}


def signal():
    """10 s at 16 kHz: a tone and noise, the same samples as MelBench and DetectorBench."""
    g = torch.Generator().manual_seed(5)
    n = 10 * 16000
    return (0.3 * torch.sin(torch.arange(n, dtype=torch.float64) * 0.07) + 0.1 * torch.randn(n, generator=g,
            dtype=torch.float64)).to(torch.float32)


def median_ms(run):
    """The median of 15 timed calls of run() after 20 untimed ones, in ms, without autograd."""
    with torch.no_grad():
        for _ in range(20):
            run()
        times = []
        for _ in range(15):
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2] * 1000


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--json")
    a = p.parse_args()
    torch.set_num_threads(1)
    x = signal()
    out = []
    print("torchaudio %s (torch %s), 1 thread" % (torchaudio.__version__, torch.__version__))
    print("%-10s %16s %22s" % ("settings", "ms per 10 s", "audio seconds / s"))
    for name, s in SETTINGS.items():
        mel = torchaudio.transforms.MelSpectrogram(sample_rate=16000, window_fn=torch.hann_window, power=2.0,
                                                   center=False, norm=None, mel_scale="htk", **s)
        ms = median_ms(lambda: torch.log(mel(x) + 1e-6))
        print("%-10s %16.3f %22s" % (name, ms, "{:,.0f}".format(10 / (ms / 1000))))
        out.append({"suite": "mel", "impl": "torchaudio", "settings": name, "ms_per_10s": round(ms, 4),
                    "audio_seconds_per_s": round(10 / (ms / 1000), 1)})
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
