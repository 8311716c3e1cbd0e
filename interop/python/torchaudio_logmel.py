#!/usr/bin/python3
"""The torchaudio fixture Lanes' log-mel kernels are held to: torchaudio.transforms.MelSpectrogram (power 2, periodic
Hann window centred in the n_fft frame, center=False, norm=None, HTK mel scale) and then log(x + floor), on one
second of a signal both sides compute from the same formula (two tones, a chirp and a burst; float64, rounded to
float32), for the keyword-spotting settings (16 kHz, n_fft 512, 30 ms windows every 20 ms, 40 bands from 20 Hz to
7.6 kHz) and for torchaudio's defaults at 16 kHz (n_fft 400, hop 200, 128 bands).

    /usr/bin/python3 interop/python/torchaudio_logmel.py [--out interop/fixtures/logmel.json]

Runs where /usr/bin/python3 has torch and torchaudio (Debian: python3-torch, python3-torchaudio).
"""
import argparse, json, math, os
import torch
import torchaudio

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
CASES = [
    {"name": "keyword-spotting", "rate": 16000, "nfft": 512, "window": 480, "hop": 320, "mels": 40,
     "fMin": 20.0, "fMax": 7600.0, "floor": 1e-6},
    {"name": "torchaudio-defaults", "rate": 16000, "nfft": 400, "window": 400, "hop": 200, "mels": 128,
     "fMin": 0.0, "fMax": 8000.0, "floor": 1e-6},
]


def signal(rate, n):
    """0.5 sin(440 Hz) + 0.2 sin(3 kHz + 1) + 0.2 chirp 200 Hz -> 4 kHz + a 1.5 kHz burst in [0.4 s, 0.6 s)."""
    out = []
    for i in range(n):
        t = i / rate
        v = 0.5 * math.sin(2 * math.pi * 440 * t) + 0.2 * math.sin(2 * math.pi * 3000 * t + 1)
        v += 0.2 * math.sin(2 * math.pi * (200 * t + 1900 * t * t))
        if 0.4 <= t < 0.6:
            v += 0.3 * math.sin(2 * math.pi * 1500 * t)
        out.append(v)
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", default=os.path.join(ROOT, "interop", "fixtures", "logmel.json"))
    a = p.parse_args()
    cases = []
    for c in CASES:
        x = torch.tensor(signal(c["rate"], c["rate"]), dtype=torch.float64).to(torch.float32)
        mel = torchaudio.transforms.MelSpectrogram(sample_rate=c["rate"], n_fft=c["nfft"], win_length=c["window"],
                                                   hop_length=c["hop"], f_min=c["fMin"], f_max=c["fMax"],
                                                   n_mels=c["mels"], window_fn=torch.hann_window, power=2.0,
                                                   center=False, norm=None, mel_scale="htk")(x)
        log = torch.log(mel + c["floor"]).T.contiguous()          # (frames, mels), as Lanes lays it out
        cases.append({**c, "samples": c["rate"], "frames": log.shape[0],
                      "logMel": [round(float(v), 6) for v in log.flatten()]})
    with open(a.out, "w") as f:
        json.dump({"torch": torch.__version__, "torchaudio": torchaudio.__version__, "cases": cases}, f)
        f.write("\n")
    print("wrote", a.out)


if __name__ == "__main__":
    main()
