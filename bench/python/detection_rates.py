#!/usr/bin/env python3
"""Misses and false alarms of a keyword spotter over many composed recordings, at several thresholds: each
recording (`lanes recording`, held-out voices, the keyword N times at known times) is scanned once by
`lanes detect --threshold 0.5 --json`, and a detection counts at threshold T when its score is above T. A keyword
is found when a detection lies within --tolerance seconds of its middle; any other detection is a false alarm.

    python3 bench/python/detection_rates.py --model kws.lanes [--recordings 8] [--seconds 60] [--keywords 8]
"""
import argparse, json, os, re, subprocess, tempfile


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--data", default="data/speech")
    p.add_argument("--recordings", type=int, default=8)
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--keywords", type=int, default=8)
    p.add_argument("--first-seed", type=int, default=11)
    p.add_argument("--tolerance", type=float, default=0.1)
    a = p.parse_args()
    thresholds = [0.5, 0.8, 0.9, 0.95, 0.99]
    runs = []
    with tempfile.TemporaryDirectory() as d:
        for seed in range(a.first_seed, a.first_seed + a.recordings):
            wav, out = os.path.join(d, "r%d.wav" % seed), os.path.join(d, "r%d.json" % seed)
            made = subprocess.run(["./lanes", "recording", "--data", a.data, "--seconds", str(a.seconds),
                                   "--keywords", str(a.keywords), "--seed", str(seed), "-o", wav],
                                  check=True, capture_output=True, text=True).stdout
            truth = [float(t) for t in made.split(":")[-1].split()]
            subprocess.run(["./lanes", "detect", "--model", a.model, "--audio", wav, "--threshold", "0.5",
                            "--json", out], check=True, capture_output=True)
            with open(out) as f:
                runs.append((truth, json.load(f)["detections"]))
    total = a.recordings * a.keywords
    print("%s: %d recordings of %d s (seeds %d-%d), the keyword %d times in each; tolerance %.0f ms"
          % (a.model, a.recordings, a.seconds, a.first_seed, a.first_seed + a.recordings - 1, a.keywords,
             1000 * a.tolerance))
    print("%9s %14s %22s" % ("threshold", "missed", "false alarms per hour"))
    for t in thresholds:
        missed = alarms = 0
        for truth, found in runs:
            at = [x["seconds"] for x in found if x["score"] > t]
            missed += sum(1 for k in truth if not any(abs(k - x) <= a.tolerance for x in at))
            alarms += sum(1 for x in at if not any(abs(k - x) <= a.tolerance for k in truth))
        print("%9s %7d of %-4d %22.1f" % (t, missed, total, alarms * 3600 / (a.recordings * a.seconds)))


if __name__ == "__main__":
    main()
