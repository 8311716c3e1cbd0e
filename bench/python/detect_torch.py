#!/usr/bin/env python3
"""PyTorch peer of the detector in `lanes bench mel`: what `lanes detect` computes for 10 s of 16 kHz audio on one
thread: torchaudio's MelSpectrogram in the keyword-spotting framing (n_fft 512, window 480, hop 320, 40 HTK bands
from 20 Hz to 7.6 kHz, power 2, center=False) and log, then the kws model's layers before its max over time
(Conv1d(40, 64, 5), ReLU, Conv1d(64, 64, 5, dilation=2), ReLU, Conv1d(64, 64, 5, dilation=4), ReLU,
Conv1d(64, 2, 1)) over all 499 frames at once, and the softmax of every position. ms per call (median of rounds)
and seconds of audio per second.

    /usr/bin/python3 bench/python/detect_torch.py [--json FILE]
"""
import argparse, json, time
import peer_env  # noqa: F401  (before torch: see peer_env.py)
import torch
import torchaudio


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--json")
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    g = torch.Generator().manual_seed(5)
    n = 10 * 16000
    x = (0.3 * torch.sin(torch.arange(n, dtype=torch.float64) * 0.07) + 0.1 * torch.randn(n, generator=g,
         dtype=torch.float64)).to(torch.float32)
    mel = torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=512, win_length=480, hop_length=320,
                                               n_mels=40, f_min=20.0, f_max=7600.0, window_fn=torch.hann_window,
                                               power=2.0, center=False, norm=None, mel_scale="htk")
    net = torch.nn.Sequential(torch.nn.Conv1d(40, 64, 5), torch.nn.ReLU(),
                              torch.nn.Conv1d(64, 64, 5, dilation=2), torch.nn.ReLU(),
                              torch.nn.Conv1d(64, 64, 5, dilation=4), torch.nn.ReLU(),
                              torch.nn.Conv1d(64, 2, 1)).eval()
    with torch.no_grad():
        run = lambda: torch.softmax(net(torch.log(mel(x) + 1e-6).unsqueeze(0)), dim=1)[0, 1]
        for _ in range(20):
            run()
        times = []
        for _ in range(15):
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
    times.sort()
    ms = times[len(times) // 2] * 1000
    print("PyTorch %s, torchaudio %s, 1 thread" % (torch.__version__, torchaudio.__version__))
    print("%-10s %16s %22s" % ("settings", "ms per 10 s", "audio seconds / s"))
    print("%-10s %16.3f %22s" % ("detect", ms, "{:,.0f}".format(10 / (ms / 1000))))
    if a.json:
        with open(a.json, "w") as f:
            json.dump([{"suite": "mel", "impl": "torch", "settings": "detect", "ms_per_10s": round(ms, 4),
                        "audio_seconds_per_s": round(10 / (ms / 1000), 1)}], f, indent=1)


if __name__ == "__main__":
    main()
