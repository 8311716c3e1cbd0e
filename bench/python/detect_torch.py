#!/usr/bin/env python3
"""PyTorch peer of the detector in `lanes bench mel`: what `lanes detect` computes for 10 s of 16 kHz audio on one
thread: torchaudio's MelSpectrogram in the keyword-spotting framing (n_fft 512, window 480, hop 320, 40 HTK bands
from 20 Hz to 7.6 kHz, power 2, center=False) and log, then the kws model's layers before its max over time
(Conv1d(40, 64, 5), ReLU, Conv1d(64, 64, 5, dilation=2), ReLU, Conv1d(64, 64, 5, dilation=4), ReLU,
Conv1d(64, 2, 1)) over all 499 frames at once, and the softmax of every position. ms per call (median of rounds)
and seconds of audio per second.

    /usr/bin/python3 bench/python/detect_torch.py [--json FILE]
"""
import argparse, json
import peer_env  # noqa: F401  (before torch: see peer_env.py)
import torch
import torchaudio
from mel_torchaudio import median_ms, signal


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--json")
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    x = signal()
    mel = torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=512, win_length=480, hop_length=320,
                                               n_mels=40, f_min=20.0, f_max=7600.0, window_fn=torch.hann_window,
                                               power=2.0, center=False, norm=None, mel_scale="htk")
    net = torch.nn.Sequential(torch.nn.Conv1d(40, 64, 5), torch.nn.ReLU(),
                              torch.nn.Conv1d(64, 64, 5, dilation=2), torch.nn.ReLU(),
                              torch.nn.Conv1d(64, 64, 5, dilation=4), torch.nn.ReLU(),
                              torch.nn.Conv1d(64, 2, 1)).eval()
    ms = median_ms(lambda: torch.softmax(net(torch.log(mel(x) + 1e-6).unsqueeze(0)), dim=1)[0, 1])
    print("PyTorch %s, torchaudio %s, 1 thread" % (torch.__version__, torchaudio.__version__))
    print("%-10s %16s %22s" % ("settings", "ms per 10 s", "audio seconds / s"))
    print("%-10s %16.3f %22s" % ("detect", ms, "{:,.0f}".format(10 / (ms / 1000))))
    if a.json:
        with open(a.json, "w") as f:
            json.dump([{"suite": "mel", "impl": "torch", "settings": "detect", "ms_per_10s": round(ms, 4),
                        "audio_seconds_per_s": round(10 / (ms / 1000), 1)}], f, indent=1)


if __name__ == "__main__":
    main()
